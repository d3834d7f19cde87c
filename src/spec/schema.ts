// The user-facing promotion spec (YAML), as a zod schema. Objects are strict: a misspelt key is
// an error, not a silently ignored setting. Field-level rules live here; rules that relate
// fields to each other live in rules.ts (shared with the normalized form) and normalize.ts.
import { z } from 'zod';
import type { OnTimeout, StepSpec } from './types';
import { API_VERSION, DEFAULT_MANUAL_BAKE, KIND } from './defaults';
import { DurationError, parseDuration } from './duration';
import { describeValue } from './errors';
import { dns1035Label, dns1123Label, dns1123Subdomain, labelKey, labelValue } from './names';
import { checkSchema, checkSettingsSchema } from './schema-checks';
import { deploymentSide, duration, imageRef, isPlainObject, k8sName, oneOf, parseNested, type Picked } from './zod-helpers';

const deploymentName = k8sName(dns1123Subdomain);

export const targetSchema = z.strictObject({
  namespace: k8sName(dns1123Label),
  stable: deploymentName,
  canary: deploymentName.optional(),
  container: k8sName(dns1123Label).optional(),
  service: k8sName(dns1035Label).optional(),
  ingress: k8sName(dns1123Subdomain).optional(),
});

export const routerSchema = oneOf('router', {
  // nullable: `replicas:` with nothing after it reads as null in YAML
  replicas: z.strictObject({}).nullable(),
  nginx: z.strictObject({ ingress: k8sName(dns1123Subdomain).optional() }).nullable(),
  serviceSelector: z.strictObject({ service: k8sName(dns1035Label).optional(), label: k8sName(labelKey).optional() }).nullable(),
});
export type ParsedRouter = z.output<typeof routerSchema>;

const BAKE_HELP = 'a duration (e.g. 5m), `manual`, or { manual: true, deadline: 1h, onTimeout: rollback }';

const manualBakeSchema = z.strictObject({
  manual: z.literal(true, { error: 'must be true; for a timed bake write `bake: 5m`' }),
  deadline: duration({ positive: true }).optional(),
  onTimeout: z.enum(['rollback', 'promote']).optional(),
});

/** `bake: 5m` | `bake: manual` | `bake: { manual: true, deadline, onTimeout }`. */
const bakeSchema = z.unknown().transform((input, ctx): StepSpec => {
  if (input === 'manual') return { kind: 'manualBake', ...DEFAULT_MANUAL_BAKE };
  if (isPlainObject(input)) {
    const manual = parseNested(manualBakeSchema, input, ctx, []);
    if (!manual.ok) return z.NEVER;
    const onTimeout: OnTimeout = manual.value.onTimeout ?? DEFAULT_MANUAL_BAKE.onTimeout;
    return { kind: 'manualBake', deadline: manual.value.deadline ?? DEFAULT_MANUAL_BAKE.deadline, onTimeout };
  }
  if (typeof input === 'string' || typeof input === 'number') {
    try {
      const ms = parseDuration(input);
      if (ms > 0) return { kind: 'bake', duration: ms };
      ctx.addIssue({ code: 'custom', message: `must be longer than 0; expected ${BAKE_HELP}`, input });
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      ctx.addIssue({ code: 'custom', message: `${err.message}; for a manual gate write \`bake: manual\``, input });
    }
    return z.NEVER;
  }
  ctx.addIssue({ code: 'custom', message: `must be ${BAKE_HELP}; got ${describeValue(input)}`, input });
  return z.NEVER;
});

const stepVariants = {
  setWeight: z.number().int().min(0).max(100),
  bake: bakeSchema,
  analysis: z.strictObject({ checks: z.array(z.string()).min(1) }),
  setImage: z.strictObject({ deployment: deploymentSide, image: imageRef().optional() }),
  scale: z.strictObject({ deployment: deploymentSide, replicas: z.number().int().min(0) }),
};

function toStep(picked: Picked<typeof stepVariants>): StepSpec {
  switch (picked.key) {
    case 'setWeight':
      return { kind: 'setWeight', weight: picked.value };
    case 'bake':
      return picked.value;
    case 'analysis':
      return { kind: 'analysis', checks: picked.value.checks };
    case 'setImage':
      return { kind: 'setImage', deployment: picked.value.deployment, ...(picked.value.image !== undefined && { image: picked.value.image }) };
    case 'scale':
      return { kind: 'scale', ...picked.value };
  }
}

export const stepSchema = oneOf('step', stepVariants).transform(toStep);

const strategyVariants = {
  canary: z.strictObject({ router: routerSchema.optional(), steps: z.array(stepSchema).min(1) }),
  blueGreen: z.strictObject({
    router: routerSchema.optional(),
    scaleDownDelay: duration().optional(),
    steps: z.array(stepSchema).min(1),
  }),
  rolling: z.strictObject({
    productionImage: imageRef().optional(),
    scaleCanaryToZero: z.boolean().optional(),
    steps: z.array(stepSchema).optional(),
  }),
};
export const strategySchema = oneOf('strategy', strategyVariants);
export type ParsedStrategy = z.output<typeof strategySchema>;

export const analysisSchema = z.strictObject({
  defaults: checkSettingsSchema.optional(),
  /** label values `{{variant}}` renders to for each side */
  variants: z.strictObject({ canary: k8sName(labelValue), stable: k8sName(labelValue) }).optional(),
  checks: z.array(checkSchema).optional(),
  preflight: z.array(z.string()).optional(),
  background: z.array(z.string()).optional(),
});

export const documentSchema = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(KIND),
  target: targetSchema,
  /** the candidate image; `promoter start --image` overrides it */
  image: imageRef().optional(),
  strategy: strategySchema,
  analysis: analysisSchema.optional(),
  deadlines: z.strictObject({ promotion: duration({ positive: true }).optional(), progress: duration({ positive: true }).optional() }).optional(),
  postPromotion: z.strictObject({ watch: duration({ positive: true }), checks: z.array(z.string()).min(1) }).optional(),
  notify: z.strictObject({ webhook: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, { error: 'must be a webhook name like `slack-deploys` (lowercase letters, digits, dashes); the URL itself is configured on the worker as PROMOTER_WEBHOOK_<NAME>, never in the spec, because webhook URLs are secrets' }) }).optional(),
});

export type ParsedDocument = z.output<typeof documentSchema>;
