// What people and CI logs see while a promotion runs: on a terminal, `start --wait` and `watch`
// redraw a live view (steps with the current one marked, weight, a bake progress bar, the last
// measurement of each check); without one, they print one plain line per event.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@temporalio/client';
import type { DemoApp } from '../../src/sandbox/demo-app';
import { promotionWorkflowId } from '../../src/spec/target';
import { PromotionStatus, resumeSignal, statusQuery } from '../../src/workflows/definitions';
import { eventually, freshApp } from '../support/cluster';
import { CliRun, runCli } from '../support/cli';
import { canaryYaml } from '../support/specs';
import { repoRoot, startWorker, temporalClient, testStack, uniqueName } from '../support/stack';
import { PtyProcess, render, runInPty } from '../support/tty';
import { abortStillRunning } from '../support/promotions';

const taskQueue = uniqueName('cli-tty');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-tty-'));
const GOOD = 'registry.local/zai-proxy:1.3.0';
let client: Client;
let closeClient: () => Promise<void>;
let stopWorker: () => Promise<void>;
const started = new Set<string>();
const ptys: PtyProcess[] = [];

beforeAll(async () => {
  ({ client, close: closeClient } = await temporalClient());
  ({ stop: stopWorker } = await startWorker(taskQueue));
});

afterAll(async () => {
  for (const p of ptys) await p.kill();
  await abortStillRunning(client, started);
  await stopWorker?.();
  await closeClient?.();
});

