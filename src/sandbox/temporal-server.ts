// The Temporal CLI dev server: a full Temporal server with SQLite persistence and the web UI,
// plus the search attributes the promotion workflow keeps current.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { promotionSearchAttributeNames } from '../workflows/search-attributes';
import { binaryPath, temporalOnPathIsCompatible } from './binaries';
import { ManagedProcess, waitFor } from './process';
import { freePorts } from './ports';

const run = promisify(execFile);

export interface TemporalServerOptions {
  dir: string;
  /** SQLite file; state survives a restart. Default: in memory. */
  dbFile?: string;
  /** fixed ports for `npm start` (stable UI address); default: free ports */
  port?: number;
  uiPort?: number;
  headless?: boolean;
  log: (line: string) => void;
}

export interface TemporalServer {
  /** host:port of the frontend gRPC service */
  address: string;
  namespace: string;
  uiUrl?: string;
  startupMs: number;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export function temporalCli(): string {
  return temporalOnPathIsCompatible() ?? binaryPath('temporal');
}

export async function startTemporalServer(opts: TemporalServerOptions): Promise<TemporalServer> {
  const [freeGrpc, freeUi, httpPort, metricsPort] = await freePorts(4) as [number, number, number, number];
  const port = opts.port ?? freeGrpc;
  const uiPort = opts.uiPort ?? freeUi;
  const address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--http-port', String(httpPort),
    '--metrics-port', String(metricsPort), '--log-level', 'warn'];
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  const started = Date.now();
  const proc = ManagedProcess.start('temporal dev server', temporalCli(), args, { logFile: path.join(opts.dir, 'temporal.log') });
  try {
    await waitFor(() => cli(['operator', 'cluster', 'health', '--address', address]).then(() => true as const), {
      what: `Temporal dev server on ${address}`, timeoutMs: 60_000, intervalMs: 300, process: proc,
    });
    await registerSearchAttributes(address, 'default');
  } catch (err) {
    await proc.stop();
    throw err;
  }
  const startupMs = Date.now() - started;
  const uiUrl = opts.headless ? undefined : `http://127.0.0.1:${uiPort}`;
  opts.log(`Temporal dev server ready on ${address}${uiUrl ? `, UI ${uiUrl}` : ''} in ${startupMs} ms`);
  return { address, namespace: 'default', uiUrl, startupMs, process: proc, stop: () => proc.stop() };
}

/** Idempotent: `--search-attribute` at start is ignored once the namespace exists in the DB file. */
export async function registerSearchAttributes(address: string, namespace: string): Promise<void> {
  const { stdout } = await cli(['operator', 'search-attribute', 'list', '--address', address, '--namespace', namespace, '-o', 'json']);
  const existing = stdout;
  const missing = promotionSearchAttributeNames.filter((name) => !existing.includes(`"${name}"`));
  if (missing.length === 0) return;
  for (const name of missing) {
    await cli(['operator', 'search-attribute', 'create', '--address', address, '--namespace', namespace, '--name', name, '--type', 'Keyword']);
  }
}

function cli(args: string[]) {
  return run(temporalCli(), args, { timeout: 20_000 });
}
