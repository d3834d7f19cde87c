// Stubbed activities for workflow tests: an in-memory cluster of Deployments and routing
// objects, so compensation really has to put things back, plus hooks to make calls fail or
// block. The real activities are tested against the real cluster in test/integration.
import { ApplicationFailure } from '@temporalio/common';
import type { PromotionActivities } from '../../src/activities';
import type { DeploymentSnapshot, MeasureRequest, Snapshot } from '../../src/activities/types';
import type { Observation } from '../../src/analysis/types';

interface FakeDeployment { image: string; replicas: number }

export class FakeCluster {
  deployments = new Map<string, FakeDeployment>();
  weightAnnotation: string | null = null;
  calls: string[] = [];
  /** the observation each check returns; default a passing 0 */
  observations = new Map<string, Observation | (() => Observation)>();
  /** restore calls for these object names fail */
  failRestoreOf = new Set<string>();
  /** rollouts of these images never complete */
  stuckImages = new Set<string>();
  private restoreGate?: Promise<void>;

  /** Makes restores wait until the returned function is called. */
  holdRestores(): () => void {
    let release!: () => void;
    this.restoreGate = new Promise((r) => (release = r));
    return release;
  }

  constructor(readonly namespace = 'ns') {
    this.deployments.set('app', { image: 'app:1.0.0', replicas: 3 });
    this.deployments.set('app-canary', { image: 'app:1.0.0', replicas: 1 });
  }

  state(): Record<string, unknown> {
    return { deployments: Object.fromEntries(this.deployments), weight: this.weightAnnotation };
  }

  private dep(name: string): FakeDeployment {
    const d = this.deployments.get(name);
    if (!d) throw ApplicationFailure.nonRetryable(`deployment ${name} not found`, 'TargetNotFound');
    return d;
  }

  private snapshot(name: string): DeploymentSnapshot {
    const d = this.dep(name);
    return { kind: 'Deployment', namespace: this.namespace, name, replicas: d.replicas, template: { spec: { containers: [{ name: 'c', image: d.image }] } } };
  }

  activities(): PromotionActivities {
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the object literal's methods need the cluster
    const fake: Partial<PromotionActivities> = {
      async readDeploymentState({ name }) {
        const d = self.dep(name);
        return { exists: true, namespace: self.namespace, name, image: d.image, container: 'c', replicas: d.replicas, readyReplicas: d.replicas, updatedReplicas: d.replicas, availableReplicas: d.replicas, observed: true };
      },
      async snapshotDeployment({ name }) {
        return self.snapshot(name);
      },
      async setDeploymentImage({ name, image }) {
        const before = self.snapshot(name);
        self.calls.push(`setImage ${name} ${image}`);
        self.dep(name).image = image;
        return before;
      },
      async scaleDeployment({ name, replicas }) {
        const before = self.snapshot(name);
        self.calls.push(`scale ${name} ${replicas}`);
        self.dep(name).replicas = replicas;
        return before;
      },
      async waitForRollout({ name }) {
        const d = self.dep(name);
        const state = { exists: true as const, namespace: self.namespace, name, image: d.image, container: 'c', replicas: d.replicas, readyReplicas: d.replicas, updatedReplicas: d.replicas, availableReplicas: d.replicas, observed: true };
        if (self.stuckImages.has(d.image)) return { status: 'failed' as const, reason: `deployment ${name} exceeded its progress deadline`, state };
        return { status: 'complete' as const, state };
      },
      async snapshotTraffic({ target }) {
        return [{ kind: 'Ingress', router: 'nginx', namespace: target.namespace, name: 'canary-ingress', fields: { w: self.weightAnnotation } }] as Snapshot[];
      },
      async applyTrafficWeight({ weight }) {
        self.calls.push(`weight ${weight}`);
        self.weightAnnotation = String(weight);
        return [];
      },
      async observeTrafficWeight() {
        return self.weightAnnotation === null ? 0 : Number(self.weightAnnotation);
      },
      async restoreSnapshot(snapshot: Snapshot) {
        await self.restoreGate;
        self.calls.push(`restore ${snapshot.kind} ${snapshot.name}`);
        // As a 403 would: non-retryable, so the test does not sit through the undo retry budget.
        if (self.failRestoreOf.has(snapshot.name)) throw ApplicationFailure.nonRetryable(`restore of ${snapshot.name} refused (test)`, 'PermissionDenied');
        if (snapshot.kind === 'Deployment') {
          self.deployments.set(snapshot.name, { image: snapshot.template.spec!.containers[0]!.image!, replicas: snapshot.replicas });
        } else {
          self.weightAnnotation = (snapshot.fields.w as string | null) ?? null;
        }
      },
      async measureCheck(req: MeasureRequest): Promise<Observation> {
        const key = req.kind === 'prometheus' ? req.query : req.kind === 'kubernetes' ? `${req.deployment}:${req.measure}` : req.kind;
        self.calls.push(`measure ${key}`);
        const o = self.observations.get(key);
        return typeof o === 'function' ? o() : o ?? { kind: 'value', value: 0 };
      },
      async collectDiagnostics() {
        return { collectedAt: new Date().toISOString(), deployments: [], events: [] };
      },
    };
    return fake as PromotionActivities;
  }
}
