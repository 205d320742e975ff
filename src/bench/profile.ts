/**
 * `npm run bench:profile [-- --patients N]`: the 1,000-patient Redis + PostgreSQL run under V8's
 * CPU profiler. Writes the profile (open it in Chrome DevTools) and prints where the busy time
 * went, by package or source folder, so a change can be judged by the part it was meant to cut.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { appRun } from './runs.js';
import { withServicesRuntime } from './services-runtime.js';

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values } = parseArgs({ options: { patients: { type: 'string', default: '1000' }, out: { type: 'string', default: 'bench.cpuprofile' } } });
const patients = Number(values.patients);
if (!Number.isInteger(patients) || patients < 1) {
  process.stderr.write(`--patients must be a whole number of at least 1 (got "${values.patients}")\n`);
  process.exit(2);
}

/**
 * "pg", "xstate", "src/booking", "node internals", "(garbage collector)". V8's built-ins (JSON,
 * RegExp, a socket's writev) have no script: they count for the nearest caller that has one.
 */
function area(node: ProfileNode, parents: Map<number, ProfileNode>): string {
  const { url, functionName } = node.callFrame;
  if (url === '' && functionName.startsWith('(')) return functionName;
  if (url === '') {
    const parent = parents.get(node.id);
    return parent ? area(parent, parents) : 'native';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith('node:')) return 'node internals';
  const own = /\/(src|statecharts)\/([^/]+)\//.exec(url);
  return own ? `${own[1]}/${own[2]}` : 'other';
}

function shares(profile: CpuProfile): Array<{ where: string; 'busy %': number }> {
  const parents = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
  const byId = new Map(profile.nodes.map((node) => [node.id, area(node, parents)]));
  const time = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const where = byId.get(id) ?? 'other';
    time.set(where, (time.get(where) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  time.delete('(idle)');
  const busy = [...time.values()].reduce((a, b) => a + b, 0) || 1;
  return [...time.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([where, us]) => ({ where, 'busy %': Math.round((us / busy) * 1000) / 10 }));
}

await withServicesRuntime({}, async (runtime) => {
  await appRun(runtime, { label: 'warm-up', patients: 200, idPrefix: 'prof-warm' });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const run = await appRun(runtime, { label: 'redis+postgres, profiled', patients, idPrefix: 'prof' });
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  await writeFile(values.out ?? 'bench.cpuprofile', JSON.stringify(profile));
  console.table([run.figures]);
  console.table(shares(profile));
  console.log(`profile written to ${values.out}`);
});
