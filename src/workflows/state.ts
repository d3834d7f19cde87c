// The workflow's mutable state in one small class: what the status query returns, plus the
// operator requests (pause, promote, abort) that the step functions wait on.
import { log, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { Measurement } from '../analysis/types';
import type { PromotionSpec } from '../spec/types';
import { Actor, Outcome, Phase, PromoteRequest, PromotionEvent, PromotionStatus, StepRecord } from './definitions';
import { PromotionOutcome, PromotionPhase } from './search-attributes';
import { currentDetailsMarkdown } from './details';
import { promotionMetrics } from './sinks';

/** Why the promotion must stop and roll back. */
export interface StopRequest {
  kind: 'abort' | 'analysis' | 'deadline' | 'step-failed' | 'cancelled' | 'manual-timeout';
  reason: string;
  by?: Actor;
}

const MAX_EVENTS = 200;

export class PromotionState {
  phase: Phase = 'preflight';
  paused = false;
  stop?: StopRequest;
  /** set by `promote`; consumed by the step that honours it */
  promoteRequest?: PromoteRequest;
  /** `promote --full`: skip every remaining step */
  promoteFull?: PromoteRequest;
  decidedBy?: Actor;
  weight?: number;
  bake?: { totalMs: number; remainingMs: number; runningSince?: number };
  currentStep?: number;
  readonly steps: StepRecord[];
  readonly lastMeasurements = new Map<string, Measurement>();
  readonly events: PromotionEvent[] = [];
  outcome?: Outcome;
  reason?: string;

  constructor(readonly spec: PromotionSpec, stepSummaries: string[]) {
    this.steps = stepSummaries.map((summary, index) => ({ index, summary, status: 'pending' }));
  }

  get target(): string {
    return `${this.spec.target.namespace}/${this.spec.target.stable}`;
  }

  record(kind: string, message: string, by?: string): void {
    this.events.push({ at: new Date(Date.now()).toISOString(), kind, message, by });
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    log.info(message, { kind, by });
  }

  setPhase(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    upsertSearchAttributes([{ key: PromotionPhase, value: phase }]);
    promotionMetrics.phase(this.target, phase);
    this.publishDetails();
  }

  setOutcome(outcome: Outcome, reason: string): void {
    this.outcome = outcome;
    this.reason = reason;
    upsertSearchAttributes([{ key: PromotionOutcome, value: outcome }]);
    this.setPhase(outcome);
  }

  requestStop(request: StopRequest): void {
    if (this.stop) return; // the first reason wins; later ones are only logged
    this.stop = request;
    this.record(request.kind, `stopping: ${request.reason}`, request.by?.by);
  }

  addMeasurement(m: Measurement): void {
    this.lastMeasurements.set(m.check, m);
    promotionMetrics.measured(m.check, m.verdict);
  }

  publishDetails(): void {
    setCurrentDetails(currentDetailsMarkdown(this.status()));
  }

  status(): PromotionStatus {
    const bakeRemainingMs = this.bake
      ? Math.max(0, this.bake.remainingMs - (this.bake.runningSince !== undefined ? Date.now() - this.bake.runningSince : 0))
      : undefined;
    return {
      target: this.target,
      image: this.spec.image,
      strategy: this.spec.strategy.kind,
      phase: this.phase,
      paused: this.paused,
      currentStep: this.currentStep,
      steps: this.steps.map((s) => ({ ...s })),
      weight: this.weight,
      bakeRemainingMs,
      bakeTotalMs: this.bake?.totalMs,
      bakeEndsAt: this.bake?.runningSince !== undefined
        ? new Date(this.bake.runningSince + this.bake.remainingMs).toISOString() : undefined,
      lastMeasurements: [...this.lastMeasurements.values()],
      events: [...this.events],
      outcome: this.outcome,
      reason: this.reason,
    };
  }
}
