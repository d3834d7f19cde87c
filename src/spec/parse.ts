// Entry points: YAML text or a parsed document → a validated, normalized PromotionSpec, or every
// error found, each naming its field. Nothing here throws on bad input. For the CLI and clients:
// this file pulls in the YAML library; workflow code re-validates with ./validate instead.
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { fromZodIssues, specErrorMap, toSpecErrors, type SpecError } from './errors';
import { normalizeDocument } from './normalize';
import { applySetOverrides } from './overrides';
import { parsePath, type PathSegment } from './path';
import { crossFieldRules } from './rules';
import { documentSchema } from './schema';

import type { SpecResult } from './validate';

export type { SpecError } from './errors';
export { formatSpecErrors } from './errors';
export { toYaml } from './print';
export { validatePromotionSpec, type SpecResult } from './validate';

export interface SpecOverrides {
  /** the candidate image (`promoter start --image`); wins over `image:` in the file and over `set` */
  image?: string;
  /** `path=value` overrides (`strategy.canary.steps[1].bake` → `10m`), values read as YAML */
  set?: Readonly<Record<string, string>>;
}

/** YAML text → spec. Errors carry the line of the offending field when it is in the text. */
export function parsePromotionSpec(yamlText: string, overrides: SpecOverrides = {}): SpecResult {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        path: '',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
        ...(e.pos[0] !== undefined && { line: lines.linePos(e.pos[0]).line }),
      })),
    };
  }
  const result = normalizePromotionDocument(doc.toJS(), overrides);
  if (result.ok) return result;
  const overridden = Object.keys(overrides.set ?? {});
  return { ok: false, errors: result.errors.map((e) => withLine(e, doc, lines, overridden)) };
}

/** An already-parsed user document (from YAML or JSON) → spec. */
export function normalizePromotionDocument(raw: unknown, overrides: SpecOverrides = {}): SpecResult {
  if (raw === null || raw === undefined) {
    return { ok: false, errors: [{ path: '', message: 'the document is empty; expected a Promotion (apiVersion: canary-promoter/v1, kind: Promotion)' }] };
  }
  const { doc, errors: setErrors } = applySetOverrides(raw, overrides.set ?? {});
  if (setErrors.length > 0) return { ok: false, errors: setErrors };
  const withImage = overrides.image !== undefined && typeof doc === 'object' && doc !== null ? { ...doc, image: overrides.image } : doc;

  const parsed = documentSchema.safeParse(withImage, { error: specErrorMap });
  if (!parsed.success) return { ok: false, errors: toSpecErrors(fromZodIssues(parsed.error.issues)) };
  const normalized = normalizeDocument(parsed.data);
  if (!normalized.ok) return normalized;
  const ruleErrors = crossFieldRules(normalized.spec, 'user');
  return ruleErrors.length > 0 ? { ok: false, errors: ruleErrors } : normalized;
}

/** Adds the line of the deepest part of the error's path present in the YAML text. */
function withLine(error: SpecError, doc: Document, lines: LineCounter, overridden: string[]): SpecError {
  // A value set with --set is not in the text; its line would point at the wrong thing.
  if (error.path === '' || overridden.some((p) => error.path === p || error.path.startsWith(`${p}.`) || error.path.startsWith(`${p}[`))) {
    return error;
  }
  let segments: PathSegment[];
  try {
    segments = parsePath(error.path);
  } catch {
    return error;
  }
  for (let n = segments.length; n > 0; n--) {
    const node = nodeAt(doc, segments.slice(0, n));
    if (node?.range) return { ...error, line: lines.linePos(node.range[0]).line };
  }
  return error;
}

function nodeAt(doc: Document, segments: PathSegment[]): { range?: [number, number, number] | null } | undefined {
  let node: unknown = doc.contents;
  for (const [i, segment] of segments.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === segment);
      if (!pair) return undefined;
      // the last segment points at its key, so an unknown key's error names the key's line
      node = i === segments.length - 1 ? pair.key : pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      return undefined;
    }
  }
  return node as { range?: [number, number, number] | null } | undefined;
}
