// Building blocks for the spec schemas: "exactly one of these keys" objects (steps, routers,
// conditions), durations, Kubernetes names and image references, each failing with a message
// that says what would be valid.
import { z } from 'zod';
import { DurationError, parseDuration } from './duration';
import { fromZodIssues, specErrorMap, describeValue } from './errors';
import type { NameRule } from './names';
import type { PathSegment } from './path';
import { ImageError, parseImageRef } from './derive-image';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Variants = Record<string, z.ZodType>;
export type Picked<V extends Variants> = { [K in keyof V & string]: { key: K; value: z.output<V[K]> } }[keyof V & string];

/**
 * A mapping with exactly one key out of `variants` (`{ setWeight: 10 }`, `{ nginx: {...} }`).
 * An unknown key is reported as an unknown `what`, listing the valid ones: never a fallback.
 */
export function oneOf<V extends Variants>(what: string, variants: V): z.ZodType<Picked<V>> {
  const kinds = Object.keys(variants);
  const valid = `valid ${what} kinds: ${kinds.join(', ')}`;
  const schema = z.unknown().transform((input, ctx) => {
    if (!isPlainObject(input)) {
      ctx.addIssue({ code: 'custom', message: `must be a mapping with one key (${valid}); got ${describeValue(input)}`, input });
      return z.NEVER;
    }
    const keys = Object.keys(input);
    const unknown = keys.filter((k) => !Object.hasOwn(variants, k));
    for (const key of unknown) {
      ctx.addIssue({ code: 'custom', message: `unknown ${what} "${key}"; ${valid}`, path: [key], input });
    }
    const known = keys.filter((k) => Object.hasOwn(variants, k));
    if (known.length !== 1) {
      if (known.length > 1) {
        ctx.addIssue({ code: 'custom', message: `has ${known.join(' and ')}; a ${what} has exactly one of: ${kinds.join(', ')}`, input });
      } else if (unknown.length === 0) {
        ctx.addIssue({ code: 'custom', message: `is empty; expected one of: ${kinds.join(', ')}`, input });
      }
      return z.NEVER;
    }
    if (unknown.length > 0) return z.NEVER;
    const key = known[0]!;
    const result = parseNested(variants[key]!, input[key], ctx, [key]);
    return result.ok ? { key, value: result.value } : z.NEVER;
  });
  return schema as unknown as z.ZodType<Picked<V>>;
}

/** What transforms and refinements get as `ctx`, reduced to the part used here. */
export interface IssueSink {
  addIssue(issue: { code: 'custom'; message: string; path?: PathSegment[]; input?: unknown }): void;
}

/** Parses `input` with `schema` from inside a transform, re-reporting its issues under `path`. */
export function parseNested<S extends z.ZodType>(
  schema: S,
  input: unknown,
  ctx: IssueSink,
  path: PathSegment[],
): { ok: true; value: z.output<S> } | { ok: false } {
  const result = schema.safeParse(input, { error: specErrorMap });
  if (result.success) return { ok: true, value: result.data };
  for (const e of fromZodIssues(result.error.issues)) {
    ctx.addIssue({ code: 'custom', message: e.message, path: [...path, ...e.path], input });
  }
  return { ok: false };
}

/** A duration string (`5m`) → milliseconds; `positive` refuses 0. */
export function duration(options: { positive?: boolean } = {}): z.ZodType<number> {
  const schema = z.unknown().transform((input, ctx) => {
    if (typeof input !== 'string' && typeof input !== 'number') {
      const message = input === undefined ? 'is required (a duration, e.g. 30s or 5m)' : `must be a duration such as 30s or 5m; got ${describeValue(input)}`;
      ctx.addIssue({ code: 'custom', message, input });
      return z.NEVER;
    }
    try {
      const ms = parseDuration(input);
      if (options.positive && ms === 0) {
        ctx.addIssue({ code: 'custom', message: 'must be longer than 0 (e.g. 30s or 5m)', input });
        return z.NEVER;
      }
      return ms;
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, input });
      return z.NEVER;
    }
  });
  return schema as unknown as z.ZodType<number>;
}

/** A string that satisfies a Kubernetes name rule. */
export function k8sName(rule: NameRule): z.ZodString {
  return z.string().refine((v) => rule.test(v), { error: (iss) => `must be ${rule.describe}; got ${describeValue(iss.input)}` });
}

/** An image reference (`registry.local:5000/app:1.2.3`, or with a digest). */
export function imageRef(): z.ZodString {
  return z.string().superRefine((value, ctx) => {
    try {
      parseImageRef(value);
    } catch (err) {
      if (!(err instanceof ImageError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, input: value });
    }
  });
}

/** An http(s) URL; checked by shape only, because URL is not guaranteed in the workflow sandbox. */
export function httpUrl(): z.ZodString {
  return z.string().regex(/^https?:\/\/[^\s/?#]+[^\s]*$/, { error: (iss) => `must be an http:// or https:// URL; got ${describeValue(iss.input)}` });
}

export const deploymentSide = z.enum(['stable', 'canary']);
