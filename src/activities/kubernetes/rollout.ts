// Waiting for a Deployment rollout, as `kubectl rollout status` judges it, inside one long
// activity that heartbeats: a killed worker's attempt times out on its heartbeat and the retry
// resumes watching. The deadline is absolute workflow time, so retries never restart the clock.
import { Context } from '@temporalio/activity';
import type { V1Deployment } from '@kubernetes/client-node';
import type { RolloutResult, WaitForRolloutInput } from '../types';
import { KubeClients } from './client';
import { deploymentState, readDeployment } from './deployments';

const POLL_MS = 500;

/** undefined while the rollout is still progressing. */
export function rolloutVerdict(dep: V1Deployment, input: Pick<WaitForRolloutInput, 'image' | 'container'>): RolloutResult | undefined {
  const state = deploymentState(dep, input.container);
  const progressing = dep.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return { status: 'failed', reason: `deployment ${state.name} exceeded its progress deadline (${progressing.message ?? 'no message'})`, state };
  }
  if (input.image && state.image !== input.image) {
    return { status: 'failed', reason: `deployment ${state.name} now runs image ${state.image}, not ${input.image}: someone else changed it`, state };
  }
  const total = dep.status?.replicas ?? 0;
  const done = state.observed && state.updatedReplicas === state.replicas && total === state.updatedReplicas && state.availableReplicas === state.updatedReplicas;
  return done ? { status: 'complete', state } : undefined;
}

export async function waitForRollout(kube: KubeClients, input: WaitForRolloutInput): Promise<RolloutResult> {
  const ctx = Context.current();
  for (;;) {
    const dep = await readDeployment(kube, input);
    const verdict = rolloutVerdict(dep, input);
    if (verdict) return verdict;
    const state = deploymentState(dep, input.container);
    if (Date.now() >= input.deadlineAt) {
      return { status: 'failed', reason: `deployment ${input.name} did not finish rolling out before the progress deadline: ${state.updatedReplicas}/${state.replicas} updated, ${state.availableReplicas} available`, state };
    }
    ctx.heartbeat({ updated: state.updatedReplicas, available: state.availableReplicas, replicas: state.replicas });
    // Cancellation (abort, deadline) arrives through the heartbeat; sleep rejects when it does.
    await ctx.sleep(POLL_MS);
  }
}
