// Following a running promotion: polls the status query, prints each new event (one plain line
// per event without a terminal; a redrawn view on a terminal), and returns the final result.
import { WorkflowHandle } from '@temporalio/client';
import type { PromotionResult, PromotionStatus } from '../workflows/definitions';
import { statusQuery } from '../workflows/definitions';
import { renderLive } from './render';

export interface FollowOptions {
  /** give up after this many ms (the promotion keeps running) */
  timeoutMs?: number;
  out: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean; columns?: number };
  /** print events/progress; false for --json */
  progress: boolean;
  pollMs?: number;
}

export type FollowResult = { kind: 'done'; result: PromotionResult } | { kind: 'timeout'; status?: PromotionStatus };

export async function follow(handle: WorkflowHandle, opts: FollowOptions): Promise<FollowResult> {
  const deadline = opts.timeoutMs !== undefined ? Date.now() + opts.timeoutMs : Infinity;
  const resultPromise = handle.result().then((result: PromotionResult) => ({ kind: 'done' as const, result }));
  let printed = 0;
  let last: PromotionStatus | undefined;
  const live = opts.progress && opts.out.isTTY === true;
  for (;;) {
    const status = await handle.query(statusQuery).catch(() => undefined);
    if (status) {
      last = status;
      if (live) opts.out.write(renderLive(status, opts.out.columns ?? 80));
      else if (opts.progress) {
        for (const e of status.events.slice(printed)) opts.out.write(`${e.at} ${e.kind}: ${e.message}\n`);
      }
      printed = status.events.length;
    }
    const waitMs = Math.min(opts.pollMs ?? 1000, deadline - Date.now());
    if (waitMs <= 0) return { kind: 'timeout', status: last };
    const tick = new Promise<undefined>((r) => setTimeout(() => r(undefined), waitMs));
    const done = await Promise.race([resultPromise, tick]);
    if (done) {
      if (opts.progress && !live) for (const e of done.result.events.slice(printed)) opts.out.write(`${e.at} ${e.kind}: ${e.message}\n`);
      return done;
    }
  }
}
