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

const QUERY_TIMEOUT_MS = 10_000;

type Settled = { kind: 'done'; result: PromotionResult } | { kind: 'failed'; error: unknown };

export async function follow(handle: WorkflowHandle, opts: FollowOptions): Promise<FollowResult> {
  const deadline = opts.timeoutMs !== undefined ? Date.now() + opts.timeoutMs : Infinity;
  // The result is a long poll: on a timeout it is aborted (and so is a query still in flight), or
  // it would keep the process alive for up to the server's long-poll timeout after we gave up. Its failure (e.g. no such workflow) is
  // captured at once, so it is never an unhandled rejection while a status query is in flight.
  const abort = new AbortController();
  const resultPromise: Promise<Settled> = handle.client.withAbortSignal(abort.signal, () => handle.result())
    .then((result: PromotionResult) => ({ kind: 'done' as const, result }), (error: unknown) => ({ kind: 'failed' as const, error }));
  let printed = 0;
  let last: PromotionStatus | undefined;
  const live = opts.progress && opts.out.isTTY === true;
  // A pseudo-terminal without a size (e.g. `script` with no terminal around it) reports 0 columns.
  const columns = opts.out.columns || 80;
  try {
    for (;;) {
      // A query waits for a worker to answer: bounded, and never in the way of the result.
      const remaining = deadline - Date.now();
      const queryDeadline = Date.now() + Math.min(QUERY_TIMEOUT_MS, Math.max(remaining, 1000));
      const query = handle.client.withAbortSignal(abort.signal, () => handle.client.withDeadline(queryDeadline, () => handle.query(statusQuery)));
      const status = await Promise.race([query.catch(() => undefined), resultPromise.then(() => undefined)]);
      if (status) {
        last = status;
        if (live) opts.out.write(renderLive(status, columns));
        else if (opts.progress) {
          for (const e of status.events.slice(printed)) opts.out.write(`${e.at} ${e.kind}: ${e.message}\n`);
        }
        printed = status.events.length;
      }
      const waitMs = Math.min(opts.pollMs ?? 1000, deadline - Date.now());
      if (waitMs <= 0) return { kind: 'timeout', status: last };
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), waitMs)));
      const settled = await Promise.race([resultPromise, tick]);
      clearTimeout(timer);
      if (settled?.kind === 'failed') throw settled.error;
      if (settled) {
        if (opts.progress && !live) for (const e of settled.result.events.slice(printed)) opts.out.write(`${e.at} ${e.kind}: ${e.message}\n`);
        return settled;
      }
    }
  } finally {
    abort.abort();
  }
}
