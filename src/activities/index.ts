// createActivities(deps) wires every activity to its dependencies. The worker registers the
// result; tests build it against the real sandbox cluster.
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../workflows/failures';
import type { Observation } from '../analysis/types';
import type { DeploymentSnapshot, MeasureRequest, ObjectRef, RoutingSnapshot, Snapshot, WaitForRolloutInput } from './types';
import { observePrometheus, PrometheusClient } from './analysis/prometheus';
import { observeKubernetes } from './analysis/kubernetes-health';
import { observeAlerts, observeHttp } from './analysis/probes';
import { KubeClients } from './kubernetes/client';
import { readDeployment, deploymentState, restoreDeployment, scaleDeployment, setDeploymentImage, snapshotOf } from './kubernetes/deployments';
import { routerFor, WeightRequest } from './routing/router';
import { restoreNginx } from './routing/nginx';
import { restoreServiceSelector } from './routing/service-selector';
import { waitForRollout } from './kubernetes/rollout';
import { collectDiagnostics } from './kubernetes/diagnostics';
import { findPreviousRevision } from './kubernetes/revisions';
import { postWebhook } from './notify/webhook';

export interface ActivityDeps {
  kube: KubeClients;
  /** Prometheus for prometheus and alerts checks; checks of those kinds error without it */
  prometheus?: PrometheusClient;
  /** webhook name → URL (PROMOTER_WEBHOOK_<NAME>) */
  webhooks?: Record<string, string>;
  /** namespaces the worker may act in; undefined = any the RBAC allows */
  allowedNamespaces?: string[];
}

export function createActivities(deps: ActivityDeps) {
  const { kube } = deps;
  const guard = (namespace: string) => {
    if (deps.allowedNamespaces && !deps.allowedNamespaces.includes(namespace)) {
      throw ApplicationFailure.nonRetryable(
        `namespace ${JSON.stringify(namespace)} is not in this worker's PROMOTER_ALLOWED_NAMESPACES (${deps.allowedNamespaces.join(', ')})`,
        FailureType.NamespaceNotAllowed);
    }
  };
  return {
    async readDeploymentState(input: ObjectRef & { container?: string }) {
      guard(input.namespace);
      return deploymentState(await readDeployment(kube, input), input.container);
    },
    async snapshotDeployment(input: ObjectRef): Promise<DeploymentSnapshot> {
      guard(input.namespace);
      return snapshotOf(await readDeployment(kube, input));
    },
    /** The objects setting a weight will touch, as they are now (register them before applying). */
    async snapshotTraffic(input: WeightRequest): Promise<Snapshot[]> {
      guard(input.target.namespace);
      return routerFor(input.router).snapshot(kube, input);
    },
    /** Converges the router's objects to the weight; returns Deployments whose rollout to await. */
    async applyTrafficWeight(input: WeightRequest): Promise<string[]> {
      guard(input.target.namespace);
      return routerFor(input.router).apply(kube, input);
    },
    async observeTrafficWeight(input: Omit<WeightRequest, 'weight' | 'capacity'>): Promise<number | undefined> {
      guard(input.target.namespace);
      return routerFor(input.router).observe(kube, input);
    },
    /** The pod template of the revision before the current one (kubectl rollout undo's choice). */
    async findPreviousRevision(input: ObjectRef) {
      guard(input.namespace);
      return findPreviousRevision(kube, input);
    },
    async setDeploymentImage(input: ObjectRef & { container?: string; image: string }): Promise<DeploymentSnapshot> {
      guard(input.namespace);
      return setDeploymentImage(kube, input);
    },
    async scaleDeployment(input: ObjectRef & { replicas: number }): Promise<DeploymentSnapshot> {
      guard(input.namespace);
      return scaleDeployment(kube, input);
    },
    async waitForRollout(input: WaitForRolloutInput) {
      guard(input.namespace);
      return waitForRollout(kube, input);
    },
    /** Restores any snapshot, verified; routers' snapshots are dispatched to their router. */
    async restoreSnapshot(snapshot: Snapshot): Promise<void> {
      guard(snapshot.namespace);
      switch (snapshot.kind === 'Deployment' ? 'Deployment' : snapshot.router) {
        case 'Deployment': return restoreDeployment(kube, snapshot as DeploymentSnapshot);
        case 'nginx': return restoreNginx(kube, snapshot as RoutingSnapshot);
        case 'serviceSelector': return restoreServiceSelector(kube, snapshot as RoutingSnapshot);
        default: throw ApplicationFailure.nonRetryable(`no restore for ${snapshot.kind} snapshots`, FailureType.InvalidSpec);
      }
    },
    /** One observation of one check; never throws for a failing source: that is an `error` observation. */
    async measureCheck(req: MeasureRequest): Promise<Observation> {
      const prometheus = deps.prometheus;
      switch (req.kind) {
        case 'prometheus':
          return prometheus ? observePrometheus(prometheus, req) : noPrometheus();
        case 'alerts':
          return prometheus ? observeAlerts(prometheus, req) : noPrometheus();
        case 'kubernetes':
          guard(req.namespace);
          return observeKubernetes(kube, req);
        case 'http':
          return observeHttp(req);
      }
    },
    /** Never fails a promotion: the workflow ignores its failures after a few tries. */
    async notify(input: { webhook: string; text: string }) {
      return postWebhook(deps.webhooks ?? {}, input);
    },
    async collectDiagnostics(input: { namespace: string; deployments: string[] }) {
      guard(input.namespace);
      return collectDiagnostics(kube, input);
    },
  };
}

const noPrometheus = (): Observation => ({ kind: 'error', message: 'the worker has no PROMETHEUS_URL configured' });

export type PromotionActivities = ReturnType<typeof createActivities>;
