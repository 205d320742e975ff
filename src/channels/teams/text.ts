/**
 * Teams text to the plain text the pipeline reads: Teams sends mentions as <at>Name</at> and,
 * for formatted messages, HTML. Tags are dropped (a mention keeps the name), line-breaking
 * elements become new lines and entities are decoded, by htmlparser2.
 */
import { Parser } from 'htmlparser2';

const LINE_BREAKING = new Set(['p', 'div', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre']);

/** Something that parses as a tag or an entity; plain "2 < 3" is left alone. */
const LOOKS_LIKE_HTML = /<\/?[a-z][\w-]*(\s[^<>]*)?\/?>|&(#\d+|#x[0-9a-f]+|[a-z]+);/i;

export function plainTextOf(text: string): string {
  if (!LOOKS_LIKE_HTML.test(text)) return text.trim();
  let out = '';
  const parser = new Parser(
    {
      ontext(chunk) {
        out += chunk;
      },
      onopentag(name) {
        if (name === 'br') out += '\n';
      },
      onclosetag(name) {
        if (LINE_BREAKING.has(name)) out += '\n';
      },
    },
    { decodeEntities: true },
  );
  parser.write(text);
  parser.end();
  return out
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
