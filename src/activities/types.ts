// Types shared by activities and the workflow. The workflow imports this file for types only;
// it holds no runtime code, so it is safe on both sides of the determinism boundary.
import type { V1PodTemplateSpec as PodTemplateSpec } from '@kubernetes/client-node';

export interface ObjectRef {
  namespace: string;
  name: string;
}

/** What a Deployment looked like before the promotion touched it: the undo record. */
export interface DeploymentSnapshot extends ObjectRef {
  kind: 'Deployment';
  replicas: number;
  /** the whole pod template, so a restore is exact whatever the promotion changed */
  template: PodTemplateSpec;
  /** `deployment.kubernetes.io/revision` at snapshot time, for humans and rollback reports */
  revision?: string;
}

/** What a routing object looked like before a router changed it. */
export interface RoutingSnapshot extends ObjectRef {
  kind: 'Service' | 'Ingress';
  router: 'replicas' | 'nginx' | 'serviceSelector';
  /** the fields the router owns, exactly as they were (absent keys recorded as null) */
  fields: Record<string, unknown>;
}

export type Snapshot = DeploymentSnapshot | RoutingSnapshot;

export interface DeploymentState extends ObjectRef {
  exists: true;
  image: string;
  container: string;
  replicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  revision?: string;
  /** status.observedGeneration caught up with metadata.generation */
  observed: boolean;
}

export type RolloutResult =
  | { status: 'complete'; state: DeploymentState }
  | { status: 'failed'; reason: string; state: DeploymentState };

export interface WaitForRolloutInput extends ObjectRef {
  /** absolute workflow time (ms since epoch) after which the rollout counts as stuck */
  deadlineAt: number;
  /** expected image on `container`, when the caller just set one */
  image?: string;
  container?: string;
}

export interface Diagnostics {
  collectedAt: string;
  deployments: {
    name: string;
    revision?: string;
    replicas: string;
    conditions: string[];
    pods: { name: string; phase: string; ready: boolean; restarts: number; reasons: string[] }[];
  }[];
  events: string[];
}

/** One check, resolved by the workflow: templates rendered, the Deployment named. */
export type MeasureRequest =
  | { kind: 'prometheus'; query: string; stableQuery?: string; range?: { window: number; step: number } }
  | { kind: 'kubernetes'; namespace: string; deployment: string; measure: import('../spec/types').KubernetesMeasure }
  | { kind: 'alerts'; names: string[]; labels: Record<string, string> }
  | { kind: 'http'; url: string; expectStatus: number; expectJson?: Record<string, unknown> };
