// Finding promotions: TARGET (namespace/deployment) or a workflow id, and the list command.
import { WorkflowHandle } from '@temporalio/client';
import type { Connected } from './connection';

export function workflowIdFor(target: string): string {
  if (target.startsWith('promotion/')) return target;
  const parts = target.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`${JSON.stringify(target)} is neither namespace/deployment nor a workflow id (promotion/<namespace>/<deployment>)`);
  return `promotion/${parts[0]}/${parts[1]}`;
}

export function handleFor(conn: Connected, target: string): WorkflowHandle {
  return conn.client.workflow.getHandle(workflowIdFor(target));
}

const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function listQuery(opts: { phase?: string; target?: string; outcome?: string }): string {
  const clauses = ['WorkflowType = "promotionWorkflow"'];
  if (opts.phase) clauses.push(`PromotionPhase = ${quote(opts.phase)}`);
  if (opts.target) clauses.push(`PromotionTarget = ${quote(opts.target)}`);
  if (opts.outcome) clauses.push(`PromotionOutcome = ${quote(opts.outcome)}`);
  return clauses.join(' AND ');
}

export async function listPromotions(conn: Connected, opts: { phase?: string; target?: string; outcome?: string; json?: boolean }): Promise<void> {
  const rows = [];
  for await (const wf of conn.client.workflow.list({ query: listQuery(opts) })) {
    const attr = (name: string) => String((wf.searchAttributes?.[name] as unknown[] | undefined)?.[0] ?? '');
    rows.push({
      workflowId: wf.workflowId, runId: wf.runId, status: wf.status.name, started: wf.startTime.toISOString(),
      target: attr('PromotionTarget'), image: attr('PromotionImage'), phase: attr('PromotionPhase'), outcome: attr('PromotionOutcome'),
    });
    if (rows.length >= 100) break;
  }
  if (opts.json) {
    console.log(JSON.stringify(rows));
    return;
  }
  if (rows.length === 0) console.log('no promotions match');
  for (const r of rows) console.log(`${r.started}  ${r.target.padEnd(30)} ${r.image.padEnd(40)} ${(r.outcome || r.phase).padEnd(16)} ${r.status}`);
}
