// The user-facing schema of analysis checks: a source (prometheus | kubernetes | alerts | http),
// an optional condition, and per-check settings that fall back to `analysis.defaults`.
import { z } from 'zod';
import type { CheckSource, Condition, KubernetesMeasure } from './types';
import { dns1123Label, labelKey } from './names';
import { deploymentSide, duration, httpUrl, k8sName, oneOf, type Picked } from './zod-helpers';
import { DEFAULT_CONDITION } from './defaults';

export const KUBERNETES_MEASURES = [
  'readyRatio', 'notReadyRatio', 'maxRestarts', 'crashLoopBackOff', 'oomKilled', 'rolloutProgress',
] as const satisfies readonly KubernetesMeasure[];

/** Measures that are counts of bad things: 0 is healthy, so they need no condition. */
export const BOOLEAN_MEASURES: readonly KubernetesMeasure[] = ['crashLoopBackOff', 'oomKilled'];

const THRESHOLD_OPS = { below: '<', atMost: '<=', above: '>', atLeast: '>=', equals: '==', notEquals: '!=' } as const;
export type ThresholdKey = keyof typeof THRESHOLD_OPS;
export const THRESHOLD_KEYS = Object.fromEntries(Object.entries(THRESHOLD_OPS).map(([k, op]) => [op, k])) as Record<
  (typeof THRESHOLD_OPS)[ThresholdKey],
  ThresholdKey
>;

const relative = z.strictObject({
  maxRatio: z.number().positive(),
  slack: z.number().min(0).optional(),
});

const conditionVariants = {
  below: z.number(),
  atMost: z.number(),
  above: z.number(),
  atLeast: z.number(),
  equals: z.number(),
  notEquals: z.number(),
  relativeToStable: relative,
  relativeToBaseline: relative,
  mannWhitney: z.strictObject({
    alpha: z.number().gt(0).lt(1).optional(),
    minSamples: z.number().int().min(3).optional(),
    higherIsWorse: z.boolean().optional(),
  }),
};

function toCondition(picked: Picked<typeof conditionVariants>): Condition {
  switch (picked.key) {
    case 'relativeToStable':
    case 'relativeToBaseline':
      return { kind: picked.key, maxRatio: picked.value.maxRatio, slack: picked.value.slack ?? DEFAULT_CONDITION.slack };
    case 'mannWhitney':
      return {
        kind: 'mannWhitney',
        alpha: picked.value.alpha ?? DEFAULT_CONDITION.alpha,
        minSamples: picked.value.minSamples ?? DEFAULT_CONDITION.minSamples,
        higherIsWorse: picked.value.higherIsWorse ?? true,
      };
    default:
      return { kind: 'threshold', op: THRESHOLD_OPS[picked.key], value: picked.value };
  }
}

export const conditionSchema = oneOf('condition', conditionVariants).transform(toCondition);

export const prometheusSource = z.strictObject({
  query: z.string().trim().min(1),
  /** range query for mannWhitney: samples over `window`, one per `step` */
  range: z.strictObject({ window: duration({ positive: true }), step: duration({ positive: true }) }).optional(),
});
export const kubernetesSource = z.strictObject({ deployment: deploymentSide, measure: z.enum(KUBERNETES_MEASURES) });
export const alertsSource = z.strictObject({
  names: z.array(z.string().min(1)).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});
export const httpSource = z.strictObject({
  url: httpUrl(),
  status: z.number().int().min(100).max(599).optional(),
  json: z.record(z.string(), z.unknown()).optional(),
});

/** Settings a check may set itself or inherit from `analysis.defaults`. */
export const checkSettingsShape = {
  interval: duration({ positive: true }).optional(),
  initialDelay: duration().optional(),
  count: z.number().int().min(1).optional(),
  failureLimit: z.number().int().min(0).optional(),
  inconclusiveLimit: z.number().int().min(0).optional(),
  onInconclusiveLimit: z.enum(['pause', 'fail']).optional(),
  consecutiveErrorLimit: z.number().int().min(0).optional(),
  for: duration().optional(),
  dryRun: z.boolean().optional(),
  noData: z.enum(['fail', 'pass', 'inconclusive']).optional(),
};
export const checkSettingsSchema = z.strictObject(checkSettingsShape);
export type CheckSettings = z.output<typeof checkSettingsSchema>;

const SOURCE_KINDS = ['prometheus', 'kubernetes', 'alerts', 'http'] as const;

export const checkSchema = z
  .strictObject({
    name: k8sName(dns1123Label),
    prometheus: prometheusSource.optional(),
    kubernetes: kubernetesSource.optional(),
    alerts: alertsSource.optional(),
    http: httpSource.optional(),
    condition: conditionSchema.optional(),
    ...checkSettingsShape,
  })
  .superRefine((check, ctx) => {
    const present = SOURCE_KINDS.filter((k) => check[k] !== undefined);
    if (present.length !== 1) {
      const message =
        present.length === 0
          ? `needs a source: one of ${SOURCE_KINDS.join(', ')}`
          : `has ${present.join(' and ')}; a check has exactly one source (${SOURCE_KINDS.join(', ')})`;
      ctx.addIssue({ code: 'custom', message, input: check });
    }
    for (const [key, value] of Object.entries(check.alerts?.labels ?? {})) {
      if (!labelKey.test(key)) {
        ctx.addIssue({ code: 'custom', message: `must be ${labelKey.describe}`, path: ['alerts', 'labels', key], input: value });
      }
    }
  })
  .transform(({ name, prometheus, kubernetes, alerts, http, condition, ...settings }) => ({
    name,
    source: toSource(prometheus, kubernetes, alerts, http),
    ...(condition !== undefined && { condition }),
    settings: settings as CheckSettings,
  }));

export type ParsedCheck = z.output<typeof checkSchema>;

function toSource(
  prometheus: z.output<typeof prometheusSource> | undefined,
  kubernetes: z.output<typeof kubernetesSource> | undefined,
  alerts: z.output<typeof alertsSource> | undefined,
  http: z.output<typeof httpSource> | undefined,
): CheckSource {
  if (prometheus) return { kind: 'prometheus', query: prometheus.query, ...(prometheus.range && { range: prometheus.range }) };
  if (kubernetes) return { kind: 'kubernetes', ...kubernetes };
  if (alerts) return { kind: 'alerts', names: alerts.names ?? [], labels: alerts.labels ?? {} };
  const h = http!; // superRefine guarantees exactly one source
  return { kind: 'http', url: h.url, expectStatus: h.status ?? 200, ...(h.json && { expectJson: h.json }) };
}
