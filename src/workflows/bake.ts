// A bake: a durable timer that pause stops and resume continues, that `promote` ends early, and
// that a stop request interrupts. The clock is workflow time, so a worker restart resumes the
// bake where it was instead of starting it over.
import { condition } from '@temporalio/workflow';
import { formatDuration } from '../spec/duration';
import type { OnTimeout } from '../spec/types';
import type { PromotionState } from './state';
import { PromotionStopped, throwIfStopped } from './interrupt';

export async function bake(state: PromotionState, durationMs: number): Promise<void> {
  state.bake = { totalMs: durationMs, remainingMs: durationMs };
  try {
    while (state.bake.remainingMs > 0) {
      throwIfStopped(state);
      if (consumePromote(state)) return;
      if (state.paused) {
        state.setPhase('paused');
        await condition(() => !state.paused || !!state.stop || !!state.promoteRequest || !!state.promoteFull);
        continue;
      }
      state.setPhase('baking');
      const since = Date.now();
      state.bake.runningSince = since;
      await condition(() => state.paused || !!state.stop || !!state.promoteRequest || !!state.promoteFull, state.bake.remainingMs,
        { summary: `bake ${formatDuration(state.bake.remainingMs)}${state.weight !== undefined ? ` at ${state.weight}%` : ''}` });
      state.bake.remainingMs -= Date.now() - since;
      state.bake.runningSince = undefined;
    }
    throwIfStopped(state);
  } finally {
    state.bake = undefined;
  }
}

/**
 * `bake: manual`: waits for `promote` (or `resume`) from a human, for at most `deadlineMs`; then
 * does what `onTimeout` declares. Pausing does not stop this deadline: a gate nobody answers must
 * not hold a half-promoted target forever.
 */
export async function manualBake(state: PromotionState, deadlineMs: number, onTimeout: OnTimeout): Promise<void> {
  state.setPhase('waiting-for-approval');
  state.bake = { totalMs: deadlineMs, remainingMs: deadlineMs, runningSince: Date.now() };
  try {
    const answered = await condition(() => !!state.stop || !!state.promoteRequest || !!state.promoteFull, deadlineMs,
      { summary: `wait for approval (deadline ${formatDuration(deadlineMs)}, then ${onTimeout})` });
    throwIfStopped(state);
    if (answered) {
      consumePromote(state);
      return;
    }
    if (onTimeout === 'promote') {
      state.record('manual-timeout', `no answer within ${formatDuration(deadlineMs)}: continuing, as onTimeout is promote`);
      return;
    }
    state.requestStop({ kind: 'manual-timeout', reason: `no approval within ${formatDuration(deadlineMs)} (onTimeout: rollback)` });
    throw new PromotionStopped(state.stop!);
  } finally {
    state.bake = undefined;
  }
}

/** A `promote` ends the current step; `promote --full` stays set and skips all the rest. */
function consumePromote(state: PromotionState): boolean {
  if (state.promoteFull) return true;
  if (!state.promoteRequest) return false;
  state.decidedBy = state.promoteRequest;
  state.promoteRequest = undefined;
  return true;
}
