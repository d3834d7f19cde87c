// What a human needs after a rollback, collected before the evidence is gone: pod phases and
// conditions, restart counts and reasons, Deployment conditions and recent events.
import type { V1Pod } from '@kubernetes/client-node';
import type { Diagnostics, ObjectRef } from '../types';
import { call, KubeClients } from './client';

const MAX_EVENTS = 20;

export async function collectDiagnostics(kube: KubeClients, input: { namespace: string; deployments: string[] }): Promise<Diagnostics> {
  const deployments = [];
  const names = new Set<string>();
  for (const name of input.deployments) {
    const ref: ObjectRef = { namespace: input.namespace, name };
    const dep = await call(kube, 'get', `deployment ${name}`, () => kube.apps.readNamespacedDeployment(ref)).catch(() => undefined);
    if (!dep) continue;
    const selector = Object.entries(dep.spec?.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    const pods = await call(kube, 'list', `pods of ${name}`, () => kube.core.listNamespacedPod({ namespace: input.namespace, labelSelector: selector }));
    pods.items.forEach((p) => names.add(p.metadata?.name ?? ''));
    names.add(name);
    deployments.push({
      name,
      revision: dep.metadata?.annotations?.['deployment.kubernetes.io/revision'],
      replicas: `${dep.status?.readyReplicas ?? 0}/${dep.spec?.replicas ?? 1} ready, ${dep.status?.updatedReplicas ?? 0} updated`,
      conditions: (dep.status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason ?? ''}`.trim()),
      pods: pods.items.map(podSummary),
    });
  }
  const events = await call(kube, 'list', `events in ${input.namespace}`, () => kube.core.listNamespacedEvent({ namespace: input.namespace }));
  const relevant = events.items
    .filter((e) => [...names].some((n) => e.involvedObject.name?.startsWith(n)))
    .sort((a, b) => eventTime(b) - eventTime(a))
    .slice(0, MAX_EVENTS)
    .map((e) => `${e.type ?? ''} ${e.reason ?? ''} ${e.involvedObject.kind}/${e.involvedObject.name}: ${e.message ?? ''}`.trim());
  return { collectedAt: new Date().toISOString(), deployments, events: relevant };
}

function podSummary(p: V1Pod) {
  const statuses = p.status?.containerStatuses ?? [];
  const reasons = statuses.flatMap((s) => [s.state?.waiting?.reason, s.lastState?.terminated?.reason]).filter((r): r is string => !!r);
  return {
    name: p.metadata?.name ?? '',
    phase: p.status?.phase ?? 'Unknown',
    ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    restarts: statuses.reduce((n, s) => n + s.restartCount, 0),
    reasons,
  };
}

function eventTime(e: { lastTimestamp?: Date; eventTime?: Date; metadata?: { creationTimestamp?: Date } }): number {
  return new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0).getTime();
}
