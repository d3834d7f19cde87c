// Signal and query handlers. Each signal carries who sent it and why and lands in the event list;
// a signal that makes no sense in the current phase is recorded and ignored, never thrown.
import { setHandler } from '@temporalio/workflow';
import { abortSignal, Actor, pauseSignal, promoteSignal, resumeSignal, statusQuery } from './definitions';
import type { PromotionState } from './state';

const finished = (s: PromotionState) => s.outcome !== undefined || s.phase === 'rolling-back';

function who(a: Actor | undefined): Actor {
  return { by: typeof a?.by === 'string' && a.by ? a.by : 'unknown', reason: typeof a?.reason === 'string' ? a.reason : undefined };
}

function ignored(state: PromotionState, signal: string, actor: Actor, why: string): void {
  state.record('signal-ignored', `${signal} from ${actor.by} ignored: ${why}`, actor.by);
}

export function installHandlers(state: PromotionState): void {
  setHandler(statusQuery, () => state.status());

  setHandler(pauseSignal, (raw) => {
    const actor = who(raw);
    if (finished(state)) return ignored(state, 'pause', actor, `the promotion is ${state.phase}`);
    if (state.paused) return ignored(state, 'pause', actor, 'already paused');
    state.paused = true;
    state.record('pause', `paused by ${actor.by}${actor.reason ? `: ${actor.reason}` : ''}`, actor.by);
    state.publishDetails();
  });

  setHandler(resumeSignal, (raw) => {
    const actor = who(raw);
    if (!state.paused) return ignored(state, 'resume', actor, 'not paused');
    state.paused = false;
    state.record('resume', `resumed by ${actor.by}${actor.reason ? `: ${actor.reason}` : ''}`, actor.by);
    state.publishDetails();
  });

  setHandler(promoteSignal, (raw) => {
    const actor = { ...who(raw), full: raw?.full === true };
    if (finished(state)) return ignored(state, 'promote', actor, `the promotion is ${state.phase}`);
    if (actor.full) {
      state.promoteFull = actor;
      state.decidedBy = actor;
    } else {
      state.promoteRequest = actor;
    }
    state.paused = false;
    state.record('promote', `${actor.full ? 'full promotion' : 'promote (finish the current step)'} requested by ${actor.by}${actor.reason ? `: ${actor.reason}` : ''}`, actor.by);
  });

  setHandler(abortSignal, (raw) => {
    const actor = who(raw);
    if (finished(state)) return ignored(state, 'abort', actor, `the promotion is ${state.phase}; compensation is not interrupted`);
    state.decidedBy = actor;
    state.requestStop({ kind: 'abort', reason: `aborted by ${actor.by}${actor.reason ? `: ${actor.reason}` : ''}`, by: actor });
  });
}
