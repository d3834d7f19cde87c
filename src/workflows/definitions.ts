// The promotion workflow's public surface: input, result, status, signals and queries. Pure
// definitions, imported by the workflow, the CLI and tests alike.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PromotionSpec } from '../spec/types';
import type { Measurement } from '../analysis/types';
import type { Diagnostics } from '../activities/types';

export const PROMOTION_WORKFLOW = 'promotionWorkflow';
export const DEFAULT_TASK_QUEUE = 'canary-promoter';

export type Outcome = 'promoted' | 'rolled-back' | 'rollback-failed';

export type Phase =
  | 'preflight' | 'progressing' | 'baking' | 'paused' | 'waiting-for-approval' | 'analysing'
  | 'finalizing' | 'watching' | 'rolling-back' | Outcome;

/** Who sent a signal and why; lands in history and in the event list. */
export interface Actor {
  by: string;
  reason?: string;
}

export interface PromotionInput {
  spec: PromotionSpec;
  /** who started it (CI actor or user) */
  startedBy: string;
}

export interface PromotionEvent {
  /** ISO time (workflow time) */
  at: string;
  kind: string;
  message: string;
  by?: string;
}

export interface StepRecord {
  index: number;
  summary: string;
  status: 'pending' | 'running' | 'done' | 'skipped' | 'failed';
  startedAt?: string;
  finishedAt?: string;
}

export interface PromotionStatus {
  target: string;
  image: string;
  strategy: string;
  phase: Phase;
  paused: boolean;
  /** index into steps; undefined before the first and after the last */
  currentStep?: number;
  steps: StepRecord[];
  /** canary traffic weight, percent; undefined where it cannot be observed */
  weight?: number;
  /** ms of bake left; undefined when not baking */
  bakeRemainingMs?: number;
  bakeTotalMs?: number;
  /**
   * ISO time the running bake ends; undefined when not baking or paused. Workflow time only
   * moves when the workflow runs, so clients compute the time left with their own clock.
   */
  bakeEndsAt?: string;
  /** the last measurement of each check */
  lastMeasurements: Measurement[];
  events: PromotionEvent[];
  outcome?: Outcome;
  reason?: string;
}

export interface PromotionResult {
  outcome: Outcome;
  reason: string;
  target: string;
  image: string;
  startedBy: string;
  /** who aborted, approved or promoted, and why */
  decidedBy?: Actor;
  steps: StepRecord[];
  /** the measurements that decided it (the last of each check) */
  measurements: Measurement[];
  /** objects restored during compensation */
  restored: string[];
  /** for rollback-failed: exactly what a human must still restore */
  leftToRestore: string[];
  diagnostics?: Diagnostics;
  events: PromotionEvent[];
}

export interface PromoteRequest extends Actor {
  /** skip every remaining step and analysis */
  full?: boolean;
}

export const pauseSignal = defineSignal<[Actor]>('pause');
export const resumeSignal = defineSignal<[Actor]>('resume');
export const promoteSignal = defineSignal<[PromoteRequest]>('promote');
export const abortSignal = defineSignal<[Actor]>('abort');
export const statusQuery = defineQuery<PromotionStatus>('status');
