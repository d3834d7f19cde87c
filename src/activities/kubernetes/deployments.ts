// Deployment activities. Every mutation reads, writes the absolute desired state only when it
// differs, and returns the snapshot of what it replaced, so a retried activity is harmless and
// the workflow always holds an exact undo record.
import type { V1Deployment } from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../workflows/failures';
import type { DeploymentSnapshot, DeploymentState, ObjectRef } from '../types';
import { call, isConflict, KubeClients, translateApiError } from './client';
import { canonicalJson } from './canonical-json';

export async function readDeployment(kube: KubeClients, ref: ObjectRef): Promise<V1Deployment> {
  return call(kube, 'get', `deployment ${ref.namespace}/${ref.name}`, () => kube.apps.readNamespacedDeployment(ref));
}

export function containerOf(dep: V1Deployment, container?: string): { name: string; image: string } {
  const containers = dep.spec?.template.spec?.containers ?? [];
  const found = container ? containers.find((c) => c.name === container) : containers[0];
  if (!found) {
    const names = containers.map((c) => c.name).join(', ') || 'none';
    throw ApplicationFailure.nonRetryable(
      `deployment ${dep.metadata?.namespace}/${dep.metadata?.name} has no container ${JSON.stringify(container)}; containers: ${names}`,
      FailureType.InvalidSpec);
  }
  return { name: found.name, image: found.image ?? '' };
}

export function deploymentState(dep: V1Deployment, container?: string): DeploymentState {
  const c = containerOf(dep, container);
  return {
    exists: true,
    namespace: dep.metadata?.namespace ?? '',
    name: dep.metadata?.name ?? '',
    image: c.image,
    container: c.name,
    replicas: dep.spec?.replicas ?? 1,
    readyReplicas: dep.status?.readyReplicas ?? 0,
    updatedReplicas: dep.status?.updatedReplicas ?? 0,
    availableReplicas: dep.status?.availableReplicas ?? 0,
    revision: dep.metadata?.annotations?.['deployment.kubernetes.io/revision'],
    observed: (dep.status?.observedGeneration ?? 0) >= (dep.metadata?.generation ?? 0),
  };
}

export function snapshotOf(dep: V1Deployment): DeploymentSnapshot {
  return {
    kind: 'Deployment',
    namespace: dep.metadata?.namespace ?? '',
    name: dep.metadata?.name ?? '',
    replicas: dep.spec?.replicas ?? 1,
    template: structuredClone(dep.spec!.template),
    revision: dep.metadata?.annotations?.['deployment.kubernetes.io/revision'],
  };
}

/**
 * Read-modify-write with optimistic concurrency: `mutate` edits a fresh copy and returns false
 * when nothing needs to change. Conflicts (409) re-read and try again.
 */
export async function updateDeployment(kube: KubeClients, ref: ObjectRef, mutate: (dep: V1Deployment) => boolean): Promise<DeploymentSnapshot> {
  for (let attempt = 0; ; attempt++) {
    const current = await readDeployment(kube, ref);
    const before = snapshotOf(current);
    if (!mutate(current)) return before;
    try {
      await kube.apps.replaceNamespacedDeployment({ ...ref, body: current });
      kube.observe('update', 200);
      return before;
    } catch (err) {
      kube.observe('update', (err as { code?: number }).code ?? 'error');
      if (!isConflict(err) || attempt >= 5) throw translateApiError(err, `update deployment ${ref.namespace}/${ref.name}`);
    }
  }
}

export function setDeploymentImage(kube: KubeClients, input: ObjectRef & { container?: string; image: string }): Promise<DeploymentSnapshot> {
  return updateDeployment(kube, input, (dep) => {
    const name = containerOf(dep, input.container).name;
    const c = dep.spec!.template.spec!.containers.find((x) => x.name === name)!;
    if (c.image === input.image) return false;
    c.image = input.image;
    return true;
  });
}

export function scaleDeployment(kube: KubeClients, input: ObjectRef & { replicas: number }): Promise<DeploymentSnapshot> {
  return updateDeployment(kube, input, (dep) => {
    if ((dep.spec!.replicas ?? 1) === input.replicas) return false;
    dep.spec!.replicas = input.replicas;
    return true;
  });
}

/** Puts the pod template and replica count back exactly as snapshotted, then verifies it. */
export async function restoreDeployment(kube: KubeClients, snapshot: DeploymentSnapshot): Promise<void> {
  const wanted = canonicalJson(snapshot.template);
  await updateDeployment(kube, snapshot, (dep) => {
    const same = canonicalJson(dep.spec!.template) === wanted && (dep.spec!.replicas ?? 1) === snapshot.replicas;
    if (same) return false;
    dep.spec!.template = structuredClone(snapshot.template);
    dep.spec!.replicas = snapshot.replicas;
    return true;
  });
  const after = await readDeployment(kube, snapshot);
  if (canonicalJson(after.spec!.template) !== wanted || (after.spec!.replicas ?? 1) !== snapshot.replicas) {
    throw ApplicationFailure.retryable(`deployment ${snapshot.namespace}/${snapshot.name} does not match its snapshot after restore`, FailureType.RestoreNotVerified);
  }
}
