// `promoter rollback`: a fast, recorded rollback of a finished promotion to the Deployment's
// previous revision, skipping analysis (what `kubectl rollout undo` does, done safely): the
// current state is snapshotted first, and a rollback whose rollout fails is itself undone.
// It runs under the target's workflow id, so it cannot race a promotion of the same target.
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { DeploymentSnapshot } from '../activities/types';
import { kubeActivities, waitingActivities } from './activity-proxies';
import type { Actor, PromotionEvent } from './definitions';
import { PromotionOutcome, PromotionPhase, PromotionTarget } from './search-attributes';

export interface RollbackInput {
  namespace: string;
  deployment: string;
  actor: Actor;
  /** how long the rollback's rollout may take (ms) */
  progressDeadlineMs: number;
}

export interface RollbackResult {
  outcome: 'rolled-back' | 'rollback-failed';
  reason: string;
  fromRevision?: string;
  toRevision: string;
  images: string[];
  actor: Actor;
  events: PromotionEvent[];
}

export async function rollbackWorkflow(input: RollbackInput): Promise<RollbackResult> {
  const ref = { namespace: input.namespace, name: input.deployment };
  const events: PromotionEvent[] = [];
  const note = (kind: string, message: string) => events.push({ at: new Date(Date.now()).toISOString(), kind, message, by: input.actor.by });
  upsertSearchAttributes([{ key: PromotionTarget, value: `${ref.namespace}/${ref.name}` }, { key: PromotionPhase, value: 'rolling-back' }]);
  note('rollback', `fast rollback of ${ref.namespace}/${ref.name} requested by ${input.actor.by}${input.actor.reason ? `: ${input.actor.reason}` : ''}`);

  const before: DeploymentSnapshot = await kubeActivities.snapshotDeployment(ref);
  const previous = await kubeActivities.findPreviousRevision(ref);
  note('rollback', `rolling back from revision ${before.revision ?? '?'} to revision ${previous.revision} (${previous.images.join(', ')})`);
  await kubeActivities.restoreSnapshot.executeWithOptions({ startToCloseTimeout: '1 minute', summary: `roll ${ref.name} back to revision ${previous.revision}` },
    [{ ...before, template: previous.template }]);
  const rollout = await waitingActivities.waitForRollout.executeWithOptions(
    { startToCloseTimeout: input.progressDeadlineMs + 60_000, heartbeatTimeout: '10s', summary: `wait for rollout of ${ref.name}` },
    [{ ...ref, deadlineAt: Date.now() + input.progressDeadlineMs }]);

  let outcome: RollbackResult['outcome'] = 'rolled-back';
  let reason = `rolled back to revision ${previous.revision}`;
  if (rollout.status === 'failed') {
    // The previous revision does not come up either: put back what was running.
    note('rollback', `the previous revision did not roll out (${rollout.reason}); restoring revision ${before.revision ?? '?'}`);
    await kubeActivities.restoreSnapshot(before);
    outcome = 'rollback-failed';
    reason = `the previous revision did not roll out: ${rollout.reason}; ${ref.name} is back on what it ran before the rollback`;
  }
  note(outcome, reason);
  upsertSearchAttributes([{ key: PromotionPhase, value: outcome }, { key: PromotionOutcome, value: outcome }]);
  return { outcome, reason, fromRevision: before.revision, toRevision: previous.revision, images: previous.images, actor: input.actor, events };
}
