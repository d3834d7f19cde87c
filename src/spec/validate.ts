// Re-validation of a normalized PromotionSpec (workflow input, another client's payload) with
// the same rules as parsing. Imports neither the YAML library nor anything Node: this is the
// entry point for workflow code.
import type { PromotionSpec } from './types';
import { fromZodIssues, specErrorMap, toSpecErrors, type SpecError } from './errors';
import { normalizedSpecSchema } from './normalized-schema';
import { crossFieldRules } from './rules';

export type SpecResult = { ok: true; spec: PromotionSpec } | { ok: false; errors: SpecError[] };

/** Paths in errors are those of the normalized form: `strategy.steps[2].duration`, `checks[0].source.query`. */
export function validatePromotionSpec(obj: unknown): SpecResult {
  const parsed = normalizedSpecSchema.safeParse(obj, { error: specErrorMap });
  if (!parsed.success) return { ok: false, errors: toSpecErrors(fromZodIssues(parsed.error.issues)) };
  const spec = parsed.data as PromotionSpec;
  const errors = crossFieldRules(spec, 'normalized');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, spec };
}
