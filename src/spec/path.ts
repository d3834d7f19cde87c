// Field paths as users read and write them: `strategy.canary.steps[2].bake`, and
// `labels["app.kubernetes.io/name"]` for keys that are not plain identifiers. The same syntax is
// used in error messages and in `--set path=value` overrides.

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/**
 * Reads a path written as formatPath writes it; `steps.2` is accepted as well as `steps[2]`.
 * @throws Error naming the position of the first thing it cannot read
 */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`cannot read path "${path}" at position ${i}: ${what}`);
  };
  while (i < path.length) {
    const ch = path[i];
    if (ch === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) fail('missing "]"');
      const inner = path.slice(i + 1, close);
      if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else if (inner.startsWith('"')) segments.push(readQuoted(inner, fail));
      else fail('expected an index or a quoted key inside [...]');
      i = close + 1;
    } else {
      if (ch === '.') {
        if (segments.length === 0) fail('a path cannot start with "."');
        i += 1;
      } else if (segments.length > 0) {
        fail('expected "." or "["');
      }
      const match = /^[^.[\]]+/.exec(path.slice(i));
      if (!match) fail('expected a key');
      const key = match![0];
      segments.push(/^\d+$/.test(key) ? Number(key) : key);
      i += key.length;
    }
  }
  if (segments.length === 0) fail('empty path');
  return segments;
}

function readQuoted(inner: string, fail: (what: string) => never): string {
  try {
    const value: unknown = JSON.parse(inner);
    if (typeof value === 'string') return value;
  } catch {
    // fall through to the error below
  }
  return fail(`bad quoted key ${inner}`);
}
