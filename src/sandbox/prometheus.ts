// Prometheus from Debian, run by hand with a generated config: 1 s scrapes, storage in the run's
// folder, targets in file_sd files so a worker started later can be added without a restart.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { whichSync } from './binaries';
import { ManagedProcess, waitFor } from './process';
import { freePort } from './ports';

export interface PrometheusOptions {
  dir: string;
  /** rule files (alerting rules) to load */
  ruleFiles?: string[];
  log: (line: string) => void;
}

export interface PrometheusServer {
  url: string;
  startupMs: number;
  process: ManagedProcess;
  /** Sets the host:port targets of a scrape job (jobs: data-plane, worker, worker-sdk, ...). */
  setTargets(job: string, targets: string[]): void;
  stop(): Promise<void>;
}

export async function startPrometheus(opts: PrometheusOptions): Promise<PrometheusServer> {
  const binary = whichSync('prometheus');
  if (!binary) throw new Error('prometheus is not installed: run `apt-get install prometheus` (npm start and npm test do it when run as root).');
  const sdDir = path.join(opts.dir, 'prometheus-targets');
  fs.mkdirSync(sdDir, { recursive: true });
  const config = [
    'global: { scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s }',
    `rule_files: ${JSON.stringify(opts.ruleFiles ?? [])}`,
    'scrape_configs:',
    '  - job_name: sandbox',
    '    file_sd_configs:',
    `      - files: ["${sdDir}/*.json"]`,
    '        refresh_interval: 1s',
    '',
  ].join('\n');
  const configFile = path.join(opts.dir, 'prometheus.yml');
  fs.writeFileSync(configFile, config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const proc = ManagedProcess.start('prometheus', binary, [
    `--config.file=${configFile}`, `--storage.tsdb.path=${path.join(opts.dir, 'prometheus-data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--web.enable-lifecycle', '--log.level=warn',
  ], { logFile: path.join(opts.dir, 'prometheus.log') });
  await waitFor(() => fetch(`${url}/-/ready`).then((r) => (r.ok ? true : undefined)), {
    what: 'Prometheus /-/ready', timeoutMs: 60_000, process: proc,
  });
  const startupMs = Date.now() - started;
  opts.log(`Prometheus ready on ${url} in ${startupMs} ms`);
  const setTargets = (job: string, targets: string[]) => {
    // Written then renamed so Prometheus never reads a half-written file.
    const file = path.join(sdDir, `${job}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify([{ targets, labels: { job } }]));
    fs.renameSync(`${file}.tmp`, file);
  };
  return { url, startupMs, process: proc, setTargets, stop: () => proc.stop() };
}
