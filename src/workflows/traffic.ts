// setWeight: snapshot what the router will touch, register the undo, apply, then wait for any
// Deployments it scaled. The weight shown in status is the one observed afterwards.
import type { Snapshot } from '../activities/types';
import { kubeActivities } from './activity-proxies';
import { awaitRollout, StepContext } from './steps';

export async function setWeight(ctx: StepContext, weight: number): Promise<void> {
  const { spec, state, saga } = ctx;
  if (spec.strategy.kind === 'rolling') throw new Error('setWeight is not a rolling step');
  const router = spec.strategy.router;
  state.setPhase('progressing');
  const base = { target: spec.target, router, weight, capacity: 0 };
  const snapshots: Snapshot[] = await kubeActivities.snapshotTraffic.executeWithOptions(
    { startToCloseTimeout: '1 minute', summary: `snapshot ${router.kind} routing` }, [base]);
  snapshots.forEach((s) => saga.register(s));
  const request = { ...base, capacity: stableCapacity(ctx) };
  const scaled = await kubeActivities.applyTrafficWeight.executeWithOptions(
    { startToCloseTimeout: '1 minute', summary: `set weight ${weight}%` }, [request]);
  for (const name of scaled) await awaitRollout(ctx, name);
  state.weight = await kubeActivities.observeTrafficWeight.executeWithOptions(
    { startToCloseTimeout: '1 minute', summary: 'observe weight' }, [{ target: spec.target, router }]);
  state.record('set-weight', `set weight ${weight}% (${router.kind} router); observed ${state.weight ?? 'unknown'}%`);
}

/** The stable side's replicas before the promotion: the capacity the replicas router keeps. */
function stableCapacity(ctx: StepContext): number {
  const stable = ctx.saga.snapshots.find((s) => s.kind === 'Deployment' && s.name === ctx.spec.target.stable);
  return stable && stable.kind === 'Deployment' ? stable.replicas : 1;
}
