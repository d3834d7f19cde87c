// `promoter rollback`: runs the rollback workflow under the target's workflow id, so it is
// refused while a promotion of the same target runs.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Actor } from '../workflows/definitions';
import type { RollbackInput, RollbackResult } from '../workflows/rollback';
import type { Connected } from './connection';
import { CliError } from './exit-codes';

export async function fastRollback(conn: Connected, workflowId: string, actor: Actor, progressDeadlineMs: number): Promise<RollbackResult> {
  const [, namespace, deployment] = workflowId.split('/');
  const input: RollbackInput = { namespace: namespace!, deployment: deployment!, actor, progressDeadlineMs };
  try {
    return await conn.client.workflow.execute('rollbackWorkflow', {
      workflowId, taskQueue: conn.taskQueue, args: [input],
      staticSummary: `rollback ${namespace}/${deployment} to the previous revision (by ${actor.by})`,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CliError(`a promotion of ${namespace}/${deployment} is running (workflow ${workflowId}): abort it instead, which restores the state before it`);
    }
    throw err;
  }
}
