// Weight approximated by replica counts of the canary and stable Deployments behind one Service,
// keeping total capacity: canary = the nearest whole share of capacity (at least 1 for any
// weight above 0), stable = capacity − canary. Rounding to nearest, not up, keeps 34% of 3
// replicas at 1 canary pod (33%) instead of 2 (67%).
import type { Router } from './router';
import { requireCanary } from './require-canary';
import { readDeployment, scaleDeployment, snapshotOf } from '../kubernetes/deployments';

export function replicaSplit(capacity: number, weight: number): { canary: number; stable: number } {
  const canary = weight <= 0 ? 0 : Math.min(capacity, Math.max(1, Math.round((capacity * weight) / 100)));
  return { canary, stable: capacity - canary };
}

export const replicasRouter: Router = {
  async snapshot(kube, { target }) {
    const canary = requireCanary(target);
    return [
      snapshotOf(await readDeployment(kube, { namespace: target.namespace, name: target.stable })),
      snapshotOf(await readDeployment(kube, { namespace: target.namespace, name: canary })),
    ];
  },
  async apply(kube, { target, weight, capacity }) {
    const canary = requireCanary(target);
    const split = replicaSplit(capacity, weight);
    // Grow before shrinking, so capacity never dips below what it was.
    const order: [string, number][] = split.canary >= split.stable
      ? [[canary, split.canary], [target.stable, split.stable]]
      : [[target.stable, split.stable], [canary, split.canary]];
    for (const [name, replicas] of order) await scaleDeployment(kube, { namespace: target.namespace, name, replicas });
    return [target.stable, canary];
  },
  async observe(kube, { target }) {
    const canary = requireCanary(target);
    const c = await readDeployment(kube, { namespace: target.namespace, name: canary });
    const s = await readDeployment(kube, { namespace: target.namespace, name: target.stable });
    const ready = (c.status?.readyReplicas ?? 0) + (s.status?.readyReplicas ?? 0);
    return ready === 0 ? undefined : Math.round(((c.status?.readyReplicas ?? 0) * 100) / ready);
  },
};
