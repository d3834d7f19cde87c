// Every default in one place, so docs/spec.md, `validate --print` and the code agree.
import type { CheckSpec, OnTimeout } from './types';

export const API_VERSION = 'canary-promoter/v1';
export const KIND = 'Promotion';

/** Check settings when neither the check nor `analysis.defaults` sets them. */
export const DEFAULT_CHECK_SETTINGS = {
  interval: 30_000,
  initialDelay: 0,
  /** measurements per analysis step (inconclusive and error measurements do not count) */
  count: 1,
  failureLimit: 0,
  inconclusiveLimit: 1,
  onInconclusiveLimit: 'fail',
  /** as in Argo Rollouts: a Prometheus hiccup is retried, a dead Prometheus is not ignored */
  consecutiveErrorLimit: 4,
  for: 0,
  dryRun: false,
  noData: 'inconclusive',
} as const satisfies Omit<CheckSpec, 'name' | 'source' | 'condition'>;

export const DEFAULT_CONDITION = {
  slack: 0,
  alpha: 0.05,
  minSamples: 20,
} as const;

export const DEFAULT_DEADLINES = {
  promotion: 2 * 3_600_000,
  progress: 10 * 60_000,
} as const;

/** `bake: manual` without a deadline waits this long, then rolls back. */
export const DEFAULT_MANUAL_BAKE: { deadline: number; onTimeout: OnTimeout } = { deadline: 3_600_000, onTimeout: 'rollback' };

/** blueGreen keeps the old side up this long after the switch (Argo Rollouts' default). */
export const DEFAULT_SCALE_DOWN_DELAY = 30_000;

/** The selector label that tells blue from green when the router does not name one. */
export const DEFAULT_SELECTOR_LABEL = 'version';

export const DEFAULT_VARIANTS = { canary: 'canary', stable: 'stable' } as const;
