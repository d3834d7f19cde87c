// Runs the real promotion workflow on the real dev server, with stubbed activities.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
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

const HISTORIES = path.join(__dirname, '..', 'replay', 'histories');

/**
 * With RECORD_HISTORIES=1, every finished workflow of a test is saved as a history for the
 * replay tests (test/replay). Record again only for a change that is meant to break replay
 * compatibility, which needs `patched()` instead while old promotions may still run.
 */
async function recordHistories(handles: WorkflowHandle[]): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  fs.mkdirSync(HISTORIES, { recursive: true });
  const name = (expect.getState().currentTestName ?? 'workflow').replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 80);
  for (const [i, handle] of handles.entries()) {
    const history = await handle.fetchHistory();
    fs.writeFileSync(path.join(HISTORIES, `${name}${i ? `-${i}` : ''}.json`), historyToJSON(history));
  }
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
  const started: WorkflowHandle[] = [];
  return {
    client,
    cluster,
    start: async (spec) => {
      const handle = await client.workflow.start(PROMOTION_WORKFLOW, {
        workflowId: uniqueName('promotion'), taskQueue, args: [{ spec, startedBy: 'jest' }],
      });
      started.push(handle);
      return handle;
    },
    close: async () => {
      await recordHistories(started);
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
