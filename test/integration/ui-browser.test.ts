// Everyone reads a promotion in the Temporal web UI: the workflows list filtered by the
// PromotionTarget search attribute finds it, and its page shows the summary and details the CLI
// set at start and the current details the workflow keeps up to date (phase, step table).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@temporalio/client';
import type { FrameLocator, Page } from 'playwright-core';
import { promotionWorkflowId } from '../../src/spec/target';
import { statusQuery } from '../../src/workflows/definitions';
import { eventually, freshApp } from '../support/cluster';
import { runCli } from '../support/cli';
import { launchBrowser, TestBrowser } from '../support/browser';
import { targetYaml } from '../support/specs';
import { repoRoot, startWorker, temporalClient, testStack, uniqueName } from '../support/stack';

const taskQueue = uniqueName('ui');
const GOOD = 'registry.local/zai-proxy:1.3.0';
const screenshot = path.join(repoRoot, 'test-artifacts', 'ui-promotion.png');
let client: Client;
let closeClient: () => Promise<void>;
let stopWorker: () => Promise<void>;
let browser: TestBrowser | undefined;
let workflowId: string | undefined;

beforeAll(async () => {
  ({ client, close: closeClient } = await temporalClient());
  ({ stop: stopWorker } = await startWorker(taskQueue));
});

afterAll(async () => {
  await browser?.close();
  if (workflowId) {
    const handle = client.workflow.getHandle(workflowId);
    if (await handle.describe().then((d) => d.status.name === 'RUNNING', () => false)) {
      await handle.signal('abort', { by: 'jest', reason: 'test clean-up' });
      await handle.result().catch(() => undefined);
    }
  }
  await stopWorker?.();
  await closeClient?.();
});

/** The text of a markdown block the UI renders in its own iframe (Summary, Details, Current Details). */
async function renderedTexts(page: Page): Promise<{ frame: FrameLocator; text: string }[]> {
  const count = await page.locator('iframe[src*="render?content="]').count();
  const out = [];
  for (let i = 0; i < count; i++) {
    const frame = page.frameLocator('iframe[src*="render?content="]').nth(i);
    out.push({ frame, text: await frame.locator('body').innerText({ timeout: 10_000 }) });
  }
  return out;
}

async function renderedBlock(page: Page, what: string, accept: (text: string) => boolean): Promise<{ frame: FrameLocator; text: string }> {
  let seen: string[] = [];
  return eventually(`the UI to render ${what}`, async () => {
    const blocks = await renderedTexts(page);
    seen = blocks.map((b) => b.text);
    return blocks.find((b) => accept(b.text));
  }, 30_000, 500).catch((err: Error) => {
    throw new Error(`${err.message}\nrendered blocks:\n${seen.join('\n---\n')}`);
  });
}

test('the web UI lists the promotion by its target and shows its summary and current details', async () => {
  const app = await freshApp('ui');
  const target = `${app.namespace}/${app.stable}`;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ui-spec-')), 'promotion.yaml');
  fs.writeFileSync(file, `apiVersion: canary-promoter/v1
kind: Promotion
${targetYaml(app)}strategy:
  canary:
    router: { replicas: {} }
    steps:
      - setWeight: 25
      - bake: { manual: true, deadline: 10m }
deadlines: { promotion: 30m, progress: 1m }
`);
  workflowId = promotionWorkflowId({ namespace: app.namespace, stable: app.stable });
  const started = await runCli(['--task-queue', taskQueue, 'start', '-f', file, '--image', GOOD, '--by', 'ui-tester']);
  expect(started).toMatchObject({ code: 0, stderr: '' });
  const handle = client.workflow.getHandle(workflowId);
  await eventually('the promotion to wait for approval', async () => ((await handle.query(statusQuery)).phase === 'waiting-for-approval' ? true : undefined), 90_000);
  const { runId } = await handle.describe();
  // The list page reads visibility, which is eventually consistent.
  const query = `PromotionTarget="${target}"`;
  await eventually('visibility to list the promotion by PromotionTarget', async () => {
    for await (const wf of client.workflow.list({ query })) if (wf.runId === runId) return true;
    return undefined;
  }, 30_000, 500);

  browser = await launchBrowser();
  const page = await browser.context.newPage();
  const ui = testStack().endpoints.TEMPORAL_UI_URL;
  expect(ui).toBeDefined();
  await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);

  // The filtered list shows this promotion's run, and only runs of this target.
  const runLink = page.locator(`a[href$="/workflows/${encodeURIComponent(workflowId)}/${runId}/history"]`);
  await runLink.first().waitFor({ timeout: 30_000 });
  const hrefs = await page.locator('a[href*="/namespaces/default/workflows/"][href$="/history"]').evaluateAll(
    (links) => links.map((a) => a.getAttribute('href') ?? ''));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) expect(href).toContain(`/workflows/${encodeURIComponent(workflowId)}/`);
  await runLink.first().click();
  await page.waitForURL(`**/workflows/${encodeURIComponent(workflowId)}/${runId}/history`);
  await page.getByText('Running', { exact: true }).first().waitFor();

  await page.getByRole('link', { name: 'User Metadata' }).or(page.getByRole('tab', { name: 'User Metadata' })).first().click();
  await page.getByText('Current Details', { exact: true }).waitFor();

  // The summary and static details set by `promoter start`.
  await renderedBlock(page, 'the summary', (t) => t.trim() === `canary ${target} → ${GOOD}`);
  const details = await renderedBlock(page, 'the static details', (t) => t.includes('strategy') && t.includes('steps'));
  expect(details.text).toContain(`target ${target} (canary ${app.canary})`);
  expect(details.text).toContain(`image ${GOOD}`);
  expect(await details.frame.locator('li').allInnerTexts()).toEqual([
    `set canary image ${GOOD}`, 'set weight 25%', 'wait for approval (deadline 10m, then rollback)',
  ]);

  // The current details: phase, target, image, and the step table with the current step marked.
  const current = await renderedBlock(page, 'the current details', (t) => t.includes('waiting-for-approval'));
  expect(current.text).toMatch(new RegExp(`waiting-for-approval · step 3.3 ▶ wait for approval \\(deadline 10m, then rollback\\) · target ${target} · image ${GOOD.replace(/\./g, '\\.')} · canary weight \\d+%`));
  const rows = await current.frame.locator('table tr').evaluateAll(
    (trs) => trs.map((tr) => [...tr.querySelectorAll('th,td')].map((c) => (c.textContent ?? '').trim())));
  expect(rows).toEqual([
    ['#', 'step', 'status'],
    ['1', `set canary image ${GOOD}`, 'done'],
    ['2', 'set weight 25%', 'done'],
    ['3 ▶', 'wait for approval (deadline 10m, then rollback)', 'running'],
  ]);

  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });

  // Current details follow the promotion: a pause shows up on the next load.
  expect(await runCli(['--task-queue', taskQueue, 'pause', target, '--by', 'ui-tester', '--reason', 'look'])).toMatchObject({ code: 0 });
  await eventually('the UI to show the promotion paused', async () => {
    await page.reload();
    await page.getByText('Current Details', { exact: true }).waitFor();
    const block = await renderedBlock(page, 'the current details', (t) => t.includes('waiting-for-approval'));
    return block.text.includes('waiting-for-approval (paused)') ? true : undefined;
  }, 60_000, 1000);
});
