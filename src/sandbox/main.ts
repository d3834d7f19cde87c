// `npm start`: the service on its embedded default. A Temporal dev server with SQLite under
// .data/ (state survives a restart) and its web UI, the worker, and, when no cluster is
// configured (KUBECONFIG and PROMETHEUS_URL unset), the sandbox cluster with the demo app and
// Prometheus. Ctrl-C stops everything.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { binaryPath, repoRoot } from './binaries';
import { freePort } from './ports';
import { startStack, Stack, writeEndpointsFile } from './stack';
import { workerConfigFromEnv } from '../worker/config';
import { serveMetrics, WorkerMetrics } from '../worker/metrics';
import { createPromoterWorker } from '../worker/worker';

const log = (line: string) => console.log(`[start] ${line}`);

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function preferred(port: number): Promise<number> {
  return (await portIsFree(port)) ? port : freePort();
}

async function main(): Promise<void> {
  const dataDir = path.join(repoRoot, '.data');
  const runDir = path.join(dataDir, 'run');
  fs.rmSync(runDir, { recursive: true, force: true });
  const external = Boolean(process.env.KUBECONFIG && process.env.PROMETHEUS_URL);
  const started = Date.now();
  const stack: Stack = await startStack({
    dir: runDir,
    temporal: { dbFile: path.join(dataDir, 'temporal.sqlite'), port: await preferred(7233), uiPort: await preferred(8233) },
    kubernetes: !external,
    demo: !external,
    log,
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping ...');
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const env = { ...process.env, ...stack.endpoints, WORKER_METRICS_PORT: '0', WORKER_SDK_METRICS_PORT: '0' };
    const config = workerConfigFromEnv(env);
    const metricsPort = await freePort();
    const sdkPort = await freePort();
    Runtime.install({
      telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkPort}` } } },
      shutdownSignals: [],
      logger: new DefaultLogger('WARN'), // the terminal is for the summary below
    });
    const metrics = new WorkerMetrics();
    const { worker } = await createPromoterWorker({ config, metrics, overrides: { shutdownGraceTime: '5s' } });
    await serveMetrics(metrics, metricsPort, () => worker.getState() === 'RUNNING');
    stack.prometheus?.setTargets('worker', [`127.0.0.1:${metricsPort}`, `127.0.0.1:${sdkPort}`]);
    const endpoints = { ...stack.endpoints, WORKER_METRICS_URL: `http://127.0.0.1:${metricsPort}/metrics` };
    const envFile = path.join(dataDir, 'endpoints.env');
    writeEndpointsFile(envFile, endpoints, [path.dirname(binaryPath('kubectl')), linkPromoter(dataDir)]);
    printNext(endpoints, envFile, Date.now() - started, stack.startupMs, external);
    await worker.run();
  } catch (err) {
    console.error(`[start] ${(err as Error).message}`);
    await stop(1);
  }
}

/** `promoter` on PATH for the second terminal: a link to bin/promoter.js in .data/bin. */
function linkPromoter(dataDir: string): string {
  const binDir = path.join(dataDir, 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  const link = path.join(binDir, 'promoter');
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.join(repoRoot, 'bin', 'promoter.js'), link);
  return binDir;
}

function printNext(endpoints: Record<string, string | undefined>, envFile: string, totalMs: number, startupMs: Record<string, number>, external: boolean): void {
  const rel = path.relative(process.cwd(), envFile);
  const parts = Object.entries(startupMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`).join(', ');
  console.log(`
canary-promoter is running (ready in ${(totalMs / 1000).toFixed(1)}s: ${parts})

  Temporal UI      ${endpoints.TEMPORAL_UI_URL}
  Temporal         ${endpoints.TEMPORAL_ADDRESS}
  Kubernetes       ${endpoints.KUBECONFIG ?? '(none)'}${external ? ' (yours)' : ' (sandbox, demo app in namespace demo)'}
  Prometheus       ${endpoints.PROMETHEUS_URL ?? '(none)'}
  Worker metrics   ${endpoints.WORKER_METRICS_URL}

In a second terminal:
  source ${rel}
  promoter start -f examples/demo-rolling.yaml --image registry.local/zai-proxy:1.2.1 --wait
  promoter start -f examples/demo-canary.yaml --image registry.local/zai-proxy:1.3.0-bad --wait   # rolls back
  kubectl get deploy -n demo

Ctrl-C stops everything.
`);
}

main().catch((err) => {
  console.error(`[start] ${(err as Error).message}`);
  process.exit(1);
});
