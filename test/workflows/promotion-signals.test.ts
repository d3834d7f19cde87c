// Every operator signal in the phases where it matters, on the real workflow with stubbed
// activities: abort, pause/resume, promote, promote --full, and signals that make no sense.
import { abortSignal, pauseSignal, promoteSignal, resumeSignal, statusQuery } from '../../src/workflows/definitions';
import { canary, harness, Harness, result, untilStatus } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => h.close());

const initial = () => ({ deployments: { app: { image: 'app:1.0.0', replicas: 3 }, 'app-canary': { image: 'app:1.0.0', replicas: 1 } }, weight: null });

test('a promotion without interruptions is promoted: canary weights, then the stable image, then traffic back', async () => {
  const handle = await h.start(canary('- setWeight: 20\n- bake: 1s\n- setWeight: 50'));
  const r = await result(handle);
  expect(r.outcome).toBe('promoted');
  expect(h.cluster.calls.filter((c) => !c.startsWith('measure'))).toEqual([
    'setImage app-canary app:2.0.0', 'weight 20', 'weight 50', 'setImage app app:2.0.0', 'weight 0',
  ]);
  expect(r.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done']);
});

test('abort during a bake restores every object, traffic first, and records who aborted and why', async () => {
  const handle = await h.start(canary('- setWeight: 20\n- bake: 1h'));
  await untilStatus(handle, 'baking', (s) => s.phase === 'baking');
  await handle.signal(abortSignal, { by: 'alice', reason: 'error budget burning' });
  const r = await result(handle);

  expect(r.outcome).toBe('rolled-back');
  expect(r.reason).toBe('aborted by alice: error budget burning');
  expect(r.decidedBy).toEqual({ by: 'alice', reason: 'error budget burning' });
  expect(h.cluster.state()).toEqual(initial());
  const restores = h.cluster.calls.filter((c) => c.startsWith('restore'));
  expect(restores).toEqual(['restore Ingress canary-ingress', 'restore Deployment app-canary']);
  expect(r.events.some((e) => e.kind === 'abort' && e.by === 'alice')).toBe(true);
});

test('pause stops a bake and resume continues it; both are recorded with who sent them', async () => {
  const handle = await h.start(canary('- setWeight: 20\n- bake: 3s'));
  await untilStatus(handle, 'baking', (s) => s.phase === 'baking');
  await handle.signal(pauseSignal, { by: 'bob', reason: 'looking at a graph' });
  const paused = await untilStatus(handle, 'paused', (s) => s.phase === 'paused');
  expect(paused.paused).toBe(true);
  await handle.signal(resumeSignal, { by: 'bob' });
  const r = await result(handle);
  expect(r.outcome).toBe('promoted');
  const kinds = r.events.filter((e) => e.by === 'bob').map((e) => e.kind);
  expect(kinds).toEqual(['pause', 'resume']);
});

test('a paused bake does not finish by itself', async () => {
  const handle = await h.start(canary('- bake: 2s\n- setWeight: 10'));
  await untilStatus(handle, 'baking', (s) => s.phase === 'baking');
  await handle.signal(pauseSignal, { by: 'bob' });
  await untilStatus(handle, 'paused', (s) => s.phase === 'paused');
  // Wait well past the bake's 2 s (asserting that something does NOT happen needs a wait):
  // still paused, and the next step has not started.
  await new Promise((r) => setTimeout(r, 4000));
  const later = await handle.query(statusQuery);
  expect(later.phase).toBe('paused');
  expect(later.steps[2]!.status).toBe('pending');
  await handle.signal(abortSignal, { by: 'bob', reason: 'done testing' });
  expect((await result(handle)).outcome).toBe('rolled-back');
});

test('promote finishes the current bake now; the remaining steps still run', async () => {
  const handle = await h.start(canary('- setWeight: 20\n- bake: 1h\n- setWeight: 60'));
  await untilStatus(handle, 'baking', (s) => s.phase === 'baking');
  await handle.signal(promoteSignal, { by: 'carol', reason: 'looks good' });
  const r = await result(handle);
  expect(r.outcome).toBe('promoted');
  expect(h.cluster.calls).toContain('weight 60');
});

test('promote --full skips every remaining step and analysis', async () => {
  const handle = await h.start(canary('- setWeight: 20\n- bake: 1h\n- setWeight: 60\n- bake: 1h', 'deadlines: { promotion: 3h }'));
  await untilStatus(handle, 'baking', (s) => s.phase === 'baking');
  await handle.signal(promoteSignal, { by: 'carol', reason: 'hotfix', full: true });
  const r = await result(handle);
  expect(r.outcome).toBe('promoted');
  expect(r.reason).toBe('promoted early by carol');
  expect(h.cluster.calls).not.toContain('weight 60');
  expect(r.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'skipped', 'skipped']);
});

test('signals that make no sense are recorded and ignored, never crash the workflow', async () => {
  const handle = await h.start(canary('- setWeight: 20\n- bake: 1h'));
  await untilStatus(handle, 'baking', (s) => s.phase === 'baking');
  await handle.signal(resumeSignal, { by: 'dave' });
  await handle.signal(pauseSignal, { by: 'dave' });
  await handle.signal(pauseSignal, { by: 'dave' });
  await handle.signal(abortSignal, { by: 'dave', reason: 'stop' });
  const r = await result(handle);
  expect(r.outcome).toBe('rolled-back');
  const ignored = r.events.filter((e) => e.kind === 'signal-ignored').map((e) => e.message);
  expect(ignored).toEqual(['resume from dave ignored: not paused', 'pause from dave ignored: already paused']);
});
