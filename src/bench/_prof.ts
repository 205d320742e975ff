import { withServicesRuntime } from './services-runtime.js';
import { appRun } from './runs.js';
await withServicesRuntime({}, async (runtime) => {
  await appRun(runtime, { label: 'warm', patients: 200, idPrefix: 'w' });
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  const mode = process.env.MODE ?? 'cpu';
  if (mode === 'cpu') { await session.post('Profiler.enable'); await session.post('Profiler.start'); }
  else { await session.post('HeapProfiler.enable'); await session.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }); }
  const run = await appRun(runtime, { label: 'app', patients: Number(process.env.P ?? 1000), idPrefix: 'a' });
  if (mode === 'cpu') { const { profile } = await session.post('Profiler.stop'); (await import('node:fs')).writeFileSync('/tmp/app.cpuprofile', JSON.stringify(profile)); }
  else { const { profile } = await session.post('HeapProfiler.stopSampling'); (await import('node:fs')).writeFileSync('/tmp/app.heapprofile', JSON.stringify(profile)); }
  console.log(run.figures);
});
