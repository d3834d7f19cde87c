// Where analysis runs: pre-flight (before anything changes), explicit analysis steps,
// background analysis during every bake, and the post-promotion watch. The verdict logic is in
// src/analysis (pure); this file only schedules measurements and acts on verdicts.
import { CancellationScope, condition, isCancellation, proxyActivities, sleep } from '@temporalio/workflow';
import type { PromotionActivities } from '../activities';
import type { MeasureRequest } from '../activities/types';
import type { Observation } from '../analysis/types';
import { CheckRunState, newRunState, recordMeasurement, runVerdict } from '../analysis/run';
import { toMeasurement } from '../analysis/measurement';
import { describeDecision, summarizeMeasurement } from '../analysis/summary';
import { renderPromQL } from '../spec/promql';
import { templateVariables } from '../spec/target';
import { formatDuration } from '../spec/duration';
import type { CheckSpec } from '../spec/types';
import { interruptible, PromotionStopped, throwIfStopped } from './interrupt';
import type { StepContext } from './steps';

/** A source that cannot be asked is an `error` observation, so measuring retries only briefly. */
const measuring = proxyActivities<PromotionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1s', maximumAttempts: 2 },
});

function checksNamed(ctx: StepContext, names: string[]): CheckSpec[] {
  return names.map((name) => {
    const check = ctx.spec.checks.find((c) => c.name === name);
    if (!check) throw new PromotionStopped({ kind: 'step-failed', reason: `analysis names check ${JSON.stringify(name)}, which the spec does not define` });
    return check;
  });
}

export function measureRequest(ctx: StepContext, check: CheckSpec): MeasureRequest {
  const { spec } = ctx;
  const src = check.source;
  switch (src.kind) {
    case 'prometheus': {
      const needsStable = check.condition?.kind === 'relativeToStable' || check.condition?.kind === 'mannWhitney';
      return {
        kind: 'prometheus',
        query: renderPromQL(src.query, templateVariables(spec, 'canary')),
        stableQuery: needsStable ? renderPromQL(src.query, templateVariables(spec, 'stable')) : undefined,
        range: src.range,
      };
    }
    case 'kubernetes': {
      const deployment = src.deployment === 'canary' ? spec.target.canary ?? spec.target.stable : spec.target.stable;
      return { kind: 'kubernetes', namespace: spec.target.namespace, deployment, measure: src.measure };
    }
    case 'alerts':
      return { kind: 'alerts', names: src.names, labels: src.labels };
    case 'http':
      return { kind: 'http', url: src.url, expectStatus: src.expectStatus, expectJson: src.expectJson };
  }
}

async function measureOnce(ctx: StepContext, check: CheckSpec, run: CheckRunState): Promise<CheckRunState> {
  const observation: Observation = await measuring.measureCheck.executeWithOptions(
    { startToCloseTimeout: '30 seconds', retry: { initialInterval: '1s', maximumAttempts: 2 }, summary: `measure ${check.name}` },
    [measureRequest(ctx, check)],
  ).catch((err: Error) => {
    // A measurement cut short because its bake ended is no measurement at all, not an error.
    if (isCancellation(err)) throw err;
    return { kind: 'error' as const, message: err.message };
  });
  const measurement = toMeasurement(check, observation, Date.now(), { baseline: ctx.baselines.get(check.name) });
  ctx.state.addMeasurement(measurement);
  const next = recordMeasurement(run, measurement);
  if (measurement.verdict !== 'pass') ctx.state.record('measurement', summarizeMeasurement(measurement));
  return next;
}

/**
 * Measures one check until its run verdict is decided (or forever, for background runs), and
 * acts on it: `fail`/`error` stop the promotion; `inconclusive` pauses for a human or fails.
 */
async function runCheck(ctx: StepContext, check: CheckSpec, background: boolean): Promise<void> {
  let run = newRunState(check);
  if (check.initialDelay > 0) await sleep(check.initialDelay, { summary: `initial delay of ${check.name}` });
  for (;;) {
    throwIfStopped(ctx.state);
    run = await measureOnce(ctx, check, run);
    const verdict = runVerdict(run, check);
    if (check.dryRun) {
      // Measured and reported, never decides: a dry-run check only stops when its count is done.
      if (verdict !== 'running' && !background) return;
    } else if (verdict === 'fail' || verdict === 'error') {
      ctx.state.requestStop({ kind: 'analysis', reason: describeDecision(run, check, verdict)! });
      throw new PromotionStopped(ctx.state.stop!);
    } else if (verdict === 'inconclusive') {
      return onInconclusive(ctx, check, describeDecision(run, check, verdict)!);
    } else if (verdict === 'pass' && !background) {
      return;
    }
    await sleep(check.interval, { summary: `next measurement of ${check.name} in ${formatDuration(check.interval)}` });
  }
}

