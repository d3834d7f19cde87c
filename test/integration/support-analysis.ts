// Helpers for the analysis integration tests (analysis-*.test.ts): canary specs with checks
// written as users write them, a worker per test, status polling, measurement events, direct
// PromQL, and a Prometheus of a test's own that can be stopped and restarted on its port.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, WorkflowHandle } from '@temporalio/client';
import { stringify } from 'yaml';
import type { DemoApp } from '../../src/sandbox/demo-app';
import { whichSync } from '../../src/sandbox/binaries';
import { ManagedProcess, waitFor } from '../../src/sandbox/process';
import { startPrometheus } from '../../src/sandbox/prometheus';
import { promotionWorkflowId } from '../../src/spec/target';
import type { PromotionSpec } from '../../src/spec/types';
import type { Measurement } from '../../src/analysis/types';
import { PROMOTION_WORKFLOW, PromotionEvent, PromotionInput, PromotionResult, PromotionStatus, statusQuery } from '../../src/workflows/definitions';
import { eventually } from '../support/cluster';
import { specFromYaml } from '../support/specs';
import { startWorker, temporalClient, testStack, uniqueName } from '../support/stack';

export const GOOD = 'registry.local/zai-proxy:1.3.0';
export const BAD = 'registry.local/zai-proxy:1.3.0-bad';
export const SLOW = 'registry.local/zai-proxy:1.3.0-slow';
export const CRASH = 'registry.local/zai-proxy:1.3.0-crash';
export const NOTOKENS = 'registry.local/zai-proxy:1.3.0-notokens';

/** Selects one side's series of the test's namespace; placeholders are rendered per side. */
const side = 'namespace="{{namespace}}",deployment="{{deployment}}"';

/** Checks as a user writes them (YAML mappings), with 10 s rate windows for the 1 s scrapes. */
export const checks = {
  errorRate: (extra: Record<string, unknown> = {}) => ({
    name: 'error-rate',
    prometheus: {
      query: `sum(rate(zai_proxy_requests_total{${side},status=~"5.."}[10s])) / sum(rate(zai_proxy_requests_total{${side}}[10s]))`,
    },
    condition: { below: 0.05 },
    ...extra,
  }),
  p95: (extra: Record<string, unknown> = {}) => ({
    name: 'p95',
    prometheus: { query: `histogram_quantile(0.95, sum by (le) (rate(zai_proxy_request_duration_seconds_bucket{${side}}[10s])))` },
    condition: { relativeToStable: { maxRatio: 1.5 } },
    ...extra,
  }),
  /** `> 0` filters a flat counter's 0 rate out: a side that stopped counting tokens has no data. */
  tokens: (extra: Record<string, unknown> = {}) => ({
    name: 'tokens',
    prometheus: { query: `sum(rate(zai_proxy_tokens_total{${side}}[10s])) > 0` },
    condition: { above: 0 },
    ...extra,
  }),
  crashLoop: (extra: Record<string, unknown> = {}) => ({
    name: 'crash-loop',
    kubernetes: { deployment: 'canary', measure: 'crashLoopBackOff' },
    ...extra,
  }),
  canaryAlerts: (namespace: string, extra: Record<string, unknown> = {}) => ({
    name: 'canary-alerts',
    alerts: { names: ['ZaiProxyCanaryHighErrorRate'], labels: { namespace } },
    ...extra,
  }),
};

export interface CanarySpecOptions {
  image: string;
  /** the written steps, e.g. [{ setWeight: 33 }, { bake: '40s' }] */
  steps: unknown[];
  checks: Record<string, unknown>[];
  background?: string[];
  progress?: string;
}

/** A canary promotion with the replicas router, through the real YAML parser. */
export function canarySpec(app: DemoApp, opts: CanarySpecOptions): PromotionSpec {
  const doc = {
    apiVersion: 'canary-promoter/v1',
    kind: 'Promotion',
    target: { namespace: app.namespace, stable: app.stable, canary: app.canary, container: app.container, service: app.service },
    image: opts.image,
    strategy: { canary: { router: { replicas: {} }, steps: opts.steps } },
    analysis: {
      defaults: { interval: '2s' },
      checks: opts.checks,
      ...(opts.background && { background: opts.background }),
    },
    deadlines: { promotion: '10m', progress: opts.progress ?? '1m' },
  };
  return specFromYaml(stringify(doc));
}

type PromotionWorkflow = (input: PromotionInput) => Promise<PromotionResult>;
export type PromotionHandle = WorkflowHandle<PromotionWorkflow>;

/**
 * A Temporal client, plus a worker of the real workflow bundle and activities on a task queue of
 * its own per test (`env` e.g. points it at another Prometheus). `stopAll` in afterEach/afterAll.
 */
export class Runner {
  private client?: Client;
  private closeClient?: () => Promise<void>;
  private readonly stoppers: (() => Promise<void>)[] = [];

