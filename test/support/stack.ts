// Access to the real stack started by test/global-setup.ts: endpoints, Kubernetes clients, a
// Temporal client, and workers running the real workflow bundle.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { StackEndpoints } from '../../src/sandbox/stack';
import { kubeClients, KubeClients } from '../../src/activities/kubernetes/client';
import { createPromoterWorker } from '../../src/worker/worker';
import { workerConfigFromEnv } from '../../src/worker/config';

export interface TestStack {
  dir: string;
  endpoints: Required<Pick<StackEndpoints, 'TEMPORAL_ADDRESS' | 'KUBECONFIG' | 'PROMETHEUS_URL' | 'DATA_PLANE_URL'>> & StackEndpoints;
  workflowBundlePath: string;
}

export function testStack(): TestStack {
  const file = process.env.CP_TEST_STACK;
  if (!file) throw new Error('CP_TEST_STACK is not set: run these tests through jest so test/global-setup.ts starts the stack');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TestStack;
}

export function testKube(): KubeClients {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(testStack().endpoints.KUBECONFIG);
  return kubeClients(kc);
}

export async function temporalClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: testStack().endpoints.TEMPORAL_ADDRESS });
  return { client: new Client({ connection }), close: () => connection.close() };
}

let counter = 0;
/** A name unique to this test run, valid as a namespace or task queue. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid.toString(36)}-${Date.now().toString(36).slice(-4)}-${counter}`;
}

/** An in-process worker on its own task queue; call `stop()` in afterAll/finally. */
export async function startWorker(taskQueue: string, env: NodeJS.ProcessEnv = {}): Promise<{ worker: Worker; stop: () => Promise<void> }> {
  const stack = testStack();
  const config = workerConfigFromEnv({ ...stack.endpoints, TEMPORAL_TASK_QUEUE: taskQueue, ...env });
  const { worker, connection } = await createPromoterWorker({
    config,
    workflowBundle: { codePath: stack.workflowBundlePath },
    overrides: { shutdownGraceTime: '2s' },
  });
  const running = worker.run();
  return {
    worker,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

export const repoRoot = path.resolve(__dirname, '..', '..');
