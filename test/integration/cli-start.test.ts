// `promoter start --wait` as CI runs it: exit 0 when promoted, 2 when rolled back, 1 for a bad
// spec (and then nothing reaches Temporal or the cluster).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DemoApp } from '../../src/sandbox/demo-app';
import { eventually, freshApp, imageOf, namespaceObjects, readDeployment, withNginxIngresses } from '../support/cluster';
import { runCli } from '../support/cli';
import { targetYaml } from '../support/specs';
import { startWorker, testKube, uniqueName } from '../support/stack';

const taskQueue = uniqueName('cli');
let stopWorker: () => Promise<void>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-spec-'));

beforeAll(async () => {
  ({ stop: stopWorker } = await startWorker(taskQueue));
});
afterAll(async () => stopWorker?.());

function writeSpec(app: DemoApp, progress = '1m'): string {
  const file = path.join(tmp, `${app.namespace}.yaml`);
  fs.writeFileSync(file, `apiVersion: canary-promoter/v1
kind: Promotion
${targetYaml(app)}strategy:
  rolling:
    steps: []
deadlines:
  progress: ${progress}
`);
  return file;
}

test('start --wait exits 0 when the promotion is promoted', async () => {
  const app = await freshApp('cli-ok');
  const run = await runCli(['--task-queue', taskQueue, 'start', '-f', writeSpec(app), '--image', 'registry.local/zai-proxy:1.2.1', '--wait', '--by', 'ci-bot']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^promoted: /m);
  expect(imageOf(await readDeployment(app.namespace, app.stable))).toBe('registry.local/zai-proxy:1.2.1');
});

test('start --wait exits 2 when the promotion is rolled back', async () => {
  const app = await freshApp('cli-rb');
  const run = await runCli(['--task-queue', taskQueue, 'start', '-f', writeSpec(app, '8s'), '--image', 'registry.local/zai-proxy:1.2.1-unready', '--wait']);
  expect(run.code).toBe(2);
  expect(run.stdout).toMatch(/^rolled-back: .*progress deadline/m);
  expect(imageOf(await readDeployment(app.namespace, app.stable))).toBe('registry.local/zai-proxy:1.2.0');
});

test('an invalid spec exits 1 naming the field, and the cluster is untouched', async () => {
  const app = await freshApp('cli-bad');
  const before = await namespaceObjects(app.namespace);
  const file = writeSpec(app).replace('.yaml', '-bad.yaml');
  fs.writeFileSync(file, fs.readFileSync(writeSpec(app), 'utf8').replace('progress: 1m', 'progress: soon'));
  const run = await runCli(['--task-queue', taskQueue, 'start', '-f', file, '--image', 'registry.local/zai-proxy:1.2.1', '--wait']);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/deadlines\.progress/);
  expect(await namespaceObjects(app.namespace)).toEqual(before);
});

test('rollback returns a finished promotion to the previous revision and records who and why', async () => {
  const app = await freshApp('cli-undo');
  const promoted = await runCli(['--task-queue', taskQueue, 'start', '-f', writeSpec(app), '--image', 'registry.local/zai-proxy:1.2.1', '--wait']);
  expect(promoted.code).toBe(0);
  const run = await runCli(['--task-queue', taskQueue, 'rollback', `${app.namespace}/${app.stable}`, '--by', 'oncall', '--reason', 'latency', '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const result = JSON.parse(run.stdout) as { outcome: string; images: string[]; actor: { by: string; reason: string } };
  expect(result).toMatchObject({ outcome: 'rolled-back', images: ['registry.local/zai-proxy:1.2.0'], actor: { by: 'oncall', reason: 'latency' } });
  const after = await readDeployment(app.namespace, app.stable);
  expect(imageOf(after)).toBe('registry.local/zai-proxy:1.2.0');
  expect(after.status?.readyReplicas).toBe(3);
});

test('start --wait exits 3 when an undo cannot be done, and says what a human must restore', async () => {
  const app = await freshApp('cli-rbf');
  await withNginxIngresses(app);
  const file = path.join(tmp, `${app.namespace}-nginx.yaml`);
  fs.writeFileSync(file, `apiVersion: canary-promoter/v1
kind: Promotion
${targetYaml(app)}strategy:
  canary:
    router: { nginx: { ingress: zai-proxy-canary } }
    steps:
      - setWeight: 30
      - bake: { manual: true, deadline: 10m }
`);
  const waiting = runCli(['--task-queue', taskQueue, 'start', '-f', file, '--image', 'registry.local/zai-proxy:1.3.0', '--wait']);
  const target = `${app.namespace}/${app.stable}`;
  await eventually('the manual gate', async () => {
    const s = await runCli(['status', target, '--json']);
    return s.code === 0 && (JSON.parse(s.stdout) as { phase: string }).phase === 'waiting-for-approval' ? true : undefined;
  }, 120_000, 500);
  // Someone deletes the canary Ingress by hand: its weight can no longer be put back.
  await testKube().networking.deleteNamespacedIngress({ namespace: app.namespace, name: 'zai-proxy-canary' });
  expect((await runCli(['abort', target, '--reason', 'exit code 3'])).code).toBe(0);
  const run = await waiting;
  expect(run.code).toBe(3);
  expect(run.stdout).toMatch(/^rollback-failed: /m);
  expect(run.stdout).toMatch(/A HUMAN MUST RESTORE:\n {2}- Ingress .*zai-proxy-canary .*not found/);
  // Everything else was restored: the canary Deployment is back on its image.
  expect(imageOf(await readDeployment(app.namespace, app.canary))).toBe('registry.local/zai-proxy:1.2.1-canary');
});
