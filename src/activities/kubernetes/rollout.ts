// Waiting for a Deployment rollout, as `kubectl rollout status` judges it, inside one long
// activity that heartbeats: a killed worker's attempt times out on its heartbeat and the retry
// resumes watching. The deadline is absolute workflow time, so retries never restart the clock.
import { Context } from '@temporalio/activity';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { RolloutResult, WaitForRolloutInput } from '../types';
import { call, KubeClients } from './client';
import { deploymentState, readDeployment } from './deployments';

const POLL_MS = 500;
/** Restarts after which a crash-looping new pod fails the rollout without waiting for the deadline. */
const CRASH_RESTARTS = 2;

/**
 * Pods that will not come up, named with why: CrashLoopBackOff or OOMKilled past a couple of
 * restarts. A rollout with such pods fails at once instead of at its progress deadline, so a
 * crashing candidate is rolled back in seconds.
 */
export function crashingPods(pods: V1Pod[], image: string): string[] {
  const out: string[] = [];
  for (const pod of pods) {
    // Only pods of the revision being rolled out count: old or terminating ones are on their way out.
    if (pod.metadata?.deletionTimestamp) continue;
    for (const s of pod.status?.containerStatuses ?? []) {
      if (s.image !== image) continue;
      const reason = s.state?.waiting?.reason === 'CrashLoopBackOff' ? 'CrashLoopBackOff'
        : s.lastState?.terminated?.reason === 'OOMKilled' ? 'OOMKilled' : undefined;
      if (reason && s.restartCount >= CRASH_RESTARTS) out.push(`${pod.metadata?.name} ${reason} (${s.restartCount} restarts)`);
    }
  }
  return out;
}

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
    const selector = Object.entries(dep.spec?.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    const pods = await call(kube, 'list', `pods of ${input.name}`, () => kube.core.listNamespacedPod({ namespace: input.namespace, labelSelector: selector }));
    const crashing = crashingPods(pods.items, input.image ?? state.image);
    if (crashing.length > 0) {
      return { status: 'failed', reason: `deployment ${input.name}: new pods are failing: ${crashing.join(', ')}`, state };
    }
    if (Date.now() >= input.deadlineAt) {
      const unavailable = dep.status?.unavailableReplicas ?? 0;
      return { status: 'failed', reason: `deployment ${input.name} did not finish rolling out before the progress deadline: ${state.updatedReplicas}/${state.replicas} updated, ${state.availableReplicas} available, ${unavailable} unavailable`, state };
    }
    ctx.heartbeat({ updated: state.updatedReplicas, available: state.availableReplicas, replicas: state.replicas });
    // Cancellation (abort, deadline) arrives through the heartbeat; sleep rejects when it does.
    await ctx.sleep(POLL_MS);
  }
}
