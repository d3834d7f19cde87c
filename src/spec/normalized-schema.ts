// A zod schema of the normalized PromotionSpec (src/spec/types.ts), so a spec that arrives as
// workflow input or from another client is checked as strictly as one parsed from YAML. The
// `satisfies` clauses and the key checks at the bottom keep it in step with the types: a field
// added there fails to compile here until the schema learns it.
import { z } from 'zod';
import type { CheckSource, CheckSpec, Condition, PromotionSpec, RouterSpec, StepSpec, StrategySpec, TargetSpec } from './types';
import { dns1035Label, dns1123Label, dns1123Subdomain, labelKey, labelValue } from './names';
import { KUBERNETES_MEASURES } from './schema-checks';
import { targetSchema } from './schema';
import { deploymentSide, httpUrl, imageRef, k8sName } from './zod-helpers';

const ms = z.number().int().min(0);
const positiveMs = z.number().int().positive();
const names = z.array(z.string());

const router = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('replicas') }),
  z.strictObject({ kind: z.literal('nginx'), ingress: k8sName(dns1123Subdomain) }),
  z.strictObject({ kind: z.literal('serviceSelector'), service: k8sName(dns1035Label), label: k8sName(labelKey) }),
]) satisfies z.ZodType<RouterSpec>;

const step = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('setWeight'), weight: z.number().int().min(0).max(100) }),
  z.strictObject({ kind: z.literal('bake'), duration: positiveMs }),
  z.strictObject({ kind: z.literal('manualBake'), deadline: positiveMs, onTimeout: z.enum(['rollback', 'promote']) }),
  z.strictObject({ kind: z.literal('analysis'), checks: names.min(1) }),
  z.strictObject({ kind: z.literal('setImage'), deployment: deploymentSide, image: imageRef().optional() }),
  z.strictObject({ kind: z.literal('scale'), deployment: deploymentSide, replicas: z.number().int().min(0) }),
]) satisfies z.ZodType<StepSpec>;

const strategy = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('canary'), router, steps: z.array(step).min(1) }),
  z.strictObject({ kind: z.literal('blueGreen'), router, scaleDownDelay: ms, steps: z.array(step).min(1) }),
  z.strictObject({ kind: z.literal('rolling'), productionImage: imageRef().optional(), scaleCanaryToZero: z.boolean(), steps: z.array(step) }),
]) satisfies z.ZodType<StrategySpec>;

const relative = { maxRatio: z.number().positive(), slack: z.number().min(0) };
const condition = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('threshold'), op: z.enum(['<', '<=', '>', '>=', '==', '!=']), value: z.number() }),
  z.strictObject({ kind: z.literal('relativeToStable'), ...relative }),
  z.strictObject({ kind: z.literal('relativeToBaseline'), ...relative }),
  z.strictObject({ kind: z.literal('mannWhitney'), alpha: z.number().gt(0).lt(1), minSamples: z.number().int().min(3), higherIsWorse: z.boolean() }),
]) satisfies z.ZodType<Condition>;

const source = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('prometheus'),
    query: z.string().min(1),
    range: z.strictObject({ window: positiveMs, step: positiveMs }).optional(),
  }),
  z.strictObject({ kind: z.literal('kubernetes'), deployment: deploymentSide, measure: z.enum(KUBERNETES_MEASURES) }),
  z.strictObject({ kind: z.literal('alerts'), names: z.array(z.string().min(1)), labels: z.record(z.string(), z.string()) }),
  z.strictObject({
    kind: z.literal('http'),
    url: httpUrl(),
    expectStatus: z.number().int().min(100).max(599),
    expectJson: z.record(z.string(), z.unknown()).optional(),
  }),
]) satisfies z.ZodType<CheckSource>;

const check = z.strictObject({
  name: k8sName(dns1123Label),
  source,
  condition: condition.optional(),
  noData: z.enum(['fail', 'pass', 'inconclusive']),
  interval: positiveMs,
  initialDelay: ms,
  count: z.number().int().min(1),
  failureLimit: z.number().int().min(0),
  inconclusiveLimit: z.number().int().min(0),
  onInconclusiveLimit: z.enum(['pause', 'fail']),
  consecutiveErrorLimit: z.number().int().min(0),
  for: ms,
  dryRun: z.boolean(),
}) satisfies z.ZodType<CheckSpec>;

export const normalizedSpecSchema = z.strictObject({
  target: targetSchema,
  image: imageRef(),
  strategy,
  checks: z.array(check),
  preflight: names,
  background: names,
  deadlines: z.strictObject({ promotion: positiveMs, progress: positiveMs }),
  postPromotion: z.strictObject({ watch: positiveMs, checks: names.min(1) }).optional(),
  notify: z.strictObject({ webhook: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, { error: 'must be a webhook name like `slack-deploys` (lowercase letters, digits, dashes); the URL itself is configured on the worker as PROMOTER_WEBHOOK_<NAME>, never in the spec, because webhook URLs are secrets' }) }).optional(),
  variants: z.strictObject({ canary: k8sName(labelValue), stable: k8sName(labelValue) }).optional(),
}) satisfies z.ZodType<PromotionSpec>;

type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const _specKeys: SameKeys<PromotionSpec, z.output<typeof normalizedSpecSchema>> = true;
const _checkKeys: SameKeys<CheckSpec, z.output<typeof check>> = true;
const _targetKeys: SameKeys<TargetSpec, z.output<typeof targetSchema>> = true;
