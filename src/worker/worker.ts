// Builds a promotion worker: Temporal connection, activities wired to the cluster, workflows.
// Used by the worker entry point, `npm start` and the tests alike.
import * as fs from 'node:fs';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { kubeClients, loadKubeConfig } from '../activities/kubernetes/client';
import type { WorkerConfig } from './config';
import { WorkerMetrics } from './metrics';

export interface PromoterWorkerOptions {
  config: WorkerConfig;
  /** a prebuilt workflow bundle (tests bundle once); default: bundle src/workflows at start */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** worker-side metrics; sinks receive the workflow's metric calls */
  metrics?: WorkerMetrics;
  /** extra options, e.g. a shorter shutdown grace time in tests */
  overrides?: Partial<WorkerOptions>;
}

export async function connectToTemporal(config: WorkerConfig): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({
      address: config.temporalAddress,
      tls: config.tls ? { clientCertPair: { crt: fs.readFileSync(config.tls.certPath), key: fs.readFileSync(config.tls.keyPath) } } : undefined,
      apiKey: config.apiKey,
    });
  } catch (err) {
    throw new Error(`cannot connect to Temporal at ${config.temporalAddress}: ${(err as Error).message} (set TEMPORAL_ADDRESS)`);
  }
}

export async function createPromoterWorker(opts: PromoterWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const { config } = opts;
  const kube = kubeClients(loadKubeConfig(config.kubeconfig), opts.metrics?.observeKube);
  const prometheus = config.prometheusUrl ? { url: config.prometheusUrl, observe: opts.metrics?.observePrometheus } : undefined;
  const activities = createActivities({ kube, allowedNamespaces: config.allowedNamespaces, prometheus, webhooks: config.webhooks });
  const connection = await connectToTemporal(config);
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    activities,
    sinks: (opts.metrics ?? new WorkerMetrics()).sinks(),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    ...opts.overrides,
  });
  return { worker, connection };
}
