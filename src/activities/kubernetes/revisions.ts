// The previous revision of a Deployment, as `kubectl rollout undo` finds it: the ReplicaSet it
// owns with the highest revision below the current one. Its pod template (minus the
// controller's pod-template-hash label) is what a fast rollback puts back.
import type { V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../workflows/failures';
import type { ObjectRef } from '../types';
import { call, KubeClients } from './client';
import { readDeployment } from './deployments';

const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';

export interface PreviousRevision {
  revision: string;
  template: V1PodTemplateSpec;
  /** the images of the previous revision, for the record */
  images: string[];
}

export function previousRevisionOf(replicaSets: V1ReplicaSet[], deploymentUid: string, currentRevision: number): PreviousRevision | undefined {
  const owned = replicaSets
    .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === deploymentUid))
    .map((rs) => ({ rs, revision: Number(rs.metadata?.annotations?.[REVISION] ?? 'NaN') }))
    .filter((x) => Number.isFinite(x.revision) && x.revision < currentRevision)
    .sort((a, b) => b.revision - a.revision);
  const best = owned[0];
  if (!best?.rs.spec?.template) return undefined;
  const template = structuredClone(best.rs.spec.template);
  if (template.metadata?.labels) delete template.metadata.labels[HASH_LABEL];
  return { revision: String(best.revision), template, images: (template.spec?.containers ?? []).map((c) => c.image ?? '') };
}

export async function findPreviousRevision(kube: KubeClients, ref: ObjectRef): Promise<PreviousRevision> {
  const dep = await readDeployment(kube, ref);
  const current = Number(dep.metadata?.annotations?.[REVISION] ?? '0');
  const selector = Object.entries(dep.spec?.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const list = await call(kube, 'list', `replicasets of ${ref.name}`, () => kube.apps.listNamespacedReplicaSet({ namespace: ref.namespace, labelSelector: selector }));
  const previous = previousRevisionOf(list.items, dep.metadata?.uid ?? '', current);
  if (!previous) {
    throw ApplicationFailure.nonRetryable(`deployment ${ref.namespace}/${ref.name} has no revision before ${current} to roll back to (revisionHistoryLimit may be 0)`, FailureType.TargetNotFound);
  }
  return previous;
}
