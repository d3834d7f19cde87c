// Spec errors: one per problem, each naming the field (`strategy.canary.steps[2].bake`) and
// saying what would be valid. Zod's issues are turned into these by an error map that writes
// our sentences, so users never see zod's wording.
import type { z } from 'zod';
import { formatPath, type PathSegment } from './path';

export interface SpecError {
  /** where, as formatPath writes it; '' for the document itself */
  path: string;
  /** what is wrong and what would be valid */
  message: string;
  /** 1-based line in the YAML source, when the spec came from text and the field exists there */
  line?: number;
}

/** A short, quoted rendering of a bad input for messages. */
export function describeValue(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  const text = typeof input === 'string' ? JSON.stringify(input) : String(input);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** Writes the message for zod's built-in issues; schema-level messages take precedence over it. */
export const specErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return issue.input === undefined ? `is required (${expected})` : `must be ${expected}; got ${describeValue(issue.input)}`;
    }
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `must have at least ${issue.minimum} ${issue.origin === 'array' ? 'item' : 'character'}${issue.minimum === 1 ? '' : 's'}`
        : `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}; got ${describeValue(issue.input)}`;
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}; got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `${issue.input === undefined ? 'is required: ' : ''}must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => JSON.stringify(v)).join(', ')}${issue.input === undefined ? '' : `; got ${describeValue(issue.input)}`}`;
    case 'unrecognized_keys': {
      const valid = validKeys(issue.inst);
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${keys}; valid keys: ${valid.length > 0 ? valid.join(', ') : 'none'}`;
    }
    case 'invalid_union':
      if (issue.discriminator !== undefined) {
        // zod puts the discriminator in the path; the input is the whole object
        const options = Array.isArray(issue.options) ? issue.options : [];
        const got = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
        const list = options.map((o) => JSON.stringify(o)).join(', ');
        return got === undefined ? `is required: must be one of ${list}` : `must be one of ${list}; got ${describeValue(got)}`;
      }
      return undefined;
    default:
      return undefined;
  }
};

function validKeys(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

export interface RawSpecError {
  path: PathSegment[];
  message: string;
}

/** One error per key for unrecognized keys, so the path names the offending key itself. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): RawSpecError[] {
  const out: RawSpecError[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) {
      out.push({ path: [...path, issue.keys[0]!], message: issue.message });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

export function toSpecErrors(raw: readonly RawSpecError[]): SpecError[] {
  const seen = new Set<string>();
  const out: SpecError[] = [];
  for (const { path, message } of raw) {
    const formatted = formatPath(path);
    const key = `${formatted}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: formatted, message });
  }
  return out;
}

/**
 * Human text, one error per line: `promotion.yaml:14: strategy.canary.steps[2].bake: must be …`.
 * @param file shown before the line number when given
 */
export function formatSpecErrors(errors: readonly SpecError[], file?: string): string {
  const head = `${file ?? 'promotion spec'} is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}):`;
  const lines = errors.map((e) => {
    const where = [file, e.line].filter((p) => p !== undefined).join(':');
    return `  ${where ? `${where}: ` : ''}${e.path || '(document)'}: ${e.message}`;
  });
  return [head, ...lines].join('\n');
}