async function onInconclusive(ctx: StepContext, check: CheckSpec, why: string): Promise<void> {
  if (check.onInconclusiveLimit === 'fail') {
    ctx.state.requestStop({ kind: 'analysis', reason: why });
    throw new PromotionStopped(ctx.state.stop!);
  }
  ctx.state.paused = true;
  ctx.state.record('pause', `${why}: paused for a human (resume or promote to continue, abort to roll back)`);
  ctx.state.setPhase('paused');
  await condition(() => !ctx.state.paused || !!ctx.state.stop || !!ctx.state.promoteFull);
  throwIfStopped(ctx.state);
}

/** An analysis step: every named check until each decides. */
export async function runAnalysisStep(ctx: StepContext, names: string[]): Promise<void> {
  if (ctx.state.promoteFull) return; // promote --full skips analysis too
  const checks = checksNamed(ctx, names);
  await interruptible(ctx.state, () => Promise.all(checks.map((c) => runCheck(ctx, c, false))));
}

/** Runs `work` while the background checks measure on their intervals; a failure stops it. */
export async function withBackgroundAnalysis<T>(ctx: StepContext, names: string[], work: () => Promise<T>): Promise<T> {
  const checks = checksNamed(ctx, names);
  if (checks.length === 0) return work();
  const scope = new CancellationScope();
  const background = scope.run(() => Promise.all(checks.map((c) => runCheck(ctx, c, true))));
  background.catch(() => undefined); // its failures arrive as a stop request
  try {
    return await work();
  } finally {
    scope.cancel();
  }
}

/** Pre-flight: the named checks once each, and the baselines, before anything changes. */
export async function runPreflight(ctx: StepContext): Promise<void> {
  await inspectTarget(ctx);
  for (const check of ctx.spec.checks.filter((c) => c.condition?.kind === 'relativeToBaseline')) await takeBaseline(ctx, check);
  const checks = checksNamed(ctx, ctx.spec.preflight).map((c) => ({ ...c, count: 1, initialDelay: 0 }));
  await interruptible(ctx.state, () => Promise.all(checks.map((c) => runCheck(ctx, c, false))));
}

/**
 * Every Deployment the promotion names must exist and have the container, before anything
 * changes; a typo fails here with the field to fix, not halfway through. Health is recorded.
 */
async function inspectTarget(ctx: StepContext): Promise<void> {
  const { target } = ctx.spec;
  const names = [target.stable, ...(target.canary ? [target.canary] : [])];
  for (const name of names) {
    const state = await measuring.readDeploymentState.executeWithOptions(
      { startToCloseTimeout: '30 seconds', retry: { initialInterval: '1s', maximumAttempts: 3 }, summary: `inspect ${name}` },
      [{ namespace: target.namespace, name, container: target.container }]);
    ctx.state.record('preflight', `${name}: ${state.image} on container ${state.container}, ${state.availableReplicas}/${state.replicas} available, revision ${state.revision ?? '?'}`);
  }
}

const BASELINE_ATTEMPTS = 5;

/**
 * A baseline must be a number. A source that has no data yet (a fresh series, a scrape not yet
 * in) is asked again on the check's interval a few times before the baseline is given up, in
 * which case the check measures `inconclusive` and its limits decide.
 */
async function takeBaseline(ctx: StepContext, check: CheckSpec): Promise<void> {
  let last = '';
  for (let attempt = 1; attempt <= BASELINE_ATTEMPTS; attempt++) {
    const observation = await measuring.measureCheck.executeWithOptions(
      { startToCloseTimeout: '30 seconds', retry: { initialInterval: '1s', maximumAttempts: 2 }, summary: `baseline of ${check.name}` },
      [measureRequest(ctx, check)]);
    if (observation.kind === 'value' && Number.isFinite(observation.value)) {
      ctx.baselines.set(check.name, observation.value);
      ctx.state.record('baseline', `baseline of ${check.name}: ${observation.value}`);
      return;
    }
    last = observation.kind === 'error' ? `error: ${observation.message}` : observation.kind === 'value' ? String(observation.value) : 'no data';
    if (attempt < BASELINE_ATTEMPTS) await interruptible(ctx.state, () => sleep(check.interval, { summary: `retry baseline of ${check.name}` }));
  }
  ctx.state.record('baseline', `no baseline for ${check.name} after ${BASELINE_ATTEMPTS} attempts (last: ${last}); its measurements will be inconclusive`);
}

/** The post-promotion watch: background analysis for a while after promotion; regression rolls back. */
export async function watchAfterPromotion(ctx: StepContext): Promise<void> {
  const watch = ctx.spec.postPromotion;
  if (!watch) return;
  ctx.state.setPhase('watching');
  ctx.state.record('watch', `watching ${watch.checks.join(', ')} for ${formatDuration(watch.watch)} after promotion`);
  await withBackgroundAnalysis(ctx, watch.checks,
    () => interruptible(ctx.state, () => sleep(watch.watch, { summary: `post-promotion watch ${formatDuration(watch.watch)}` })));
}
