// Following a running promotion: polls the status query, prints each new event (one plain line
// per event without a terminal; a redrawn view on a terminal), and returns the final result.
import { setMaxListeners } from 'node:events';
import { WorkflowHandle } from '@temporalio/client';
import type { PromotionEvent, PromotionResult, PromotionStatus } from '../workflows/definitions';
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

const eventKey = (e: PromotionEvent) => `${e.at} ${e.kind} ${e.by ?? ''} ${e.message}`;

/**
 * The events not printed yet. The workflow keeps only its last 200 events, so once the list is
 * full its length stays the same: new ones are those after the last one printed, found by value.
 */
export function unseenEvents(events: PromotionEvent[], lastPrinted: PromotionEvent | undefined): PromotionEvent[] {
  if (!lastPrinted) return events;
  const key = eventKey(lastPrinted);
  for (let i = events.length - 1; i >= 0; i--) if (eventKey(events[i]!) === key) return events.slice(i + 1);
  return events; // more new events than the workflow keeps arrived between two polls
}

type Settled = { kind: 'done'; result: PromotionResult } | { kind: 'failed'; error: unknown };

export async function follow(handle: WorkflowHandle, opts: FollowOptions): Promise<FollowResult> {
  const deadline = opts.timeoutMs !== undefined ? Date.now() + opts.timeoutMs : Infinity;
  // The result is a long poll: on a timeout it is aborted (and so is a query still in flight), or
  // it would keep the process alive for up to the server's long-poll timeout after we gave up.
  // Its failure (e.g. no such workflow) is captured at once, so it is never an unhandled
  // rejection while a status query is in flight.
  const abort = new AbortController();
  // result() long-polls again every ~20 s under this signal, and @temporalio/client adds a listener
  // per call without removing it: a watch of a long promotion must not warn of a leak on stderr.
  setMaxListeners(0, abort.signal);
  const resultPromise: Promise<Settled> = handle.client.withAbortSignal(abort.signal, () => handle.result())
    .then((result: PromotionResult) => ({ kind: 'done' as const, result }), (error: unknown) => ({ kind: 'failed' as const, error }));
  let lastPrinted: PromotionEvent | undefined;
  const print = (events: PromotionEvent[]) => {
    for (const e of unseenEvents(events, lastPrinted)) {
      opts.out.write(`${e.at} ${e.kind}: ${e.message}\n`);
      lastPrinted = e;
    }
  };
  let last: PromotionStatus | undefined;
  const live = opts.progress && opts.out.isTTY === true;
  // A pseudo-terminal without a size (e.g. `script` with no terminal around it) reports 0 columns.
  const columns = opts.out.columns || 80;
  let queryAbort: AbortController | undefined;
  try {
    for (;;) {
      // A query waits for a worker to answer: bounded, and never in the way of the result.
      const remaining = deadline - Date.now();
      const queryDeadline = Date.now() + Math.min(QUERY_TIMEOUT_MS, Math.max(remaining, 1000));
      // One signal per query, for the same reason (one query per poll would pile listeners up).
      queryAbort = new AbortController();
      const query = handle.client.withAbortSignal(queryAbort.signal, () => handle.client.withDeadline(queryDeadline, () => handle.query(statusQuery)));
      const status = await Promise.race([query.catch(() => undefined), resultPromise.then(() => undefined)]);
      if (status) {
        last = status;
        if (live) opts.out.write(renderLive(status, columns));
        else if (opts.progress) print(status.events);
      }
      const waitMs = Math.min(opts.pollMs ?? 1000, deadline - Date.now());
      if (waitMs <= 0) return { kind: 'timeout', status: last };
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), waitMs)));
      const settled = await Promise.race([resultPromise, tick]);
      clearTimeout(timer);
      if (settled?.kind === 'failed') throw settled.error;
      if (settled) {
        if (opts.progress && !live) print(settled.result.events);
        return settled;
      }
    }
  } finally {
    abort.abort();
    queryAbort?.abort();
  }
}
