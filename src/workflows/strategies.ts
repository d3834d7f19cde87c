// What each strategy adds around the planned steps: preparing the new side before, and making
// the promotion final after (new stable image, traffic back on stable, old side scaled down).
import { sleep } from '@temporalio/workflow';
import { formatDuration } from '../spec/duration';
import { kubeActivities } from './activity-proxies';
import { interruptible } from './interrupt';
import { awaitRollout, deploymentName, runStep, snapshotAndRegister, StepContext } from './steps';
import { setWeight } from './traffic';

export async function beforeSteps(ctx: StepContext): Promise<void> {
  if (ctx.spec.strategy.kind !== 'blueGreen') return;
  // The new side must carry the whole load before the switch: match the stable's replicas.
  const canary = deploymentName(ctx.spec, 'canary');
  const stable = await kubeActivities.readDeploymentState({ namespace: ctx.spec.target.namespace, name: ctx.spec.target.stable });
  const snapshot = await snapshotAndRegister(ctx, canary);
  if (snapshot.replicas < stable.replicas) await runStep(ctx, { kind: 'scale', deployment: 'canary', replicas: stable.replicas });
}

export async function finalize(ctx: StepContext): Promise<void> {
  const { spec, state } = ctx;
  state.setPhase('finalizing');
  switch (spec.strategy.kind) {
    case 'rolling':
      return;
    case 'canary':
      // The stable Deployment takes the new image, then traffic returns to it.
      await runStep(ctx, { kind: 'setImage', deployment: 'stable', image: spec.image });
      await setWeight(ctx, 0);
      return;
    case 'blueGreen': {
      if (state.weight !== 100) await setWeight(ctx, 100);
      const delay = spec.strategy.scaleDownDelay;
      if (delay > 0) {
        state.record('scale-down-delay', `keeping ${spec.target.stable} up for ${formatDuration(delay)} for an instant switch back`);
        await interruptible(state, () => sleep(delay, { summary: `scale-down delay ${formatDuration(delay)}` }));
      }
      const old = await snapshotAndRegister(ctx, spec.target.stable);
      await kubeActivities.scaleDeployment.executeWithOptions(
        { startToCloseTimeout: '1 minute', summary: `scale ${old.name} to 0` }, [{ namespace: old.namespace, name: old.name, replicas: 0 }]);
      await awaitRollout(ctx, old.name);
      state.record('scale', `scaled the old side ${old.name} to 0 (kept for a fast rollback)`);
      return;
    }
  }
}
