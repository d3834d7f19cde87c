// The whole local stack in one call, stopped by one call: Temporal dev server, the Kubernetes
// control plane, our simulated kubelet and data plane, and Prometheus scraping them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './binaries';
import { ControlPlane, startControlPlane } from './control-plane';
import { ManagedProcess, waitFor } from './process';
import { freePort } from './ports';
import { PrometheusServer, startPrometheus } from './prometheus';
import { startTemporalServer, TemporalServer, TemporalServerOptions } from './temporal-server';

export interface StackOptions {
  /** run folder: logs, certificates, data */
  dir: string;
  temporal?: Omit<TemporalServerOptions, 'dir' | 'log'> | false;
  /** start the control plane, simulators and Prometheus */
  kubernetes: boolean;
  /** create the demo namespace with its app */
  demo?: boolean;
  /** alerting rule files for Prometheus */
  ruleFiles?: string[];
  log: (line: string) => void;
}

/** Environment variables a client needs; written to `endpoints.env` for `source`. */
export interface StackEndpoints {
  TEMPORAL_ADDRESS?: string;
  TEMPORAL_NAMESPACE?: string;
  TEMPORAL_UI_URL?: string;
  KUBECONFIG?: string;
  PROMETHEUS_URL?: string;
  DATA_PLANE_URL?: string;
}

export interface Stack {
  endpoints: StackEndpoints;
  startupMs: Record<string, number>;
  temporal?: TemporalServer;
  controlPlane?: ControlPlane;
  prometheus?: PrometheusServer;
  simulators?: ManagedProcess;
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  fs.mkdirSync(opts.dir, { recursive: true });
  const stack: Stack = { endpoints: {}, startupMs: {}, stop: async () => undefined };
  const stoppers: (() => Promise<void>)[] = [];
  stack.stop = async () => {
    for (const stop of stoppers.reverse()) await stop().catch((err) => opts.log(`stop: ${(err as Error).message}`));
    stoppers.length = 0;
  };
  try {
    if (opts.temporal !== false) {
      const temporal = await startTemporalServer({ ...(opts.temporal ?? {}), dir: opts.dir, log: opts.log });
      stoppers.push(temporal.stop);
      stack.temporal = temporal;
      stack.startupMs.temporal = temporal.startupMs;
      Object.assign(stack.endpoints, { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, TEMPORAL_UI_URL: temporal.uiUrl });
    }
    if (opts.kubernetes) {
      const cp = await startControlPlane({ dir: path.join(opts.dir, 'cluster'), log: opts.log });
      stoppers.push(cp.stop);
      stack.controlPlane = cp;
      Object.assign(stack.startupMs, cp.startupMs);
      stack.endpoints.KUBECONFIG = cp.kubeconfigPath;

      let t = Date.now();
      const sim = await startSimulators(opts.dir, cp.kubeconfigPath, opts.demo ?? false);
      stoppers.push(() => sim.process.stop());
      stack.simulators = sim.process;
      stack.startupMs.simulators = Date.now() - t;
      stack.endpoints.DATA_PLANE_URL = sim.dataPlaneUrl;
      opts.log(`simulated kubelet and data plane ready (${sim.dataPlaneUrl})${opts.demo ? ' with the demo app' : ''} in ${stack.startupMs.simulators} ms`);

      t = Date.now();
      const prom = await startPrometheus({ dir: opts.dir, ruleFiles: opts.ruleFiles, log: opts.log });
      stoppers.push(prom.stop);
      stack.prometheus = prom;
      stack.startupMs.prometheus = prom.startupMs;
      prom.setTargets('data-plane', [new URL(sim.dataPlaneUrl).host]);
      stack.endpoints.PROMETHEUS_URL = prom.url;
    }
    return stack;
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

async function startSimulators(dir: string, kubeconfig: string, demo: boolean) {
  const port = await freePort();
  const logFile = path.join(dir, 'simulators.log');
  const entry = path.join(repoRoot, 'dist', 'sandbox', 'simulators-main.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: compile first with \`npm run build\` (npm start and npm test do it).`);
  const args = [entry, '--kubeconfig', kubeconfig, '--metrics-port', String(port)];
  if (demo) args.push('--demo');
  const proc = ManagedProcess.start('simulators', process.execPath, args, { logFile });
  const ready = await waitFor(async () => {
    const line = fs.readFileSync(logFile, 'utf8').split('\n').find((l) => l.includes('"ready":true'));
    return line ? (JSON.parse(line) as { dataPlaneUrl: string }) : undefined;
  }, { what: 'the simulated kubelet and data plane', timeoutMs: 120_000, process: proc });
  return { process: proc, dataPlaneUrl: ready.dataPlaneUrl };
}

/** `pathDirs` go in front of PATH (our kubectl, newer than a distribution's). */
export function writeEndpointsFile(file: string, endpoints: Record<string, string | undefined>, pathDirs: string[] = []): void {
  const lines = Object.entries(endpoints)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `export ${k}=${JSON.stringify(v)}`);
  if (pathDirs.length > 0) lines.push(`export PATH="${pathDirs.join(':')}:$PATH"`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `# written by npm start; use with: source ${path.relative(process.cwd(), file)}\n${lines.join('\n')}\n`);
}
