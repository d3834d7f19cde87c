// Webhook notifications against a local HTTP receiver: start, each step and the outcome arrive;
// a webhook that keeps failing never fails the promotion.
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import { PROMOTION_WORKFLOW, PromotionResult } from '../../src/workflows/definitions';
import { promotionWorkflowId } from '../../src/spec/target';
import { freshApp } from '../support/cluster';
import { specFromYaml, targetYaml } from '../support/specs';
import { startWorker, temporalClient, uniqueName } from '../support/stack';

interface Receiver { url: string; texts: string[]; hits: number; close(): Promise<void> }

function receiver(status: number): Promise<Receiver> {
  const r = { texts: [] as string[], hits: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      r.hits += 1;
      if (status === 200) r.texts.push((JSON.parse(body) as { text: string }).text);
      res.writeHead(status).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    ...r, get texts() { return r.texts; }, get hits() { return r.hits; },
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  })));
}

let client: Client;
let close: () => Promise<void>;
beforeAll(async () => ({ client, close } = await temporalClient()));
afterAll(async () => close?.());

async function promote(webhooks: Record<string, string>): Promise<{ result: PromotionResult; ns: string }> {
  const taskQueue = uniqueName('notify');
  const { stop } = await startWorker(taskQueue, webhooks);
  try {
    const app = await freshApp('notify');
    const spec = specFromYaml(`apiVersion: canary-promoter/v1
kind: Promotion
${targetYaml(app)}image: registry.local/zai-proxy:1.2.1
strategy:
  rolling:
    steps: [ { bake: 1s } ]
notify: { webhook: deploys }
`);
    const result: PromotionResult = await client.workflow.execute(PROMOTION_WORKFLOW, {
      workflowId: promotionWorkflowId(spec.target), taskQueue, args: [{ spec, startedBy: 'jest' }],
    });
    return { result, ns: app.namespace };
  } finally {
    await stop();
  }
}

test('start, every step and the outcome are posted to the named webhook', async () => {
  const hook = await receiver(200);
  try {
    const { result, ns } = await promote({ PROMOTER_WEBHOOK_DEPLOYS: hook.url });
    expect(result.outcome).toBe('promoted');
    expect(hook.texts).toEqual([
      `[${ns}/zai-proxy] promotion to registry.local/zai-proxy:1.2.1 (rolling) started by jest`,
      `[${ns}/zai-proxy] step 1/2 done: set stable image registry.local/zai-proxy:1.2.1`,
      `[${ns}/zai-proxy] step 2/2 done: bake 1s`,
      `[${ns}/zai-proxy] promoted registry.local/zai-proxy:1.2.1`,
    ]);
  } finally {
    await hook.close();
  }
});

test('a webhook answering 500 is retried, then given up, and the promotion is still promoted', async () => {
  const hook = await receiver(500);
  try {
    const { result } = await promote({ PROMOTER_WEBHOOK_DEPLOYS: hook.url });
    expect(result.outcome).toBe('promoted');
    // 4 notifications, each tried 3 times.
    expect(hook.hits).toBe(12);
  } finally {
    await hook.close();
  }
});
