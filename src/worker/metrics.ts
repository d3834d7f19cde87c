// The worker's own Prometheus metrics (prom-client) and its /metrics and /healthz endpoint.
// Names and units follow Prometheus conventions: _total counters, _seconds durations.
import * as http from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { InjectedSinks } from '@temporalio/worker';
import type { PromoterSinks } from '../workflows/sinks';

export const PHASES = ['preflight', 'progressing', 'baking', 'paused', 'waiting-for-approval', 'analysing', 'finalizing', 'watching', 'rolling-back'] as const;

export class WorkerMetrics {
  readonly registry = new Registry();
  readonly started = new Counter({ name: 'promoter_promotions_started_total', help: 'Promotions started, by strategy', labelNames: ['strategy'], registers: [this.registry] });
  readonly completed = new Counter({ name: 'promoter_promotions_completed_total', help: 'Promotions finished, by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly duration = new Histogram({
    name: 'promoter_promotion_duration_seconds', help: 'Duration of finished promotions, start to outcome', labelNames: ['outcome'],
    buckets: [30, 60, 300, 600, 1200, 1800, 3600, 7200, 14400], registers: [this.registry],
  });
  readonly phase = new Gauge({ name: 'promoter_promotion_phase', help: '1 for the current phase of each running promotion target', labelNames: ['target', 'phase'], registers: [this.registry] });
  readonly measurements = new Counter({ name: 'promoter_measurements_total', help: 'Analysis measurements, by check and verdict', labelNames: ['check', 'verdict'], registers: [this.registry] });
  readonly rollback = new Histogram({ name: 'promoter_rollback_duration_seconds', help: 'Time from the decision to roll back to the end of compensation', buckets: [1, 5, 10, 30, 60, 120, 300, 600], registers: [this.registry] });
  readonly kubeRequests = new Counter({ name: 'promoter_kubernetes_requests_total', help: 'Kubernetes API requests, by verb and HTTP code', labelNames: ['verb', 'code'], registers: [this.registry] });
  readonly prometheusQueries = new Counter({ name: 'promoter_prometheus_queries_total', help: 'Prometheus queries made by analysis, by result', labelNames: ['result'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'promoter_worker_' });
    // Series exist from the start at 0, so increase() sees the first promotion of each outcome.
    for (const outcome of ['promoted', 'rolled-back', 'rollback-failed']) this.completed.inc({ outcome }, 0);
  }

  observeKube = (verb: string, code: number | 'error') => this.kubeRequests.inc({ verb, code: String(code) });
  observePrometheus = (result: 'ok' | 'no-data' | 'error') => this.prometheusQueries.inc({ result });

  setPhase(target: string, phase: string): void {
    for (const p of PHASES) this.phase.set({ target, phase: p }, p === phase ? 1 : 0);
  }

  sinks(): InjectedSinks<PromoterSinks> {
    return {
      promotionMetrics: {
        started: { fn: (_info, _target, strategy) => this.started.inc({ strategy }) },
        phase: { fn: (_info, target, phase) => this.setPhase(target, phase) },
        measured: { fn: (_info, check, verdict) => this.measurements.inc({ check, verdict }) },
        completed: {
          fn: (_info, target, outcome, durationMs) => {
            this.completed.inc({ outcome });
            this.duration.observe({ outcome }, durationMs / 1000);
            PHASES.forEach((p) => this.phase.remove({ target, phase: p }));
          },
        },
        rolledBack: { fn: (_info, _target, durationMs) => this.rollback.observe(durationMs / 1000) },
      },
    };
  }
}

/** Serves /metrics and /healthz on 127.0.0.1 (or `host`); `healthy` decides /healthz. */
export function serveMetrics(metrics: WorkerMetrics, port: number, healthy: () => boolean, host = '127.0.0.1'): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      metrics.registry.metrics().then((body) => {
        res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
        res.end(body);
      }, (err: Error) => {
        res.writeHead(500);
        res.end(err.message);
      });
    } else if (req.url === '/healthz') {
      const ok = healthy();
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' });
      res.end(ok ? 'ok\n' : 'worker not running\n');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
