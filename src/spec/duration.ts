// Durations as users write them (`30s`, `5m`, `1h30m`, `500ms`) and as the workflow uses them
// (integer milliseconds). Units must appear largest first, each at most once, so a string has
// exactly one reading: `1h30m` is fine, `30m1h` and `5m5m` are mistakes worth reporting.
import type { DurationMs } from './types';

const UNITS = [
  { unit: 'h', ms: 3_600_000 },
  { unit: 'm', ms: 60_000 },
  { unit: 's', ms: 1_000 },
  { unit: 'ms', ms: 1 },
] as const;

const EXAMPLE = 'e.g. 500ms, 30s, 5m, 2h or 1h30m';

export class DurationError extends Error {
  override readonly name = 'DurationError';
}

/**
 * Parses `2h`, `1h30m`, `45s`, `500ms` (or the number 0) into milliseconds.
 * @throws DurationError saying what a valid duration looks like
 */
export function parseDuration(input: string | number): DurationMs {
  if (typeof input === 'number') {
    // A bare number is ambiguous (seconds? ms?) unless it is zero.
    if (input === 0) return 0;
    throw new DurationError(`a duration needs a unit (${EXAMPLE}); got the number ${input}`);
  }
  const text = input.trim();
  if (text === '0') return 0;
  if (text === '') throw new DurationError(`a duration cannot be empty (${EXAMPLE})`);
  if (text.startsWith('-')) throw new DurationError(`a duration cannot be negative; got "${input}"`);

  const token = /(\d+)([a-zA-Z]+)/y;
  let total = 0;
  let lastRank = -1;
  let offset = 0;
  while (offset < text.length) {
    token.lastIndex = offset;
    const match = token.exec(text);
    if (!match) throw new DurationError(`"${input}" is not a duration (${EXAMPLE})`);
    const [whole, digits, unit] = match as unknown as [string, string, string];
    const rank = UNITS.findIndex((u) => u.unit === unit);
    if (rank < 0) {
      throw new DurationError(`"${input}": unknown unit "${unit}"; use h, m, s or ms (${EXAMPLE})`);
    }
    if (rank <= lastRank) {
      throw new DurationError(`"${input}": units must go from largest to smallest, each once (${EXAMPLE})`);
    }
    lastRank = rank;
    total += Number(digits) * UNITS[rank]!.ms;
    offset += whole.length;
  }
  if (!Number.isSafeInteger(total)) throw new DurationError(`"${input}" is too long a duration`);
  return total;
}

/** Formats milliseconds as the string parseDuration reads back: 5_400_000 → `1h30m`, 0 → `0s`. */
export function formatDuration(ms: DurationMs): string {
  if (!Number.isFinite(ms)) return String(ms);
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return '0s';
  let out = ms < 0 ? '-' : '';
  for (const { unit, ms: size } of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
