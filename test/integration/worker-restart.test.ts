// Durability: the worker process is SIGKILLed while a promotion bakes; a new worker picks it up,
// the bake timer is not restarted, and the promotion finishes exactly once.
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { PROMOTION_WORKFLOW, PromotionResult, statusQuery } from '../../src/workflows/definitions';
import { promotionWorkflowId } from '../../src/spec/target';
import { eventually, freshApp, imageOf, readDeployment } from '../support/cluster';
import { rollingSpec } from '../support/specs';
import { temporalClient, uniqueName } from '../support/stack';
import { spawnWorker, WorkerProcess } from '../support/worker-process';

const EventType = temporal.api.enums.v1.EventType;
let client: Client;
let close: () => Promise<void>;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  ({ client, close } = await temporalClient());
});

afterAll(async () => {
  for (const w of workers) await w.kill();
  await close?.();
});

test('a worker killed mid-bake is replaced and the promotion finishes once, without restarting the bake', async () => {
  const app = await freshApp('restart');
  const taskQueue = uniqueName('restart');
  const revisionBefore = Number((await readDeployment(app.namespace, app.stable)).metadata?.annotations?.['deployment.kubernetes.io/revision']);
  const first = spawnWorker(taskQueue);
  workers.push(first);
  await first.ready;

  const spec = rollingSpec(app, { image: 'registry.local/zai-proxy:1.2.1', bake: '20s' });
  const handle = await client.workflow.start(PROMOTION_WORKFLOW, {
    workflowId: promotionWorkflowId(spec.target), taskQueue, args: [{ spec, startedBy: 'jest' }],
  });
  await eventually('the promotion to bake', async () => ((await handle.query(statusQuery)).phase === 'baking' ? true : undefined), 120_000);
  await first.kill('SIGKILL');

  const second = spawnWorker(taskQueue);
  workers.push(second);
  const result: PromotionResult = await handle.result();

  expect(result.outcome).toBe('promoted');
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const count = (type: number) => events.filter((e) => e.eventType === type).length;
  expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)).toBe(1);
  // One bake timer, started once and fired once: the new worker did not start the bake over.
  const bakeTimers = events.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED && Buffer.from(e.userMetadata?.summary?.data ?? new Uint8Array()).toString().includes('bake'));
  expect(bakeTimers).toHaveLength(1);
  // The image was set once: exactly one new revision.
  const after = await readDeployment(app.namespace, app.stable);
  expect(imageOf(after)).toBe('registry.local/zai-proxy:1.2.1');
  expect(Number(after.metadata?.annotations?.['deployment.kubernetes.io/revision'])).toBe(revisionBefore + 1);
  // The second worker really did the work after the first died.
  expect(second.child.exitCode).toBeNull();
});
