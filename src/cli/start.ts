// `promoter start`: validate the spec locally (nothing reaches Temporal or the cluster when it is
// invalid), start the promotion under the target's workflow id, or attach to the running one
// when it promotes the same image (a retried CI job is harmless).
import * as fs from 'node:fs';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { parsePromotionSpec, formatSpecErrors } from '../spec/parse';
import { promotionWorkflowId } from '../spec/target';
import type { PromotionSpec } from '../spec/types';
import { PROMOTION_WORKFLOW, PromotionInput, statusQuery } from '../workflows/definitions';
import { staticSummary } from '../workflows/details';
import { PromotionImage, PromotionTarget } from '../workflows/search-attributes';
import { planSteps, summarizeStep } from '../workflows/plan';
import type { Connected } from './connection';
import { CliError } from './exit-codes';

export interface SpecSource {
  file: string;
  image?: string;
  set?: string[];
}

export function loadSpec(src: SpecSource): PromotionSpec {
  let text: string;
  try {
    text = fs.readFileSync(src.file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${src.file}: ${(err as Error).message}`);
  }
  const set: Record<string, string> = {};
  for (const pair of src.set ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--set ${JSON.stringify(pair)}: use path=value, e.g. --set deadlines.promotion=30m`);
    set[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const parsed = parsePromotionSpec(text, { image: src.image, set });
  if (!parsed.ok) throw new CliError(`${src.file} is not a valid promotion spec:\n${formatSpecErrors(parsed.errors)}`);
  return parsed.spec;
}

export function staticDetails(spec: PromotionSpec): string {
  const steps = planSteps(spec).map((p, i) => `${i + 1}. ${summarizeStep(p.step)}`);
  // Blank lines between blocks: the UI's markdown renderer joins single-newline lines into one paragraph.
  return [`**target** \`${spec.target.namespace}/${spec.target.stable}\`${spec.target.canary ? ` (canary \`${spec.target.canary}\`)` : ''}`, '',
    `**image** \`${spec.image}\``, '', `**strategy** ${spec.strategy.kind}`, '', '**steps**', '', ...steps].join('\n');
}

export async function startPromotion(conn: Connected, spec: PromotionSpec, startedBy: string) {
  const workflowId = promotionWorkflowId(spec.target);
  const input: PromotionInput = { spec, startedBy };
  try {
    const handle = await conn.client.workflow.start(PROMOTION_WORKFLOW, {
      workflowId,
      taskQueue: conn.taskQueue,
      args: [input],
      typedSearchAttributes: [
        { key: PromotionTarget, value: `${spec.target.namespace}/${spec.target.stable}` },
        { key: PromotionImage, value: spec.image },
      ],
      staticSummary: staticSummary(spec),
      staticDetails: staticDetails(spec),
    });
    return { handle, attached: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const handle = conn.client.workflow.getHandle(workflowId);
    const running = await handle.query(statusQuery).catch(() => undefined);
    if (running && running.image === spec.image) return { handle, attached: true };
    throw new CliError(`a promotion of ${spec.target.namespace}/${spec.target.stable} is already running (workflow ${workflowId}` +
      `${running ? `, image ${running.image}, phase ${running.phase}` : ''}). Wait for it, or abort it: promoter abort ${spec.target.namespace}/${spec.target.stable} --reason "..."`);
  }
}
