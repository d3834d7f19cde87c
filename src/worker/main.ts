// Worker entry point: `node dist/worker/main.js` (or `npm run worker`). Configured by environment
// variables (see src/worker/config.ts and the README); stops cleanly on SIGINT/SIGTERM.
import { Runtime } from '@temporalio/worker';
import { workerConfigFromEnv } from './config';
import { serveMetrics, WorkerMetrics } from './metrics';
import { createPromoterWorker } from './worker';

async function main(): Promise<void> {
  const config = workerConfigFromEnv();
  const bindHost = process.env.WORKER_METRICS_HOST || '127.0.0.1';
  if (config.sdkMetricsPort > 0) {
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: `${bindHost}:${config.sdkMetricsPort}` } } } });
  }
  const metrics = new WorkerMetrics();
  const { worker, connection } = await createPromoterWorker({ config, metrics });
  const server = config.metricsPort > 0 ? await serveMetrics(metrics, config.metricsPort, () => worker.getState() === 'RUNNING', bindHost) : undefined;
  const running = worker.run();
  // Said once the worker polls, so "started" means /healthz answers 200.
  while (worker.getState() === 'INITIALIZED') await new Promise((r) => setTimeout(r, 50));
  console.log(JSON.stringify({
    msg: 'worker started', taskQueue: config.taskQueue, temporal: config.temporalAddress, namespace: config.temporalNamespace,
    metrics: server ? `http://${bindHost}:${config.metricsPort}/metrics` : 'disabled',
    allowedNamespaces: config.allowedNamespaces ?? 'any allowed by RBAC',
  }));
  try {
    await running;
  } finally {
    server?.close();
    await connection.close();
  }
}

main().catch((err) => {
  console.error(`worker: ${(err as Error).message}`);
  process.exit(1);
});