  async open(): Promise<void> {
    ({ client: this.client, close: this.closeClient } = await temporalClient());
  }

  /** Starts a worker on a fresh task queue and the promotion on it. */
  async start(spec: PromotionSpec, env: NodeJS.ProcessEnv = {}): Promise<PromotionHandle> {
    const taskQueue = uniqueName('analysis');
    const { stop } = await startWorker(taskQueue, env);
    this.stoppers.push(stop);
    return this.client!.workflow.start<PromotionWorkflow>(PROMOTION_WORKFLOW, {
      workflowId: promotionWorkflowId(spec.target), taskQueue, args: [{ spec, startedBy: 'jest' }],
    });
  }

  async run(spec: PromotionSpec, env: NodeJS.ProcessEnv = {}): Promise<PromotionResult> {
    return (await this.start(spec, env)).result();
  }

  /** Stops the workers started so far (another test's worker never runs this test's workflows). */
  async stopWorkers(): Promise<void> {
    for (const stop of this.stoppers.splice(0)) await stop();
  }

  async close(): Promise<void> {
    await this.stopWorkers();
    await this.closeClient?.();
  }
}

/** Polls the status query until `predicate` holds; returns that status. */
export function statusWhen(handle: WorkflowHandle, what: string, predicate: (s: PromotionStatus) => boolean, timeoutMs = 120_000): Promise<PromotionStatus> {
  return eventually(what, async () => {
    const s = await handle.query(statusQuery);
    return predicate(s) ? s : undefined;
  }, timeoutMs);
}

/** The last measurement of a check in a status or result. */
export function lastOf(measurements: Measurement[], check: string): Measurement | undefined {
  return measurements.find((m) => m.check === check);
}

/** Every non-pass measurement of a check, as recorded in the event list: `{ verdict, reason }`. */
export function measurementEvents(events: PromotionEvent[], check: string): { verdict: string; reason: string }[] {
  return events
    .filter((e) => e.kind === 'measurement' && e.message.startsWith(`${check}: `))
    .map((e) => {
      const [verdict = '', ...rest] = e.message.slice(check.length + 2).split(', ');
      return { verdict, reason: rest.join(', ') };
    });
}

export function stepStatus(result: PromotionResult, summary: string): string | undefined {
  return result.steps.find((s) => s.summary === summary)?.status;
}

/** An instant query straight to a Prometheus: the vector's values (empty when no data). */
export async function promQuery(url: string, query: string): Promise<number[]> {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
  const body = (await res.json()) as { status: string; error?: string; data: { result: { value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`query ${query} failed: ${body.error}`);
  return body.data.result.map((r) => Number(r.value[1]));
}

export function sharedPrometheusUrl(): string {
  return testStack().endpoints.PROMETHEUS_URL;
}

/** The error-rate query of one side, rendered by hand, to see what a Prometheus holds. */
export function errorRateQuery(namespace: string, deployment: string): string {
  const sel = `namespace="${namespace}",deployment="${deployment}"`;
  return `sum(rate(zai_proxy_requests_total{${sel},status=~"5.."}[10s])) / sum(rate(zai_proxy_requests_total{${sel}}[10s]))`;
}

/**
 * A Prometheus of the test's own (src/sandbox/prometheus.ts) scraping the shared data plane.
 * `stop()` takes it down; `restart()` brings it back on the same port, config and storage, as a
 * restarted Prometheus server would be, so a worker configured with `url` reaches it again.
 */
export interface OwnPrometheus {
  url: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export async function ownPrometheus(): Promise<OwnPrometheus> {
  const dir = path.join(testStack().dir, uniqueName('own-prometheus'));
  fs.mkdirSync(dir, { recursive: true });
  const server = await startPrometheus({ dir, log: () => undefined });
  server.setTargets('data-plane', [new URL(testStack().endpoints.DATA_PLANE_URL).host]);
  let proc = server.process;
  const url = server.url;
  // startPrometheus's layout: the config and storage it generated, reused by the restart.
  const configFile = path.join(dir, 'prometheus.yml');
  if (!fs.existsSync(configFile)) throw new Error(`${configFile} is missing: startPrometheus changed its layout`);
  return {
    url,
    stop: () => proc.stop(),
    restart: async () => {
      if (proc.running) throw new Error('restart() while Prometheus still runs');
      proc = ManagedProcess.start('prometheus', whichSync('prometheus')!, [
        `--config.file=${configFile}`, `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`,
        `--web.listen-address=${new URL(url).host}`, '--web.enable-lifecycle', '--log.level=warn',
      ], { logFile: path.join(dir, 'prometheus.log') });
      await waitFor(() => fetch(`${url}/-/ready`).then((r) => (r.ok ? true : undefined)), {
        what: 'the restarted Prometheus /-/ready', timeoutMs: 60_000, process: proc,
      });
    },
  };
}
