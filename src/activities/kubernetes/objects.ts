// Read-modify-write for Services and Ingresses, with optimistic concurrency like Deployments.
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import type { ObjectRef } from '../types';
import { call, isConflict, KubeClients, translateApiError } from './client';

interface Access<T> {
  kind: string;
  read(kube: KubeClients, ref: ObjectRef): Promise<T>;
  replace(kube: KubeClients, ref: ObjectRef, body: T): Promise<unknown>;
}

export const services: Access<V1Service> = {
  kind: 'service',
  read: (kube, ref) => kube.core.readNamespacedService(ref),
  replace: (kube, ref, body) => kube.core.replaceNamespacedService({ ...ref, body }),
};

export const ingresses: Access<V1Ingress> = {
  kind: 'ingress',
  read: (kube, ref) => kube.networking.readNamespacedIngress(ref),
  replace: (kube, ref, body) => kube.networking.replaceNamespacedIngress({ ...ref, body }),
};

export function readObject<T>(kube: KubeClients, access: Access<T>, ref: ObjectRef): Promise<T> {
  return call(kube, 'get', `${access.kind} ${ref.namespace}/${ref.name}`, () => access.read(kube, ref));
}

/** `mutate` edits a fresh copy and returns false when nothing needs to change. */
export async function updateObject<T>(kube: KubeClients, access: Access<T>, ref: ObjectRef, mutate: (obj: T) => boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const current = await readObject(kube, access, ref);
    if (!mutate(current)) return;
    try {
      await access.replace(kube, ref, current);
      kube.observe('update', 200);
      return;
    } catch (err) {
      kube.observe('update', (err as { code?: number }).code ?? 'error');
      if (!isConflict(err) || attempt >= 5) throw translateApiError(err, `update ${access.kind} ${ref.namespace}/${ref.name}`);
    }
  }
}
