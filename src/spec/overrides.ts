// `--set path=value` overrides, applied to the raw document before validation so an override
// is validated exactly like the file. Values are read as YAML: `10` is a number, `true` a
// boolean, `[a, b]` a list, `5m` a string.
import { parse as parseYaml } from 'yaml';
import type { SpecError } from './errors';
import { formatPath, parsePath, type PathSegment } from './path';
import { isPlainObject } from './zod-helpers';

export interface OverrideResult {
  doc: unknown;
  errors: SpecError[];
}

/** Returns a copy of `doc` with every override applied; `doc` itself is left untouched. */
export function applySetOverrides(doc: unknown, set: Readonly<Record<string, string>>): OverrideResult {
  let out = clone(doc);
  const errors: SpecError[] = [];
  for (const [path, text] of Object.entries(set)) {
    let segments: PathSegment[];
    let value: unknown;
    try {
      segments = parsePath(path);
    } catch (err) {
      errors.push({ path, message: `--set: ${(err as Error).message}` });
      continue;
    }
    try {
      value = parseYaml(text);
    } catch (err) {
      errors.push({ path: formatPath(segments), message: `--set: the value is not valid YAML: ${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    if (!isPlainObject(out)) out = {};
    const problem = setIn(out as Record<string, unknown>, segments, value);
    if (problem) errors.push({ path: formatPath(segments), message: `--set: ${problem}` });
  }
  return { doc: out, errors };
}

/** Sets a value, creating missing mappings and lists on the way; returns a problem or undefined. */
function setIn(root: Record<string, unknown>, segments: PathSegment[], value: unknown): string | undefined {
  let node: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    const next = segments[i + 1];
    const here = formatPath(segments.slice(0, i)) || 'the document';
    let child: unknown;
    if (Array.isArray(node)) {
      if (typeof segment !== 'number') return `${here} is a list; use an index such as [0]`;
      if (segment > node.length) return `${here} has ${node.length} items; the index can be at most ${node.length} (to append)`;
      if (last) node[segment] = value;
      else child = node[segment] ??= typeof next === 'number' ? [] : {};
    } else if (isPlainObject(node)) {
      const key = String(segment);
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') return `"${key}" cannot be set`;
      if (last) node[key] = value;
      else child = node[key] ??= typeof next === 'number' ? [] : {};
    } else {
      return `${here} is ${node === null ? 'null' : `a ${typeof node}`}, so it has no field ${JSON.stringify(segment)}`;
    }
    node = child;
  }
  return undefined;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}
