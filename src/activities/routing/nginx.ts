// The ingress-nginx canary: the `canary-weight` annotation on a canary Ingress the spec points
// at. The Ingress must already be a canary Ingress (`canary: "true"`); we never create one and
// never touch the main Ingress.
import { ApplicationFailure } from '@temporalio/common';
import type { V1Ingress } from '@kubernetes/client-node';
import { FailureType } from '../../workflows/failures';
import { ingresses, readObject, updateObject } from '../kubernetes/objects';
import type { RoutingSnapshot } from '../types';
import type { Router, WeightRequest } from './router';

export const CANARY_ANNOTATION = 'nginx.ingress.kubernetes.io/canary';
export const WEIGHT_ANNOTATION = 'nginx.ingress.kubernetes.io/canary-weight';

function ingressRef(req: Pick<WeightRequest, 'router' | 'target'>) {
  if (req.router.kind !== 'nginx') throw ApplicationFailure.nonRetryable('nginx router without an ingress', FailureType.InvalidSpec);
  return { namespace: req.target.namespace, name: req.router.ingress };
}

function assertCanaryIngress(ing: V1Ingress): void {
  if (ing.metadata?.annotations?.[CANARY_ANNOTATION] !== 'true') {
    throw ApplicationFailure.nonRetryable(
      `Ingress ${ing.metadata?.namespace}/${ing.metadata?.name} is not a canary Ingress (annotation ${CANARY_ANNOTATION}: "true" is missing); ` +
      'point the nginx router at the canary Ingress, never at the main one', FailureType.InvalidSpec);
  }
}

export const nginxRouter: Router = {
  async snapshot(kube, req) {
    const ref = ingressRef(req);
    const ing = await readObject(kube, ingresses, ref);
    assertCanaryIngress(ing);
    const snapshot: RoutingSnapshot = {
      kind: 'Ingress', router: 'nginx', ...ref,
      fields: { [WEIGHT_ANNOTATION]: ing.metadata?.annotations?.[WEIGHT_ANNOTATION] ?? null },
    };
    return [snapshot];
  },
  async apply(kube, req) {
    const ref = ingressRef(req);
    await updateObject(kube, ingresses, ref, (ing) => {
      assertCanaryIngress(ing);
      const annotations = (ing.metadata!.annotations ??= {});
      if (annotations[WEIGHT_ANNOTATION] === String(req.weight)) return false;
      annotations[WEIGHT_ANNOTATION] = String(req.weight);
      return true;
    });
    return [];
  },
  async observe(kube, req) {
    const ing = await readObject(kube, ingresses, ingressRef(req));
    const raw = ing.metadata?.annotations?.[WEIGHT_ANNOTATION];
    const weight = raw === undefined ? 0 : Number(raw);
    return Number.isFinite(weight) ? weight : undefined;
  },
};

/** Puts the annotation back exactly: the old value, or no annotation at all. */
export async function restoreNginx(kube: Parameters<Router['apply']>[0], snapshot: RoutingSnapshot): Promise<void> {
  const old = snapshot.fields[WEIGHT_ANNOTATION] as string | null;
  await updateObject(kube, ingresses, snapshot, (ing) => {
    const annotations = (ing.metadata!.annotations ??= {});
    if ((annotations[WEIGHT_ANNOTATION] ?? null) === old) return false;
    if (old === null) delete annotations[WEIGHT_ANNOTATION];
    else annotations[WEIGHT_ANNOTATION] = old;
    return true;
  });
}
