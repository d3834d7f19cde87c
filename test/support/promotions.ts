// One worker and client per test file, and the two ways tests start the promotion workflow.
import { Client, WorkflowHandle } from '@temporalio/client';
import { PROMOTION_WORKFLOW, PromotionResult } from '../../src/workflows/definitions';
import { promotionWorkflowId } from '../../src/spec/target';
import type { PromotionSpec } from '../../src/spec/types';
import { startWorker, temporalClient, uniqueName } from './stack';

export interface PromotionRunner {
  taskQueue: string;
  /** starts under the target's workflow id, as the CLI does */
  start(spec: PromotionSpec): Promise<WorkflowHandle>;
  run(spec: PromotionSpec): Promise<PromotionResult>;
}

/** Registers beforeAll/afterAll hooks that run an in-process worker on its own task queue. */
export function usePromotionWorker(prefix: string, env: NodeJS.ProcessEnv = {}): PromotionRunner {
  const taskQueue = uniqueName(prefix);
  let client: Client | undefined;
  let closeClient: (() => Promise<void>) | undefined;
  let stopWorker: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ client, close: closeClient } = await temporalClient());
    ({ stop: stopWorker } = await startWorker(taskQueue, env));
  });
  afterAll(async () => {
    await stopWorker?.();
    await closeClient?.();
  });
  const start = (spec: PromotionSpec) => client!.workflow.start(PROMOTION_WORKFLOW, {
    workflowId: promotionWorkflowId(spec.target), taskQueue, args: [{ spec, startedBy: 'jest' }],
  });
  return { taskQueue, start, run: async (spec) => (await start(spec)).result() };
}

/** Test clean-up: aborts (and so rolls back) every listed promotion that still runs. */
export async function abortStillRunning(client: Client, workflowIds: Iterable<string>): Promise<void> {
  for (const workflowId of workflowIds) {
    const handle = client.workflow.getHandle(workflowId);
    const running = await handle.describe().then((d) => d.status.name === 'RUNNING', () => false);
    if (!running) continue;
    await handle.signal('abort', { by: 'jest', reason: 'test clean-up' });
    await handle.result().catch(() => undefined);
  }
}
