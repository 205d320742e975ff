/**
 * src/staff — reading a new password for a command-line tool: at a terminal, a prompt that
 * shows nothing as you type (asked twice); otherwise the first line of what was piped in.
 */

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

function promptHidden(input: NodeJS.ReadStream, output: NodeJS.WritableStream, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      outcome();
    };
    const onData = (chunk: string): void => {
      for (const character of chunk) {
        if (ENTER.has(character)) return finish(() => resolve(typed));
        if (character === CTRL_C || (character === CTRL_D && typed === '')) {
          return finish(() => reject(new Error('cancelled; no user was created')));
        }
        typed = BACKSPACE.has(character) ? typed.slice(0, -1) : typed + character;
      }
    };
    output.write(question);
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export async function readPassword(input: NodeJS.ReadStream, output: NodeJS.WritableStream): Promise<string> {
  if (input.isTTY) {
    const first = await promptHidden(input, output, 'Password (not shown): ');
    const second = await promptHidden(input, output, 'Same password again: ');
    if (first !== second) throw new Error('password: the two entries differ; no user was created');
    return first;
  }
  const piped = (await readAll(input)).split(/\r?\n/)[0] ?? '';
  if (piped === '') throw new Error('password: none given; type it at the prompt or pipe it in on stdin');
  return piped;
}
