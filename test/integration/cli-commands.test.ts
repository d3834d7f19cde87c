// Every `promoter` command as a user (or CI) runs it, a child process against the real stack:
// status, watch, list, the operator signals with who and why, the lock on a target, --wait
// timeouts, validate, and each exit code (0 promoted, 1 error, 2 rolled back, 4 still running).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@temporalio/client';
import type { DemoApp } from '../../src/sandbox/demo-app';
import { freePort } from '../../src/sandbox/ports';
import { promotionWorkflowId } from '../../src/spec/target';
import { PromotionStatus, statusQuery } from '../../src/workflows/definitions';
import { eventually, freshApp, imageOf, namespaceObjects, readDeployment } from '../support/cluster';
import { CliRun, runCli } from '../support/cli';
import { canaryYaml } from '../support/specs';
import { startWorker, temporalClient, uniqueName } from '../support/stack';
import { abortStillRunning } from '../support/promotions';

const taskQueue = uniqueName('cli-cmd');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-commands-'));
let client: Client;
let closeClient: () => Promise<void>;
let stopWorker: () => Promise<void>;
/** workflow ids this file started: whatever still runs at the end is aborted (and compensated) */
const started = new Set<string>();

beforeAll(async () => {
  ({ client, close: closeClient } = await temporalClient());
  ({ stop: stopWorker } = await startWorker(taskQueue));
});

afterAll(async () => {
  await abortStillRunning(client, started);
  await stopWorker?.();
  await closeClient?.();
});

const cli = (...args: string[]) => runCli(['--task-queue', taskQueue, ...args]);

