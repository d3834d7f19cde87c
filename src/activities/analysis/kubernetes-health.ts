// Kubernetes health of one Deployment as a number: ready ratio, NotReady ratio, worst restart
// count, pods in CrashLoopBackOff, pods whose last termination was OOMKilled, rollout progress.
import type { V1Pod } from '@kubernetes/client-node';
import type { Observation } from '../../analysis/types';
import type { KubernetesMeasure } from '../../spec/types';
import { call, KubeClients } from '../kubernetes/client';
import { readDeployment } from '../kubernetes/deployments';

export function measurePods(measure: KubernetesMeasure, pods: V1Pod[], replicas: number, updated: number): number | undefined {
  const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  const statuses = pods.flatMap((p) => p.status?.containerStatuses ?? []);
  switch (measure) {
    case 'readyRatio':
      return pods.length === 0 ? undefined : ready / pods.length;
    case 'notReadyRatio':
      return pods.length === 0 ? undefined : (pods.length - ready) / pods.length;
    case 'maxRestarts':
      return statuses.reduce((max, s) => Math.max(max, s.restartCount), 0);
    case 'crashLoopBackOff':
      return pods.filter((p) => p.status?.containerStatuses?.some((s) => s.state?.waiting?.reason === 'CrashLoopBackOff')).length;
    case 'oomKilled':
      return pods.filter((p) => p.status?.containerStatuses?.some((s) => s.lastState?.terminated?.reason === 'OOMKilled' || s.state?.terminated?.reason === 'OOMKilled')).length;
    case 'rolloutProgress':
      return replicas === 0 ? 1 : updated / replicas;
  }
}

export async function observeKubernetes(kube: KubeClients, input: { namespace: string; deployment: string; measure: KubernetesMeasure }): Promise<Observation> {
  try {
    const dep = await readDeployment(kube, { namespace: input.namespace, name: input.deployment });
    const selector = Object.entries(dep.spec?.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    const pods = await call(kube, 'list', `pods of ${input.deployment}`, () => kube.core.listNamespacedPod({ namespace: input.namespace, labelSelector: selector }));
    const live = pods.items.filter((p) => !p.metadata?.deletionTimestamp);
    const value = measurePods(input.measure, live, dep.spec?.replicas ?? 1, dep.status?.updatedReplicas ?? 0);
    return value === undefined ? { kind: 'noData' } : { kind: 'value', value };
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
}
