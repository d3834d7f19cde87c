// A router makes a traffic split real. Small on purpose: the workflow decides the weight; a
// router only converges objects to it, skips writes that change nothing, and refuses objects it
// was not pointed at.
import { ApplicationFailure } from '@temporalio/common';
import type { RouterSpec, TargetSpec } from '../../spec/types';
import { FailureType } from '../../workflows/failures';
import type { Snapshot } from '../types';
import type { KubeClients } from '../kubernetes/client';
import { replicasRouter } from './replicas';
import { nginxRouter } from './nginx';
import { serviceSelectorRouter } from './service-selector';

export interface WeightRequest {
  target: TargetSpec;
  router: RouterSpec;
  /** percent of traffic for the canary, 0..100 */
  weight: number;
  /** stable replicas before the promotion: the capacity the replicas router keeps */
  capacity: number;
}

export interface Router {
  /** The objects `apply` will touch, as they are now. */
  snapshot(kube: KubeClients, req: WeightRequest): Promise<Snapshot[]>;
  /** Converges the objects to `weight`; returns the Deployments it scaled (to wait for). */
  apply(kube: KubeClients, req: WeightRequest): Promise<string[]>;
  /** The canary weight now, in percent; undefined when it cannot be observed. */
  observe(kube: KubeClients, req: Omit<WeightRequest, 'weight' | 'capacity'>): Promise<number | undefined>;
}

const routers: Record<RouterSpec['kind'], Router> = {
  replicas: replicasRouter,
  nginx: nginxRouter,
  serviceSelector: serviceSelectorRouter,
};

export function routerFor(spec: RouterSpec): Router {
  const router = routers[spec.kind];
  if (!router) {
    throw ApplicationFailure.nonRetryable(`unknown router kind ${JSON.stringify(spec.kind)}; valid: ${Object.keys(routers).join(', ')}`, FailureType.InvalidSpec);
  }
  return router;
}
