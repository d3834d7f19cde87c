// Least privilege, proven on the real kube-apiserver with RBAC on: the worker runs with a token of
// the ServiceAccount from deploy/kubernetes/worker-rbac.yaml, bound only in the target's
// namespace. Promotions, rollbacks and fast rollbacks work with exactly those verbs; a target in
// a namespace without the Role fails cleanly and nothing changes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import * as k8s from '@kubernetes/client-node';
import { Client } from '@temporalio/client';
import { PROMOTION_WORKFLOW, PromotionResult } from '../../src/workflows/definitions';
import { promotionWorkflowId } from '../../src/spec/target';
import type { PromotionSpec } from '../../src/spec/types';
import { DemoApp } from '../../src/sandbox/demo-app';
import { freshApp, imageOf, namespaceObjects, readDeployment } from '../support/cluster';
import { specFromYaml, targetYaml } from '../support/specs';
import { repoRoot, startWorker, temporalClient, testKube, testStack, uniqueName } from '../support/stack';

const SA_NAMESPACE = 'canary-promoter';
const SA_NAME = 'canary-promoter';
let client: Client;
let closeClient: () => Promise<void>;
let stopWorker: () => Promise<void>;
let allowed: DemoApp;
const taskQueue = uniqueName('rbac');

async function createIgnoringConflict(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
  }
}

/** Applies the shipped manifests, with the Role and RoleBinding moved to `namespace`. */
async function applyWorkerRbac(namespace: string): Promise<void> {
  const kube = testKube();
  const rbac = kube.config.makeApiClient(k8s.RbacAuthorizationV1Api);
  const docs = parseAllDocuments(fs.readFileSync(path.join(repoRoot, 'deploy/kubernetes/worker-rbac.yaml'), 'utf8')).map((d) => d.toJS());
  for (const doc of docs) {
    if (doc.kind === 'Namespace') await createIgnoringConflict(() => kube.core.createNamespace({ body: doc }));
    if (doc.kind === 'ServiceAccount') await createIgnoringConflict(() => kube.core.createNamespacedServiceAccount({ namespace: SA_NAMESPACE, body: doc }));
    if (doc.kind === 'Role') await rbac.createNamespacedRole({ namespace, body: { ...doc, metadata: { ...doc.metadata, namespace } } });
    if (doc.kind === 'RoleBinding') await rbac.createNamespacedRoleBinding({ namespace, body: { ...doc, metadata: { ...doc.metadata, namespace } } });
  }
}

/** A kubeconfig that authenticates as the worker's ServiceAccount through a bound token. */
async function workerKubeconfig(): Promise<string> {
  const kube = testKube();
  const token = await kube.core.createNamespacedServiceAccountToken({
    namespace: SA_NAMESPACE, name: SA_NAME, body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const admin = kube.config.getCurrentCluster()!;
  const file = path.join(testStack().dir, `worker-${taskQueue}.kubeconfig`);
  fs.writeFileSync(file, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'worker',
    clusters: [{ name: 'sandbox', cluster: { server: admin.server, 'certificate-authority': admin.caFile } }],
    users: [{ name: 'worker', user: { token: token.status!.token } }],
    contexts: [{ name: 'worker', context: { cluster: 'sandbox', user: 'worker' } }],
  }));
  return file;
}

beforeAll(async () => {
  allowed = await freshApp('rbac');
  await applyWorkerRbac(allowed.namespace);
  ({ client, close: closeClient } = await temporalClient());
  ({ stop: stopWorker } = await startWorker(taskQueue, { KUBECONFIG: await workerKubeconfig() }));
});
afterAll(async () => {
  await stopWorker?.();
  await closeClient?.();
});

function canary(app: DemoApp, image: string): PromotionSpec {
  return specFromYaml(`apiVersion: canary-promoter/v1
kind: Promotion
${targetYaml(app)}image: ${image}
strategy:
  canary:
    router: { replicas: {} }
    steps:
      - setWeight: 34
      - analysis: { checks: [canary-ready, canary-crash-looping] }
analysis:
  defaults: { interval: 2s }
  checks:
    - name: canary-ready
      kubernetes: { deployment: canary, measure: readyRatio }
      condition: { equals: 1 }
    - name: canary-crash-looping
      kubernetes: { deployment: canary, measure: crashLoopBackOff }
  preflight: [canary-crash-looping]
deadlines: { progress: 20s }
`);
}

const run = (spec: PromotionSpec): Promise<PromotionResult> =>
  client.workflow.execute(PROMOTION_WORKFLOW, { workflowId: promotionWorkflowId(spec.target), taskQueue, args: [{ spec, startedBy: 'jest' }] });

test('with only the shipped Role, a canary is promoted and an -unready one rolled back exactly', async () => {
  const promoted = await run(canary(allowed, 'registry.local/zai-proxy:1.3.0'));
  expect(promoted.outcome).toBe('promoted');
  expect(imageOf(await readDeployment(allowed.namespace, allowed.stable))).toBe('registry.local/zai-proxy:1.3.0');

  const before = await namespaceObjects(allowed.namespace);
  const rolledBack = await run(canary(allowed, 'registry.local/zai-proxy:1.4.0-unready'));
  expect(rolledBack.outcome).toBe('rolled-back');
  expect(rolledBack.leftToRestore).toEqual([]);
  expect(rolledBack.diagnostics?.deployments.length).toBeGreaterThan(0);
  expect(await namespaceObjects(allowed.namespace)).toEqual(before);
});

test('a target in a namespace without the Role fails on permissions and nothing changes', async () => {
  const other = await freshApp('rbac-denied');
  const before = await namespaceObjects(other.namespace);
  const result = await run(canary(other, 'registry.local/zai-proxy:1.3.0'));
  expect(result.outcome).toBe('rolled-back');
  expect(result.reason).toMatch(/forbidden/);
  expect(await namespaceObjects(other.namespace)).toEqual(before);
});
