// The first promotion end to end on the real stack: Temporal dev server, kube-apiserver with
// the deployment controller, the simulated kubelet.
import { Client } from '@temporalio/client';
import { DemoApp } from '../../src/sandbox/demo-app';
import { PROMOTION_WORKFLOW, PromotionResult } from '../../src/workflows/definitions';
import { promotionWorkflowId } from '../../src/spec/target';
import type { PromotionSpec } from '../../src/spec/types';
import { freshApp, imageOf, namespaceObjects, readDeployment } from '../support/cluster';
import { rollingSpec } from '../support/specs';
import { startWorker, temporalClient, uniqueName } from '../support/stack';

let client: Client;
let closeClient: () => Promise<void>;
let stopWorker: () => Promise<void>;
const taskQueue = uniqueName('rolling');

beforeAll(async () => {
  ({ client, close: closeClient } = await temporalClient());
  ({ stop: stopWorker } = await startWorker(taskQueue));
});

afterAll(async () => {
  await stopWorker?.();
  await closeClient?.();
});

function run(spec: PromotionSpec): Promise<PromotionResult> {
  return client.workflow.execute(PROMOTION_WORKFLOW, {
    workflowId: promotionWorkflowId(spec.target), taskQueue, args: [{ spec, startedBy: 'jest' }],
  });
}

describe('rolling promotion on the real cluster', () => {
  let app: DemoApp;
  beforeEach(async () => {
    app = await freshApp('rolling');
  });

  test('a good image is promoted: new image, all replicas ready, one new revision', async () => {
    const before = await readDeployment(app.namespace, app.stable);
    const result = await run(rollingSpec(app, { image: 'registry.local/zai-proxy:1.2.1' }));

    expect(result.outcome).toBe('promoted');
    const after = await readDeployment(app.namespace, app.stable);
    expect(imageOf(after)).toBe('registry.local/zai-proxy:1.2.1');
    expect(after.status?.readyReplicas).toBe(3);
    expect(after.status?.updatedReplicas).toBe(3);
    const revision = (d: typeof after) => Number(d.metadata?.annotations?.['deployment.kubernetes.io/revision']);
    expect(revision(after)).toBe(revision(before) + 1);
  });

  test('an -unready image passes the progress deadline and is rolled back to exactly the previous state', async () => {
    const before = await namespaceObjects(app.namespace);
    const result = await run(rollingSpec(app, { image: 'registry.local/zai-proxy:1.2.1-unready', progress: '8s' }));

    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toMatch(/progress deadline/);
    expect(result.restored.some((r) => r.includes(`Deployment ${app.namespace}/${app.stable}`))).toBe(true);
    expect(await namespaceObjects(app.namespace)).toEqual(before);
    const after = await readDeployment(app.namespace, app.stable);
    expect(imageOf(after)).toBe('registry.local/zai-proxy:1.2.0');
    expect(after.status?.readyReplicas).toBe(3);
    expect(after.status?.availableReplicas).toBe(3);
    expect(after.status?.updatedReplicas).toBe(3);
    // The rolled-back pods' diagnostics name the Deployment that failed.
    expect(result.diagnostics?.deployments.map((d) => d.name)).toContain(app.stable);
  });
});
