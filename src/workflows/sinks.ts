// Metrics leave the workflow through a sink: the worker turns these calls into Prometheus
// metrics. Sinks are not called during replay, so a replayed history never double-counts.
import { proxySinks, Sinks } from '@temporalio/workflow';

export interface PromoterSinks extends Sinks {
  promotionMetrics: {
    started(target: string, strategy: string): void;
    phase(target: string, phase: string): void;
    measured(check: string, verdict: string): void;
    completed(target: string, outcome: string, durationMs: number): void;
    rolledBack(target: string, durationMs: number): void;
  };
}

export const { promotionMetrics } = proxySinks<PromoterSinks>();
