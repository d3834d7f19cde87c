// Runs the real promotion workflow on the real dev server, with stubbed activities.
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { PROMOTION_WORKFLOW, PromotionResult, PromotionStatus, statusQuery } from '../../src/workflows/definitions';
import { parsePromotionSpec } from '../../src/spec/parse';
import type { PromotionSpec } from '../../src/spec/types';
import { testStack, uniqueName } from '../support/stack';
import { FakeCluster } from './fake-activities';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this jest worker
}

export interface Harness {
  client: Client;
  cluster: FakeCluster;
  start(spec: PromotionSpec): Promise<WorkflowHandle>;
  close(): Promise<void>;
}

export async function harness(cluster = new FakeCluster()): Promise<Harness> {
  const stack = testStack();
  const taskQueue = uniqueName('wf');
  const connection = await Connection.connect({ address: stack.endpoints.TEMPORAL_ADDRESS });
  const client = new Client({ connection });
  const workerConnection = await NativeConnection.connect({ address: stack.endpoints.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowBundle: { codePath: stack.workflowBundlePath },
    activities: cluster.activities(),
    shutdownGraceTime: '1s',
  });
  const running = worker.run();
  return {
    client,
    cluster,
    start: (spec) => client.workflow.start(PROMOTION_WORKFLOW, {
      workflowId: uniqueName('promotion'), taskQueue, args: [{ spec, startedBy: 'jest' }],
    }),
    close: async () => {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
    },
  };
}

export function spec(yaml: string): PromotionSpec {
  const parsed = parsePromotionSpec(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.spec;
}

/** A canary over the fake cluster through the nginx router, with the given steps. */
export function canary(steps: string, extra = ''): PromotionSpec {
  return spec(`apiVersion: canary-promoter/v1
kind: Promotion
target: { namespace: ns, stable: app, canary: app-canary, container: c, ingress: canary-ingress }
image: app:2.0.0
strategy:
  canary:
    router: { nginx: { ingress: canary-ingress } }
    steps:
${steps.split('\n').filter(Boolean).map((l) => `      ${l.trim()}`).join('\n')}
${extra}`);
}

export async function untilStatus(handle: WorkflowHandle, what: string, pred: (s: PromotionStatus) => boolean, timeoutMs = 30_000): Promise<PromotionStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await handle.query(statusQuery);
    if (pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; status: ${JSON.stringify({ phase: s.phase, events: s.events.map((e) => e.message) })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const result = (h: WorkflowHandle): Promise<PromotionResult> => h.result();
