// The worker as operators run it (its own process) exports its metrics and the Temporal SDK's on
// two ports; Prometheus scrapes both, and its HTTP API shows promotions by outcome, Kubernetes
// requests, measurements and SDK activity. /healthz answers while the worker runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@temporalio/client';
import { freePorts } from '../../src/sandbox/ports';
import { promotionWorkflowId } from '../../src/spec/target';
import type { PromotionSpec } from '../../src/spec/types';
import { PROMOTION_WORKFLOW, PromotionResult } from '../../src/workflows/definitions';
import { eventually, freshApp } from '../support/cluster';
import { rollingSpec, specFromYaml, targetYaml } from '../support/specs';
import { temporalClient, testStack, uniqueName } from '../support/stack';
import { spawnWorker, WorkerProcess } from '../support/worker-process';

let client: Client;
let closeClient: () => Promise<void>;
let worker: WorkerProcess | undefined;
const targetsFile = () => path.join(testStack().dir, 'prometheus-targets', 'worker.json');

beforeAll(async () => {
  ({ client, close: closeClient } = await temporalClient());
});

afterAll(async () => {
  fs.rmSync(targetsFile(), { force: true });
  await worker?.kill('SIGTERM');
  await closeClient?.();
});

/** Registers scrape targets the way src/sandbox/prometheus.ts does: file_sd, written then renamed. */
function registerTargets(targets: string[]): void {
  const file = targetsFile();
  fs.writeFileSync(`${file}.tmp`, JSON.stringify([{ targets, labels: { job: 'worker' } }]));
  fs.renameSync(`${file}.tmp`, file);
}

interface Sample { metric: Record<string, string>; value: [number, string] }

async function promQuery(query: string): Promise<Sample[]> {
  const url = `${testStack().endpoints.PROMETHEUS_URL}/api/v1/query?query=${encodeURIComponent(query)}`;
  const res = await fetch(url);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: Sample[] } };
  if (body.status !== 'success') throw new Error(`Prometheus: ${query}: ${body.error}`);
  return body.data!.result;
}

/** Polls Prometheus until `query` returns series satisfying `accept` (scrapes are every second). */
function scraped(query: string, accept: (samples: Sample[]) => boolean): Promise<Sample[]> {
  let last: Sample[] = [];
  return eventually(`Prometheus to return ${query} as expected`, async () => {
    last = await promQuery(query);
    return accept(last) ? last : undefined;
  }, 60_000, 500).catch((err: Error) => {
    throw new Error(`${err.message}\nlast answer: ${JSON.stringify(last)}`);
  });
}

const byLabel = (samples: Sample[], label: string) => Object.fromEntries(samples.map((s) => [s.metric[label], Number(s.value[1])]));

function start(spec: PromotionSpec, taskQueue: string): Promise<PromotionResult> {
  return client.workflow.start(PROMOTION_WORKFLOW, {
    workflowId: promotionWorkflowId(spec.target), taskQueue, args: [{ spec, startedBy: 'jest' }],
  }).then((h) => h.result() as Promise<PromotionResult>);
}

