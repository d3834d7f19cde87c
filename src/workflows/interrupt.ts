// Waiting that an operator or a deadline can interrupt. Every wait in a promotion goes through
// here, so abort, deadlines and failing background analysis stop whatever is in progress.
import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';
import type { PromotionState, StopRequest } from './state';

/** Thrown inside the workflow when a stop was requested; carries the request. */
export class PromotionStopped extends Error {
  constructor(readonly request: StopRequest) {
    super(request.reason);
    this.name = 'PromotionStopped';
  }
}

export function throwIfStopped(state: PromotionState): void {
  if (state.stop) throw new PromotionStopped(state.stop);
}

/** Runs `work` in its own scope and cancels it as soon as a stop is requested. */
export async function interruptible<T>(state: PromotionState, work: () => Promise<T>): Promise<T> {
  throwIfStopped(state);
  const scope = new CancellationScope();
  const watcher = new CancellationScope();
  // Rejects only when `watcher` is cancelled in `finally`, after the race is decided.
  const stopped = watcher.run(() => condition(() => state.stop !== undefined)).then(() => 'stopped' as const, () => 'stopped' as const);
  const running = scope.run(work);
  try {
    const first = await Promise.race([running.then((value) => ({ value })), stopped]);
    if (first === 'stopped') {
      scope.cancel();
      await running.catch(() => undefined); // let the cancelled activity finish cancelling
      throw new PromotionStopped(state.stop!);
    }
    return first.value;
  } catch (err) {
    if (state.stop && isCancellation(err)) throw new PromotionStopped(state.stop);
    throw err;
  } finally {
    watcher.cancel();
  }
}
