// Blue-green: one Service's selector label decides which Deployment serves. Weight 100 selects
// the canary (new) side by its pod-template label, weight 0 the stable side; nothing between.
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../workflows/failures';
import { readDeployment } from '../kubernetes/deployments';
import type { KubeClients } from '../kubernetes/client';
import { readObject, services, updateObject } from '../kubernetes/objects';
import type { RoutingSnapshot } from '../types';
import type { Router, WeightRequest } from './router';
import { requireCanary } from './require-canary';

function config(req: Pick<WeightRequest, 'router' | 'target'>) {
  if (req.router.kind !== 'serviceSelector') throw ApplicationFailure.nonRetryable('not a serviceSelector router', FailureType.InvalidSpec);
  return { ref: { namespace: req.target.namespace, name: req.router.service }, label: req.router.label };
}

async function sideLabel(kube: KubeClients, namespace: string, deployment: string, label: string): Promise<string> {
  const dep = await readDeployment(kube, { namespace, name: deployment });
  const value = dep.spec?.template.metadata?.labels?.[label];
  if (value === undefined) {
    throw ApplicationFailure.nonRetryable(`Deployment ${namespace}/${deployment} has no pod label ${JSON.stringify(label)} to select it by`, FailureType.InvalidSpec);
  }
  return value;
}

export const serviceSelectorRouter: Router = {
  async snapshot(kube, req) {
    const { ref } = config(req);
    const svc = await readObject(kube, services, ref);
    const snapshot: RoutingSnapshot = { kind: 'Service', router: 'serviceSelector', ...ref, fields: { selector: svc.spec?.selector ?? null } };
    return [snapshot];
  },
  async apply(kube, req) {
    if (req.weight !== 0 && req.weight !== 100) {
      throw ApplicationFailure.nonRetryable(`the serviceSelector router switches all traffic at once: weight must be 0 or 100, not ${req.weight}`, FailureType.InvalidSpec);
    }
    const { ref, label } = config(req);
    const side = req.weight === 100 ? requireCanary(req.target) : req.target.stable;
    const value = await sideLabel(kube, ref.namespace, side, label);
    await updateObject(kube, services, ref, (svc) => {
      const selector = (svc.spec!.selector ??= {});
      if (selector[label] === value) return false;
      selector[label] = value;
      return true;
    });
    return [];
  },
  async observe(kube, req) {
    const { ref, label } = config(req);
    const svc = await readObject(kube, services, ref);
    const current = svc.spec?.selector?.[label];
    const canaryValue = await sideLabel(kube, ref.namespace, requireCanary(req.target), label);
    if (current === canaryValue) return 100;
    return current === undefined || current === (await sideLabel(kube, ref.namespace, req.target.stable, label)) ? 0 : undefined;
  },
};

/** Puts the whole selector back as it was. */
export async function restoreServiceSelector(kube: KubeClients, snapshot: RoutingSnapshot): Promise<void> {
  const old = (snapshot.fields.selector ?? {}) as Record<string, string>;
  await updateObject(kube, services, snapshot, (svc) => {
    if (JSON.stringify(sorted(svc.spec?.selector ?? {})) === JSON.stringify(sorted(old))) return false;
    svc.spec!.selector = { ...old };
    return true;
  });
}

const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
