// One function per step kind. Each registers its undo before it mutates anything, and every
// wait is interruptible by abort, deadlines and failing background analysis.
import type { DeploymentSnapshot } from '../activities/types';
import type { PromotionSpec, StepSpec } from '../spec/types';
import { kubeActivities, waitingActivities } from './activity-proxies';
import { bake, manualBake } from './bake';
import { interruptible, PromotionStopped } from './interrupt';
import type { Saga } from './saga';
import type { PromotionState } from './state';
import { runAnalysisStep, withBackgroundAnalysis } from './analysis-loop';
import { setWeight } from './traffic';

export interface StepContext {
  spec: PromotionSpec;
  state: PromotionState;
  saga: Saga;
  /** values measured before the first change, per check (relativeToBaseline) */
  baselines: Map<string, number>;
}

export async function runStep(ctx: StepContext, step: StepSpec): Promise<void> {
  switch (step.kind) {
    case 'setWeight':
      return setWeight(ctx, step.weight);
    case 'bake':
      return bakeWithAnalysis(ctx, step.duration);
    case 'manualBake':
      return manualBake(ctx.state, step.deadline, step.onTimeout);
    case 'analysis':
      ctx.state.setPhase('analysing');
      return runAnalysisStep(ctx, step.checks);
    case 'setImage':
      return setImage(ctx, step.deployment, step.image ?? ctx.spec.image);
    case 'scale':
      return scale(ctx, step.deployment, step.replicas);
  }
}

/** The background checks run for as long as the bake lasts; a failure stops the bake. */
async function bakeWithAnalysis(ctx: StepContext, durationMs: number): Promise<void> {
  await withBackgroundAnalysis(ctx, ctx.spec.background, () => bake(ctx.state, durationMs));
}

export function deploymentName(spec: PromotionSpec, which: 'stable' | 'canary'): string {
  const name = which === 'stable' ? spec.target.stable : spec.target.canary;
  if (!name) throw new PromotionStopped({ kind: 'step-failed', reason: `the step needs target.${which}, which the spec does not set` });
  return name;
}

/** Snapshot first, register the undo, then change: a crash between the two leaves an undo of a no-op. */
export async function snapshotAndRegister(ctx: StepContext, name: string): Promise<DeploymentSnapshot> {
  const snapshot = await kubeActivities.snapshotDeployment.executeWithOptions(
    { startToCloseTimeout: '1 minute', summary: `snapshot Deployment ${name}` }, [{ namespace: ctx.spec.target.namespace, name }]);
  ctx.saga.register(snapshot);
  return snapshot;
}

async function setImage(ctx: StepContext, which: 'stable' | 'canary', image: string): Promise<void> {
  const name = deploymentName(ctx.spec, which);
  ctx.state.setPhase('progressing');
  await snapshotAndRegister(ctx, name);
  const ref = { namespace: ctx.spec.target.namespace, name, container: ctx.spec.target.container };
  await kubeActivities.setDeploymentImage.executeWithOptions(
    { startToCloseTimeout: '1 minute', summary: `set image of ${name} to ${image}` }, [{ ...ref, image }]);
  ctx.state.record('set-image', `set ${which} Deployment ${name} to ${image}`);
  await awaitRollout(ctx, name, image);
}

async function scale(ctx: StepContext, which: 'stable' | 'canary', replicas: number): Promise<void> {
  const name = deploymentName(ctx.spec, which);
  ctx.state.setPhase('progressing');
  await snapshotAndRegister(ctx, name);
  await kubeActivities.scaleDeployment.executeWithOptions(
    { startToCloseTimeout: '1 minute', summary: `scale ${name} to ${replicas}` }, [{ namespace: ctx.spec.target.namespace, name, replicas }]);
  ctx.state.record('scale', `scaled ${which} Deployment ${name} to ${replicas}`);
  await awaitRollout(ctx, name);
}

/** Waits for a Deployment to finish rolling out; a rollout past the progress deadline fails the step. */
export async function awaitRollout(ctx: StepContext, name: string, image?: string): Promise<void> {
  const progressMs = ctx.spec.deadlines.progress;
  const result = await interruptible(ctx.state, () => waitingActivities.waitForRollout.executeWithOptions(
    {
      startToCloseTimeout: progressMs + 60_000, heartbeatTimeout: '10s', summary: `wait for rollout of ${name}`,
    },
    [{ namespace: ctx.spec.target.namespace, name, image, container: ctx.spec.target.container, deadlineAt: Date.now() + progressMs }]));
  if (result.status === 'failed') {
    ctx.state.requestStop({ kind: 'step-failed', reason: result.reason });
    throw new PromotionStopped(ctx.state.stop!);
  }
  ctx.state.record('rollout', `Deployment ${name} rolled out: ${result.state.availableReplicas}/${result.state.replicas} available, revision ${result.state.revision ?? '?'}`);
}