/** Exit code check that shows what the command printed when it is not the expected one. */
function expectExit(run: CliRun, code: number): CliRun {
  if (run.code !== code) throw new Error(`expected exit ${code}, got ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
  return run;
}
const targetOf = (app: DemoApp) => `${app.namespace}/${app.stable}`;
const GOOD = 'registry.local/zai-proxy:1.3.0';

/** A canary spec with a background Kubernetes check; `steps` as YAML list items. */
function writeSpec(app: DemoApp, steps: string[], name = app.namespace): string {
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, canaryYaml(app, steps));
  return file;
}

const GATE = 'bake: { manual: true, deadline: 10m }';

async function startHeld(app: DemoApp, steps: string[], image = GOOD, by = 'ci-bot'): Promise<string> {
  const run = await cli('start', '-f', writeSpec(app, steps), '--image', image, '--by', by);
  const workflowId = promotionWorkflowId({ namespace: app.namespace, stable: app.stable });
  expect(run.stderr).toBe('');
  expectExit(run, 0);
  expect(run.stdout.trim()).toBe(`started promotion ${workflowId}`);
  started.add(workflowId);
  return workflowId;
}

/** Polls the status query (not the CLI) until the promotion reaches `phase` (at `step`, 0-based). */
function reach(workflowId: string, phase: string, step?: number): Promise<PromotionStatus> {
  return eventually(`${workflowId} to be ${phase}${step !== undefined ? ` at step ${step + 1}` : ''}`, async () => {
    const s = await client.workflow.getHandle(workflowId).query(statusQuery);
    return s.phase === phase && (step === undefined || s.currentStep === step) ? s : undefined;
  }, 90_000);
}

async function statusJson(target: string): Promise<PromotionStatus> {
  const run = await cli('status', target, '--json');
  expect(run.stderr).toBe('');
  expectExit(run, 0);
  return JSON.parse(run.stdout) as PromotionStatus;
}

interface ListRow { workflowId: string; runId: string; status: string; target: string; image: string; phase: string; outcome: string }

async function listJson(...filters: string[]): Promise<ListRow[]> {
  const run = await cli('list', ...filters, '--json');
  expect(run.stderr).toBe('');
  expectExit(run, 0);
  return JSON.parse(run.stdout) as ListRow[];
}

/** Visibility is eventually consistent: polls `list` until `accept` holds for its rows. */
function listUntil(filters: string[], accept: (rows: ListRow[]) => boolean): Promise<ListRow[]> {
  return eventually(`promoter list ${filters.join(' ')} to show the expected rows`, async () => {
    const rows = await listJson(...filters);
    return accept(rows) ? rows : undefined;
  }, 30_000, 500);
}

describe('a promotion held at a manual gate', () => {
  let app: DemoApp;
  let target: string;
  let workflowId: string;
  let runId: string;

  beforeAll(async () => {
    app = await freshApp('cli-held');
    target = targetOf(app);
    workflowId = await startHeld(app, ['setWeight: 25', GATE, 'bake: 10m']);
    await reach(workflowId, 'waiting-for-approval', 2);
    runId = (await client.workflow.getHandle(workflowId).describe()).runId;
  });

  test('status shows target, image, phase, the steps with the current one marked', async () => {
    const run = await cli('status', target);
    expect(run.stderr).toBe('');
    expectExit(run, 0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`${target} → ${GOOD} (canary)`);
    expect(lines[1]).toMatch(/^phase: waiting-for-approval {3}weight: \d+%$/);
    expect(lines).toContain(`    1. set canary image ${GOOD} [done]`);
    expect(lines).toContain('    2. set weight 25% [done]');
    expect(lines).toContain('  ▶ 3. wait for approval (deadline 10m, then rollback) [running]');
    expect(lines).toContain('    4. bake 10m [pending]');
    expect(lines.filter((l) => l.includes('▶'))).toHaveLength(1);
  });

  test('status --json is the status query, by target or by workflow id', async () => {
    const s = await statusJson(target);
    expect(s).toMatchObject({ target, image: GOOD, strategy: 'canary', phase: 'waiting-for-approval', paused: false, currentStep: 2 });
    expect(s.steps.map((st) => st.status)).toEqual(['done', 'done', 'running', 'pending']);
    expect(s.events[0]).toMatchObject({ kind: 'start', by: 'ci-bot' });
    expect(s.weight).toBeGreaterThan(0);
    const byId = await statusJson(workflowId);
    expect(byId).toMatchObject({ target, image: GOOD, phase: 'waiting-for-approval', currentStep: 2 });
  });

  test('watch --timeout exits 4 on a promotion that is still running, and says how to follow it', async () => {
    const run = await cli('watch', target, '--timeout', '2s');
    expect(run.stderr).toBe('');
    expectExit(run, 4);
    expect(run.stdout).toContain(`still running after the timeout (phase waiting-for-approval); follow it with: promoter watch ${workflowId}`);
    expect((await client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
  });

  test('start with the same image attaches to the running promotion (a retried CI job)', async () => {
    const run = await cli('start', '-f', writeSpec(app, ['setWeight: 25', GATE, 'bake: 10m']), '--image', GOOD);
    expect(run.stderr).toBe('');
    expectExit(run, 0);
    expect(run.stdout.trim()).toBe(`attached to the running promotion ${workflowId}`);
    const json = await cli('start', '-f', writeSpec(app, ['setWeight: 25', GATE, 'bake: 10m']), '--image', GOOD, '--json');
    expectExit(json, 0);
    expect(JSON.parse(json.stdout)).toEqual({ workflowId, attached: true });
    const described = await client.workflow.getHandle(workflowId).describe();
    expect(described.runId).toBe(runId);
    expect(described.status.name).toBe('RUNNING');
  });

  test('start with a different image is refused, naming the running promotion, and changes nothing', async () => {
    const run = await cli('start', '-f', writeSpec(app, ['setWeight: 25', GATE, 'bake: 10m']), '--image', 'registry.local/zai-proxy:1.4.0', '--wait');
    expectExit(run, 1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`a promotion of ${target} is already running (workflow ${workflowId}, image ${GOOD}, phase waiting-for-approval)`);
    expect(run.stderr).toContain(`promoter abort ${target} --reason`);
    expect((await client.workflow.getHandle(workflowId).describe()).runId).toBe(runId);
    expect(await statusJson(target)).toMatchObject({ image: GOOD, phase: 'waiting-for-approval', currentStep: 2 });
    expect(imageOf(await readDeployment(app.namespace, app.canary))).toBe(GOOD);
  });

  test('abort without --reason exits 1 with a message, and sends nothing', async () => {
    const run = await cli('abort', target, '--by', 'eve');
    expectExit(run, 1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('abort needs --reason');
    const s = await statusJson(target);
    expect(s.phase).toBe('waiting-for-approval');
    expect(s.events.filter((e) => e.by === 'eve')).toEqual([]);
  });

  test('list --target with --phase finds it; other phases and outcomes do not', async () => {
    const rows = await listUntil(['--target', target, '--phase', 'waiting-for-approval'], (r) => r.length > 0);
    expect(rows).toEqual([expect.objectContaining({
      workflowId, runId, status: 'RUNNING', target, image: GOOD, phase: 'waiting-for-approval', outcome: '',
    })]);
    expect(await listJson('--target', target, '--phase', 'baking')).toEqual([]);
    expect(await listJson('--target', target, '--outcome', 'promoted')).toEqual([]);
    const text = await cli('list', '--target', target);
    expectExit(text, 0);
    expect(text.stdout).toMatch(new RegExp(`^\\S+\\s+${target}\\s+${GOOD.replace(/\./g, '\\.')}\\s+waiting-for-approval\\s+RUNNING$`, 'm'));
    const none = await cli('list', '--target', `${app.namespace}/nothing-here`);
    expect(none.stdout.trim()).toBe('no promotions match');
  });
});

test('promote, pause, resume and promote --full record who and why; watch exits 0 when promoted', async () => {
  const app = await freshApp('cli-steer');
  const target = targetOf(app);
  const workflowId = await startHeld(app, ['setWeight: 25', GATE, 'bake: 10m', 'setWeight: 50', GATE]);
  await reach(workflowId, 'waiting-for-approval', 2);

  const promote = await cli('promote', target, '--by', 'alice', '--reason', 'gate looks fine');
  expect(promote).toEqual({ code: 0, stdout: `sent promote to ${workflowId}\n`, stderr: '' });
  await reach(workflowId, 'baking', 3);

  expectExit(await cli('pause', target, '--by', 'bob', '--reason', 'checking the logs'), 0);
  const paused = await reach(workflowId, 'paused', 3);
  expect(paused.paused).toBe(true);
  const pausedText = expectExit(await cli('status', target), 0).stdout.split('\n');
  expect(pausedText[1]).toBe(`phase: paused   weight: ${paused.weight}%`);
  expect(pausedText).toContain('  ▶ 4. bake 10m [running]');
  expectExit(await cli('resume', target, '--by', 'bob', '--reason', 'logs are clean'), 0);
  expect(await reach(workflowId, 'baking', 3)).toMatchObject({ paused: false });

  // Bounded: a promotion that never finishes fails this test with what watch printed.
  const watching = cli('watch', target, '--timeout', '3m');
  expectExit(await cli('promote', '--full', target, '--by', 'carol', '--reason', 'ship it'), 0);
  const watched = expectExit(await watching, 0);
  expect(watched.stderr).toBe('');
  expect(watched.stdout).toMatch(new RegExp(`^promoted: ${target} → ${GOOD.replace(/\./g, '\\.')}: promoted early by carol$`, 'm'));
  expect(watched.stdout).toMatch(/^decided by carol \(ship it\)$/m);

  const s = await statusJson(target);
  expect(s.outcome).toBe('promoted');
  expect(s.steps.map((st) => st.status)).toEqual(['done', 'done', 'done', 'done', 'skipped', 'skipped']);
  const signalled = s.events.filter((e) => ['promote', 'pause', 'resume'].includes(e.kind));
  expect(signalled).toEqual([
    expect.objectContaining({ kind: 'promote', by: 'alice', message: 'promote (finish the current step) requested by alice: gate looks fine' }),
    expect.objectContaining({ kind: 'pause', by: 'bob', message: 'paused by bob: checking the logs' }),
    expect.objectContaining({ kind: 'resume', by: 'bob', message: 'resumed by bob: logs are clean' }),
    expect.objectContaining({ kind: 'promote', by: 'carol', message: 'full promotion requested by carol: ship it' }),
  ]);
  expect(imageOf(await readDeployment(app.namespace, app.stable))).toBe(GOOD);

  // Again (exit 0) on a finished promotion: watch reports the result at once.
  const again = await cli('watch', target);
  expectExit(again, 0);
  expect(again.stdout).toMatch(/^promoted: /m);

  const rows = await listUntil(['--target', target, '--outcome', 'promoted'], (r) => r.length > 0);
  expect(rows).toEqual([expect.objectContaining({ workflowId, status: 'COMPLETED', target, image: GOOD, phase: 'promoted', outcome: 'promoted' })]);
  expect(await listJson('--target', target, '--outcome', 'rolled-back')).toEqual([]);
  expect(await listJson('--target', target, '--phase', 'promoted')).toEqual(rows);
});

test('abort --reason rolls back, records who and why, and watch exits 2', async () => {
  const app = await freshApp('cli-abort');
  const target = targetOf(app);
  const before = await namespaceObjects(app.namespace);
  const workflowId = await startHeld(app, ['setWeight: 25', GATE]);
  await reach(workflowId, 'waiting-for-approval', 2);

  const watching = cli('watch', target, '--timeout', '3m');
  const abort = await cli('abort', target, '--by', 'dave', '--reason', 'error budget burnt');
  expect(abort).toEqual({ code: 0, stdout: `sent abort to ${workflowId}\n`, stderr: '' });
  const watched = expectExit(await watching, 2);
  expect(watched.stderr).toBe('');
  expect(watched.stdout).toMatch(new RegExp(`^rolled-back: ${target} → ${GOOD.replace(/\./g, '\\.')}: aborted by dave: error budget burnt$`, 'm'));
  expect(watched.stdout).toMatch(/^decided by dave \(error budget burnt\)$/m);

  const s = await statusJson(target);
  expect(s.outcome).toBe('rolled-back');
  expect(s.events).toContainEqual(expect.objectContaining({ kind: 'abort', by: 'dave', message: 'stopping: aborted by dave: error budget burnt' }));
  expect(await namespaceObjects(app.namespace)).toEqual(before);

  const rows = await listUntil(['--target', target, '--outcome', 'rolled-back'], (r) => r.length > 0);
  expect(rows).toEqual([expect.objectContaining({ workflowId, status: 'COMPLETED', target, phase: 'rolled-back', outcome: 'rolled-back' })]);
  expect(await listJson('--target', target, '--outcome', 'promoted')).toEqual([]);
});

test('start --wait --timeout exits 4 while a long bake runs; the promotion keeps running', async () => {
  const app = await freshApp('cli-wait');
  const file = writeSpec(app, ['setWeight: 25', 'bake: 10m']);
  const workflowId = promotionWorkflowId({ namespace: app.namespace, stable: app.stable });
  started.add(workflowId);
  const run = await cli('start', '-f', file, '--image', GOOD, '--wait', '--timeout', '2s');
  expect(run.stderr).toBe('');
  expectExit(run, 4);
  expect(run.stdout).toContain(`started promotion ${workflowId}`);
  expect(run.stdout).toMatch(new RegExp(`^still running after the timeout \\(phase [a-z-]+\\); follow it with: promoter watch ${workflowId}$`, 'm'));
  expect((await client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');

  // A retried job attaches; with --json the timeout is reported as machine-readable output.
  await reach(workflowId, 'baking', 2);
  const json = await cli('start', '-f', file, '--image', GOOD, '--wait', '--timeout', '2s', '--json');
  expect(json.stderr).toBe('');
  expectExit(json, 4);
  const out = JSON.parse(json.stdout) as { workflowId: string; outcome: string; status: PromotionStatus };
  expect(out).toMatchObject({ workflowId, outcome: 'running', status: { phase: 'baking', currentStep: 2, bakeTotalMs: 600_000 } });
});

test('watch and status of a target without a promotion exit 1 naming the workflow id', async () => {
  const target = `${uniqueName('cli-none')}/zai-proxy`;
  for (const args of [['watch', target], ['status', target]]) {
    const run = await cli(...args);
    expectExit(run, 1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(`promoter: workflow not found for ID: promotion/${target}`);
  }
});

test('a wrong Temporal address exits 1 naming the address', async () => {
  const address = `127.0.0.1:${await freePort()}`;
  const byFlag = await cli('--address', address, 'status', 'demo/zai-proxy');
  expectExit(byFlag, 1);
  expect(byFlag.stdout).toBe('');
  expect(byFlag.stderr).toContain(`cannot connect to Temporal at ${address}`);
  const byEnv = await runCli(['list'], { TEMPORAL_ADDRESS: address });
  expectExit(byEnv, 1);
  expect(byEnv.stderr).toContain(`cannot connect to Temporal at ${address}`);
  // A usage error is reported as such, before any connection is tried.
  const usage = await cli('--address', address, 'abort', 'demo/zai-proxy');
  expectExit(usage, 1);
  expect(usage.stderr.trim()).toBe('promoter: abort needs --reason "<why>" (it is recorded in history)');
});

describe('validate', () => {
  const spec = (extra = '') => {
    const file = path.join(tmp, `${uniqueName('validate')}.yaml`);
    fs.writeFileSync(file, `apiVersion: canary-promoter/v1
kind: Promotion
target: { namespace: demo, stable: zai-proxy, canary: zai-proxy-canary }
image: registry.local/zai-proxy:1.3.0
strategy:
  canary:
    steps: [ { setWeight: 20 }, { bake: 1m } ]
analysis:
  checks:
    - name: ready
      kubernetes: { deployment: canary, measure: notReadyRatio }
      condition: { atMost: 0.5 }
${extra}`);
    return file;
  };

  test('-f exits 0 for a valid spec and 1 naming the field for an invalid one', async () => {
    const file = spec();
    const ok = await runCli(['validate', '-f', file]);
    expect(ok).toEqual({ code: 0, stdout: `${file} is valid: canary promotion of demo/zai-proxy\n`, stderr: '' });

    const badFile = spec('deadlines: { progress: soon }\n');
    const bad = await runCli(['validate', '-f', badFile]);
    expectExit(bad, 1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/deadlines\.progress: "soon"/);

    const badSet = await runCli(['validate', '-f', file, '--set', 'strategy.canary.steps[1].bake=5x']);
    expectExit(badSet, 1);
    expect(badSet.stderr).toContain('strategy.canary.steps[1].bake: "5x": unknown unit "x"');

    const missing = await runCli(['validate', '-f', path.join(tmp, 'missing.yaml')]);
    expectExit(missing, 1);
    expect(missing.stderr).toContain(`cannot read ${path.join(tmp, 'missing.yaml')}`);
  });

  test('--print shows every default, and what it prints is a valid spec that prints the same', async () => {
    const printed = await runCli(['validate', '-f', spec(), '--print']);
    expect(printed.stderr).toBe('');
    expectExit(printed, 0);
    const out = printed.stdout;
    expect(out).toMatch(/^ {4}router:\n {6}replicas: \{\}$/m);
    expect(out).toMatch(/^deadlines:\n {2}promotion: 2h\n {2}progress: 10m$/m);
    for (const line of ['interval: 30s', 'initialDelay: 0s', 'count: 1', 'failureLimit: 0', 'inconclusiveLimit: 1',
      'onInconclusiveLimit: fail', 'consecutiveErrorLimit: 4', 'for: 0s', 'dryRun: false', 'noData: inconclusive']) {
      expect(out).toMatch(new RegExp(`^ {6}${line}$`, 'm'));
    }
    expect(out).toMatch(/^ {2}variants:\n {4}canary: canary\n {4}stable: stable$/m);

    const again = path.join(tmp, `${uniqueName('printed')}.yaml`);
    fs.writeFileSync(again, out);
    const reprinted = await runCli(['validate', '-f', again, '--print']);
    expectExit(reprinted, 0);
    expect(reprinted.stdout).toBe(out);
  });
});
