// The promotion workflow, read top to bottom: pre-flight, the planned steps, finalize; and on
// any stop (analysis, abort, deadline, a failed step, cancellation) the saga restores every
// snapshot. Deadlines are timers in here, never workflow timeouts, so they always compensate.
import { CancellationScope, isCancellation, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { formatDuration } from '../spec/duration';
import type { PromotionInput, PromotionResult, Outcome } from './definitions';
import { installHandlers } from './handlers';
import { PromotionStopped } from './interrupt';
import { planSteps, summarizeStep } from './plan';
import { rootMessage, Saga } from './saga';
import { PromotionState, StopRequest } from './state';
import { runStep, StepContext } from './steps';
import { PromotionImage, PromotionTarget } from './search-attributes';
import { runPreflight, watchAfterPromotion } from './analysis-loop';
import { kubeActivities } from './activity-proxies';
import { beforeSteps, finalize } from './strategies';
import { promotionMetrics } from './sinks';
import { notify } from './notify';

export async function promotionWorkflow(input: PromotionInput): Promise<PromotionResult> {
  const { spec } = input;
  const plan = planSteps(spec);
  const state = new PromotionState(spec, plan.map((p) => summarizeStep(p.step)));
  const ctx: StepContext = { spec, state, saga: new Saga(), baselines: new Map() };
  installHandlers(state);
  upsertSearchAttributes([{ key: PromotionTarget, value: state.target }, { key: PromotionImage, value: spec.image }]);
  const startedAt = Date.now();
  promotionMetrics.started(state.target, spec.strategy.kind);
  state.record('start', `promotion of ${state.target} to ${spec.image} (${spec.strategy.kind}) started by ${input.startedBy}`, input.startedBy);
  state.setPhase('preflight');
  state.publishDetails();
  await notify(spec, `promotion to ${spec.image} (${spec.strategy.kind}) started by ${input.startedBy}`);

  const deadline = new CancellationScope();
  void deadline.run(async () => {
    await sleep(spec.deadlines.promotion, { summary: `promotion deadline ${formatDuration(spec.deadlines.promotion)}` });
    state.requestStop({ kind: 'deadline', reason: `the promotion deadline of ${formatDuration(spec.deadlines.promotion)} passed` });
  }).catch(() => undefined);

  try {
    await runPreflight(ctx);
    await beforeSteps(ctx);
    for (const [index, planned] of plan.entries()) {
      const record = state.steps[index]!;
      if (state.promoteFull && !planned.implicit) {
        record.status = 'skipped';
        continue;
      }
      state.currentStep = index;
      record.status = 'running';
      record.startedAt = new Date(Date.now()).toISOString();
      state.publishDetails();
      await runStep(ctx, planned.step);
      record.status = 'done';
      record.finishedAt = new Date(Date.now()).toISOString();
      await notify(spec, `step ${index + 1}/${plan.length} done: ${record.summary}`);
    }
    state.currentStep = undefined;
    await finalize(ctx);
    deadline.cancel();
    await watchAfterPromotion(ctx);
    await notify(spec, `promoted ${spec.image}`);
    return completed(result(input, ctx, 'promoted', state.promoteFull ? `promoted early by ${state.promoteFull.by}` : 'every step passed', { restored: [], left: [] }), startedAt);
  } catch (err) {
    deadline.cancel();
    const stop = stopFrom(state, err);
    return rollBack(input, ctx, stop).then((r) => completed(r, startedAt));
  }
}

function stopFrom(state: PromotionState, err: unknown): StopRequest {
  if (err instanceof PromotionStopped) return err.request;
  if (state.stop) return state.stop;
  if (isCancellation(err)) return { kind: 'cancelled', reason: 'the workflow was cancelled' };
  return { kind: 'step-failed', reason: rootMessage(err) };
}

async function rollBack(input: PromotionInput, ctx: StepContext, stop: StopRequest): Promise<PromotionResult> {
  const { state, saga, spec } = ctx;
  if (!state.stop) state.requestStop(stop);
  const running = state.currentStep !== undefined ? state.steps[state.currentStep] : undefined;
  if (running && running.status === 'running') running.status = 'failed';
  state.setPhase('rolling-back');
  await notify(spec, `rolling back ${spec.image}: ${stop.reason}`);
  const rollbackStarted = Date.now();
  // Evidence first: after the restore, the failing pods are gone. One short try, so a sick API
  // server cannot hold up the restore.
  const diagnostics = await CancellationScope.nonCancellable(() => kubeActivities.collectDiagnostics.executeWithOptions(
    { startToCloseTimeout: '15 seconds', summary: 'collect diagnostics', retry: { maximumAttempts: 1 } },
    [{ namespace: spec.target.namespace, deployments: [spec.target.stable, ...(spec.target.canary ? [spec.target.canary] : [])] }],
  )).catch(() => undefined);
  const report = await saga.compensate(spec.deadlines.progress, (message) => state.record('compensate', message));
  promotionMetrics.rolledBack(state.target, Date.now() - rollbackStarted);
  const outcome: Outcome = report.left.length > 0 ? 'rollback-failed' : 'rolled-back';
  await notify(spec, outcome === 'rolled-back'
    ? `rolled back: every object is as before (${report.restored.length} restored)`
    : `ROLLBACK FAILED, a human must restore: ${report.left.join('; ')}`);
  return { ...result(input, ctx, outcome, stop.reason, report), diagnostics };
}

function completed(r: PromotionResult, startedAt: number): PromotionResult {
  promotionMetrics.completed(r.target, r.outcome, Date.now() - startedAt);
  return r;
}

function result(input: PromotionInput, ctx: StepContext, outcome: Outcome, reason: string, report: { restored: string[]; left: string[] }): PromotionResult {
  const { state } = ctx;
  state.setOutcome(outcome, reason);
  state.record(outcome, reason);
  return {
    outcome,
    reason,
    target: state.target,
    image: ctx.spec.image,
    startedBy: input.startedBy,
    decidedBy: state.decidedBy,
    steps: state.steps,
    measurements: [...state.lastMeasurements.values()],
    restored: report.restored,
    leftToRestore: report.left,
    events: state.events,
  };
}