test('Prometheus scrapes the worker: promotions by outcome, Kubernetes requests, measurements and SDK metrics', async () => {
  const taskQueue = uniqueName('metrics');
  const [metricsPort, sdkPort] = (await freePorts(2)) as [number, number];
  const metricsTarget = `127.0.0.1:${metricsPort}`;
  const sdkTarget = `127.0.0.1:${sdkPort}`;
  worker = spawnWorker(taskQueue, { WORKER_METRICS_PORT: String(metricsPort), WORKER_SDK_METRICS_PORT: String(sdkPort) });
  await worker.ready;
  // "worker started" is printed just before the worker runs, so /healthz may need a moment.
  await eventually('/healthz to answer 200', async () => ((await fetch(`http://${metricsTarget}/healthz`)).status === 200 ? true : undefined), 30_000);
  registerTargets([metricsTarget, sdkTarget]);

  const [good, bad] = await Promise.all([freshApp('metrics-ok'), freshApp('metrics-rb')]);
  const promoted = specFromYaml(`apiVersion: canary-promoter/v1
kind: Promotion
${targetYaml(good)}image: registry.local/zai-proxy:1.2.1
strategy:
  rolling:
    steps: [ { bake: 4s } ]
analysis:
  checks:
    - name: stable-not-ready
      kubernetes: { deployment: stable, measure: notReadyRatio }
      condition: { atMost: 0.5 }
      interval: 1s
  background: [stable-not-ready]
deadlines: { promotion: 10m, progress: 1m }
`);
  const rolledBack = rollingSpec(bad, { image: 'registry.local/zai-proxy:1.2.1-unready', progress: '8s' });
  const [r1, r2] = await Promise.all([start(promoted, taskQueue), start(rolledBack, taskQueue)]);
  expect([r1.outcome, r2.outcome]).toEqual(['promoted', 'rolled-back']);
  expect(r1.measurements.map((m) => m.check)).toEqual(['stable-not-ready']);

  const completed = await scraped(`promoter_promotions_completed_total{job="worker",instance="${metricsTarget}"}`,
    (s) => byLabel(s, 'outcome').promoted === 1 && byLabel(s, 'outcome')['rolled-back'] === 1);
  expect(byLabel(completed, 'outcome')).toEqual({ promoted: 1, 'rolled-back': 1, 'rollback-failed': 0 });

  const startedTotal = await scraped(`promoter_promotions_started_total{instance="${metricsTarget}"}`, (s) => s.length > 0);
  expect(byLabel(startedTotal, 'strategy')).toEqual({ rolling: 2 });

  const durations = await scraped(`promoter_promotion_duration_seconds_count{instance="${metricsTarget}"}`, (s) => s.length === 2);
  expect(byLabel(durations, 'outcome')).toEqual({ promoted: 1, 'rolled-back': 1 });
  const rollbacks = await scraped(`promoter_rollback_duration_seconds_count{instance="${metricsTarget}"}`, (s) => s.length > 0);
  expect(Number(rollbacks[0]!.value[1])).toBe(1);

  // Reads of the Deployments and the image updates, labelled by verb and HTTP code.
  const writes = (samples: Sample[]) => samples.filter((x) => ['update', 'patch'].includes(x.metric.verb!) && x.metric.code === '200')
    .reduce((n, x) => n + Number(x.value[1]), 0);
  const kube = await scraped(`sum by (verb, code) (promoter_kubernetes_requests_total{instance="${metricsTarget}"})`, (s) => writes(s) >= 3);
  expect(kube.find((x) => x.metric.verb === 'get' && x.metric.code === '200')?.value[1]).toMatch(/^[1-9]\d*$/);
  expect(writes(kube)).toBeGreaterThanOrEqual(3); // two images set, one restored

  const measured = await scraped(`promoter_measurements_total{instance="${metricsTarget}",check="stable-not-ready"}`, (s) => s.length > 0);
  expect(byLabel(measured, 'verdict').pass).toBeGreaterThanOrEqual(1);

  // The SDK's own metrics, from its port.
  const workerStart = await scraped(`temporal_worker_start{instance="${sdkTarget}",task_queue="${taskQueue}"}`, (s) => s.length > 0);
  expect(Number(workerStart[0]!.value[1])).toBe(1);
  const requests = await scraped(`temporal_request{instance="${sdkTarget}",operation="RespondWorkflowTaskCompleted"}`, (s) => s.length > 0);
  expect(Number(requests[0]!.value[1])).toBeGreaterThan(0);

  // Both ports are up as scrape targets of the job.
  const up = await scraped('up{job="worker"}', (s) => s.length === 2 && s.every((x) => x.value[1] === '1'));
  expect(up.map((s) => s.metric.instance).sort()).toEqual([metricsTarget, sdkTarget].sort());

  const health = await fetch(`http://${metricsTarget}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.text()).toBe('ok\n');
});
