// The saga's paths: analysis failure, deadline, manual gate timeout both ways, a failing undo,
// abort during compensation, a failed rollout, and workflow cancellation.
import { WorkflowHandle } from '@temporalio/client';
import { abortSignal, promoteSignal } from '../../src/workflows/definitions';
import { canary, harness, Harness, result, untilStatus } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => h.close());

const initialState = { deployments: { app: { image: 'app:1.0.0', replicas: 3 }, 'app-canary': { image: 'app:1.0.0', replicas: 1 } }, weight: null };

const errorRateCheck = `analysis:
  checks:
    - name: error-rate
      prometheus: { query: 'error_rate{deployment="{{deployment}}"}' }
      condition: { below: 0.05 }
      interval: 1s
      count: 2`;

test('a failing analysis step rolls back and the result names the check, the value and the threshold', async () => {
  h.cluster.observations.set('error_rate{deployment="app-canary"}', { kind: 'value', value: 0.31 });
  const r = await result(await h.start(canary('- setWeight: 20\n- analysis: { checks: [error-rate] }', errorRateCheck)));
  expect(r.outcome).toBe('rolled-back');
  expect(r.reason).toMatch(/error-rate/);
  expect(r.reason).toMatch(/0\.31/);
  expect(r.reason).toMatch(/0\.05/);
  expect(r.measurements.find((m) => m.check === 'error-rate')).toMatchObject({ verdict: 'fail', value: 0.31 });
  expect(h.cluster.state()).toEqual(initialState);
});

test('background analysis during a bake stops the bake on failure', async () => {
  let n = 0;
  h.cluster.observations.set('error_rate{deployment="app-canary"}', () => ({ kind: 'value', value: ++n >= 3 ? 0.5 : 0.01 }));
  const r = await result(await h.start(canary('- setWeight: 20\n- bake: 1h', `${errorRateCheck}\n  background: [error-rate]`)));
  expect(r.outcome).toBe('rolled-back');
  expect(r.reason).toMatch(/check error-rate failed/);
  expect(h.cluster.state()).toEqual(initialState);
});

test('the promotion deadline rolls back even while a manual gate still waits', async () => {
  const r = await result(await h.start(canary('- setWeight: 20\n- bake: { manual: true, deadline: 1h }', 'deadlines: { promotion: 3s }')));
  expect(r.outcome).toBe('rolled-back');
  expect(r.reason).toMatch(/deadline of 3s passed/);
  expect(h.cluster.state()).toEqual(initialState);
});

test('a manual gate nobody answers rolls back when onTimeout is rollback', async () => {
  const r = await result(await h.start(canary('- setWeight: 20\n- bake: { manual: true, deadline: 2s, onTimeout: rollback }')));
  expect(r.outcome).toBe('rolled-back');
  expect(r.reason).toMatch(/no approval within 2s/);
  expect(h.cluster.state()).toEqual(initialState);
});

test('a manual gate nobody answers continues when onTimeout is promote', async () => {
  const r = await result(await h.start(canary('- setWeight: 20\n- bake: { manual: true, deadline: 2s, onTimeout: promote }\n- setWeight: 70')));
  expect(r.outcome).toBe('promoted');
  expect(h.cluster.calls).toContain('weight 70');
});

test('a manual gate continues when someone promotes, and records who approved', async () => {
  const handle = await h.start(canary('- bake: manual\n- setWeight: 70'));
  await untilStatus(handle, 'waiting for approval', (s) => s.phase === 'waiting-for-approval');
  await handle.signal(promoteSignal, { by: 'erin', reason: 'checked dashboards' });
  const r = await result(handle);
  expect(r.outcome).toBe('promoted');
  expect(r.decidedBy).toMatchObject({ by: 'erin', reason: 'checked dashboards' });
});

test('an undo that fails for good gives rollback-failed with exactly what is left, and the other undos still run', async () => {
  h.cluster.failRestoreOf.add('canary-ingress');
  const handle = await h.start(canary('- setWeight: 20\n- bake: 1h'));
  await untilStatus(handle, 'baking', (s) => s.phase === 'baking');
  await handle.signal(abortSignal, { by: 'alice', reason: 'test' });
  const r = await result(handle);
  expect(r.outcome).toBe('rollback-failed');
  expect(r.leftToRestore).toHaveLength(1);
  expect(r.leftToRestore[0]).toMatch(/^Ingress ns\/canary-ingress .* to \{"w":null\}: restore of canary-ingress refused/);
  expect(r.restored).toEqual([expect.stringMatching(/^Deployment ns\/app-canary/)]);
  expect(h.cluster.deployments.get('app-canary')).toEqual({ image: 'app:1.0.0', replicas: 1 });
});

test('a rollout that passes its progress deadline rolls back; an abort during compensation changes nothing', async () => {
  h.cluster.stuckImages.add('app:2.0.0');
  const release = h.cluster.holdRestores();
  const handle: WorkflowHandle = await h.start(canary('- setWeight: 20'));
  await untilStatus(handle, 'rolling back', (s) => s.phase === 'rolling-back');
  await handle.signal(abortSignal, { by: 'mallory', reason: 'too late' });
  await untilStatus(handle, 'the abort to be ignored', (s) => s.events.some((e) => e.kind === 'signal-ignored' && e.by === 'mallory'));
  release();
  const r = await result(handle);
  expect(r.outcome).toBe('rolled-back');
  expect(r.reason).toMatch(/progress deadline/);
  expect(r.decidedBy).toBeUndefined();
  expect(h.cluster.state()).toEqual(initialState);
});

test('cancelling the workflow compensates before it ends', async () => {
  const handle = await h.start(canary('- setWeight: 20\n- bake: 1h'));
  await untilStatus(handle, 'baking', (s) => s.phase === 'baking');
  await handle.cancel();
  const r = await result(handle);
  expect(r.outcome).toBe('rolled-back');
  expect(r.reason).toBe('the workflow was cancelled');
  expect(h.cluster.state()).toEqual(initialState);
});