const cli = (...args: string[]) => runCli(['--task-queue', taskQueue, ...args]);
const promoterArgv = (...args: string[]) => [process.execPath, path.join(repoRoot, 'bin', 'promoter.js'), '--task-queue', taskQueue, ...args];
const ptyEnv = () => ({ TEMPORAL_ADDRESS: testStack().endpoints.TEMPORAL_ADDRESS });
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function expectExit(run: CliRun, code: number): CliRun {
  if (run.code !== code) throw new Error(`expected exit ${code}, got ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
  return run;
}

function writeSpec(app: DemoApp, steps: string[]): string {
  const file = path.join(tmp, `${app.namespace}.yaml`);
  fs.writeFileSync(file, canaryYaml(app, steps));
  started.add(promotionWorkflowId({ namespace: app.namespace, stable: app.stable }));
  return file;
}

function query(app: DemoApp): Promise<PromotionStatus> {
  return client.workflow.getHandle(promotionWorkflowId({ namespace: app.namespace, stable: app.stable })).query(statusQuery);
}

const BAKE_LINE = /^bake: \[([#.]{30})\] (\d+m\d\ds|\d+s) left of 10m00s$/m;

/** The live view while step 3 (bake 10m) runs with its background check measured. */
function expectLiveView(screen: string, target: string, weight: number | undefined): void {
  const lines = screen.split('\n');
  expect(lines[0]).toBe(`${target} → ${GOOD} (canary)`);
  expect(lines[1]).toBe(`phase: baking   weight: ${weight}%`);
  expect(lines[2]).toMatch(BAKE_LINE);
  expect(lines.slice(3, 7)).toEqual([
    'steps:',
    `    1. set canary image ${GOOD} [done]`,
    '    2. set weight 25% [done]',
    '  ▶ 3. bake 10m [running]',
  ]);
  expect(lines.filter((l) => l.includes('▶'))).toHaveLength(1);
  expect(lines.slice(7, 9)).toEqual(['checks:', '  canary-not-ready: pass 0 (<= 0.5)']);
  expect(lines[9]).toBe('recent:');
  const recent = lines.slice(10).filter((l) => l !== '');
  expect(recent.length).toBeGreaterThan(0);
  expect(recent.length).toBeLessThanOrEqual(5);
  for (const l of recent) expect(l).toMatch(/^ {2}\d\d:\d\d:\d\d \S/);
  expect(recent.at(-1)).toMatch(/^ {2}\d\d:\d\d:\d\d set weight 25% \(replicas router\); observed \d+%$/);
}

test('on a terminal, start --wait and watch show live progress: marked current step, weight, bake bar, checks', async () => {
  const app = await freshApp('tty-live');
  const target = `${app.namespace}/${app.stable}`;
  const file = writeSpec(app, ['setWeight: 25', 'bake: 10m']);
  const ready = (s: string) => /^phase: baking/m.test(s) && /^ {2}canary-not-ready: /m.test(s);

  const starter = runInPty(promoterArgv('start', '-f', file, '--image', GOOD, '--wait', '--by', 'tty-user'), { env: ptyEnv() });
  ptys.push(starter);
  const first = await starter.waitForScreen('start --wait to show the bake with its check measured', ready, 90_000);
  expectLiveView(first, target, (await query(app)).weight);
  // Redrawn in place (cleared and drawn again), not appended.
  expect(starter.output().split('\x1b[H\x1b[2J').length).toBeGreaterThan(2);
  // The bar follows the bake: workflow time moves on with each background measurement.
  const later = await starter.waitForScreen('the bake time left to go down', (s) => (BAKE_LINE.exec(s)?.[2] ?? '10m00s') !== '10m00s', 60_000);
  expectLiveView(later, target, (await query(app)).weight);

  const watcher = runInPty(promoterArgv('watch', target), { env: ptyEnv(), columns: 120, rows: 30 });
  ptys.push(watcher);
  expectLiveView(await watcher.waitForScreen('watch to show the bake with its check measured', ready, 60_000), target, (await query(app)).weight);

  expectExit(await cli('promote', '--full', target, '--by', 'tty-user', '--reason', 'seen enough'), 0);
  const [startCode, watchCode] = await Promise.all([starter.exited, watcher.exited]);
  for (const [pty, code] of [[starter, startCode], [watcher, watchCode]] as const) {
    const screen = pty.screen();
    expect({ code, screen }).toEqual({ code: 0, screen: expect.stringMatching(new RegExp(`^promoted: ${escapeRe(target)} → ${escapeRe(GOOD)}: promoted early by tty-user$`, 'm')) });
    expect(screen).toMatch(/^decided by tty-user \(seen enough\)$/m);
  }
});

test('without a terminal, start --wait and watch print one plain line per event, without escape codes', async () => {
  const app = await freshApp('tty-plain');
  const target = `${app.namespace}/${app.stable}`;
  const workflowId = promotionWorkflowId({ namespace: app.namespace, stable: app.stable });
  const starting = cli('start', '-f', writeSpec(app, ['setWeight: 25', 'bake: { manual: true, deadline: 10m }']), '--image', GOOD, '--wait', '--timeout', '3m');
  await eventually('the promotion to wait for approval', async () => ((await query(app)).phase === 'waiting-for-approval' ? true : undefined), 90_000);
  const watching = cli('watch', target, '--timeout', '3m');
  expectExit(await cli('promote', target, '--by', 'pipe-user', '--reason', 'lgtm'), 0);
  const [start, watch] = [expectExit(await starting, 0), expectExit(await watching, 0)];

  const events = (await query(app)).events.map((e) => `${e.at} ${e.kind}: ${e.message}`);
  expect(events.length).toBeGreaterThan(5);
  const result = [`promoted: ${target} → ${GOOD}: every step passed`, 'decided by pipe-user (lgtm)', ''];
  expect(start.stdout.split('\n')).toEqual([`started promotion ${workflowId}`, ...events, ...result]);
  expect(watch.stdout.split('\n')).toEqual([...events, ...result]);
  for (const run of [start, watch]) {
    expect(run.stdout).not.toMatch(/[\x1b\r]/);
    expect(run.stderr).toBe('');
  }
});

/** `promoter` as a child process whose output can be read while it runs (runCli waits for the exit). */
function spawnCli(...args: string[]) {
  const child = spawn(process.execPath, promoterArgv(...args).slice(1), {
    env: { ...process.env, ...ptyEnv() }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<CliRun>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { stdout: () => stdout, exited };
}

test('without a terminal, watch prints every event once even after the workflow\'s event list is full', async () => {
  const app = await freshApp('tty-many');
  const target = `${app.namespace}/${app.stable}`;
  expectExit(await cli('start', '-f', writeSpec(app, ['setWeight: 25', 'bake: { manual: true, deadline: 10m }']), '--image', GOOD), 0);
  await eventually('the promotion to wait for approval', async () => ((await query(app)).phase === 'waiting-for-approval' ? true : undefined), 90_000);
  const before = (await query(app)).events;
  const watch = spawnCli('watch', target, '--timeout', '4m');
  // 300 signals that the workflow records and ignores (resume while not paused): more events than
  // the 200 it keeps. Sent in batches that watch prints before the next, so none is dropped unseen.
  const handle = client.workflow.getHandle(promotionWorkflowId({ namespace: app.namespace, stable: app.stable }));
  const flood = Array.from({ length: 300 }, (_, i) => `flood-${i}`);
  for (let batch = 0; batch < flood.length; batch += 50) {
    for (const by of flood.slice(batch, batch + 50)) await handle.signal(resumeSignal, { by });
    const lastOfBatch = `resume from ${flood[batch + 49]} ignored: not paused\n`;
    await eventually(`watch to print ${lastOfBatch.trim()}`, async () => (watch.stdout().includes(lastOfBatch) ? true : undefined), 30_000, 100);
  }
  expectExit(await cli('promote', target, '--by', 'pipe-user'), 0);
  const watched = expectExit(await watch.exited, 0);

  const after = (await query(app)).events;
  expect(after).toHaveLength(200);
  const lastFlood = after.findIndex((e) => e.by === flood.at(-1));
  const line = (e: { kind: string; message: string }) => `${e.kind}: ${e.message}`;
  const expected = [...before.map(line), ...flood.map((by) => `signal-ignored: resume from ${by} ignored: not paused`), ...after.slice(lastFlood + 1).map(line)];
  const printed = watched.stdout.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT/.test(l)).map((l) => l.replace(/^\S+ /, ''));
  expect(printed).toEqual(expected);
  expect(watched.stdout).toMatch(/^promoted: /m);
});

test('the terminal model reads the live view the way a terminal shows it', () => {
  // Later frames replace earlier ones; wrapping and scrolling follow the terminal's size.
  expect(render('\x1b[H\x1b[2Jold frame\nmore\n\x1b[H\x1b[2Jnew\r\nframe', 20, 5)).toBe('new\nframe');
  expect(render('abcdef', 4, 3)).toBe('abcd\nef');
  expect(render('1\r\n2\r\n3\r\n4', 10, 3)).toBe('2\n3\n4');
  expect(render('ab\ncd', 10, 3)).toBe('ab\n  cd');
  expect(render('\x1b[1;32mok\x1b[0m', 10, 2)).toBe('ok');
  expect(() => render('\x1b[5A', 10, 2)).toThrow(/unsupported escape sequence CSI 5A/);
});
