// The normalized promotion spec: what the workflow receives after parsing, validation and
// defaults. Durations are milliseconds (numbers) so workflow code never parses strings.
// YAML users write the friendlier forms (`bake: 5m`, `setWeight: 10`); src/spec/parse.ts turns
// them into these tagged unions.

/** Milliseconds. */
export type DurationMs = number;

export interface TargetSpec {
  namespace: string;
  /** The production Deployment. */
  stable: string;
  /** The canary (or, for blueGreen, the new-side) Deployment. */
  canary?: string;
  /** Container whose image is promoted; default: the first container of the pod template. */
  container?: string;
  /** The Service in front of the workload (replicas and serviceSelector routers). */
  service?: string;
  /** The canary Ingress carrying nginx.ingress.kubernetes.io/canary-weight (nginx router). */
  ingress?: string;
}

export type RouterSpec =
  | { kind: 'replicas' }
  | { kind: 'nginx'; ingress: string }
  | { kind: 'serviceSelector'; service: string; /** selector label that tells the sides apart */ label: string };

export type OnTimeout = 'rollback' | 'promote';

export type StepSpec =
  | { kind: 'setWeight'; weight: number }
  | { kind: 'bake'; duration: DurationMs }
  | { kind: 'manualBake'; deadline: DurationMs; onTimeout: OnTimeout }
  | { kind: 'analysis'; checks: string[] }
  | { kind: 'setImage'; deployment: 'stable' | 'canary'; image?: string }
  | { kind: 'scale'; deployment: 'stable' | 'canary'; replicas: number };

export type StrategySpec =
  | { kind: 'canary'; router: RouterSpec; steps: StepSpec[] }
  | { kind: 'blueGreen'; router: RouterSpec; /** keep the old side up this long after the switch */ scaleDownDelay: DurationMs; steps: StepSpec[] }
  | {
      kind: 'rolling';
      /** the production image; derived from the canary's (`1.2.1-canary` → `1.2.1`) when absent */
      productionImage?: string;
      /** scale the canary Deployment to 0 after a successful promotion */
      scaleCanaryToZero: boolean;
      steps: StepSpec[];
    };

export type NoDataPolicy = 'fail' | 'pass' | 'inconclusive';

export type Condition =
  /** value compared with a fixed threshold */
  | { kind: 'threshold'; op: '<' | '<=' | '>' | '>=' | '==' | '!='; value: number }
  /** canary value at most `maxRatio` × the same query for the stable side (plus `slack`, absolute) */
  | { kind: 'relativeToStable'; maxRatio: number; slack: number }
  /** value at most `maxRatio` × the baseline measured before the first change */
  | { kind: 'relativeToBaseline'; maxRatio: number; slack: number }
  /** Mann-Whitney U on canary vs stable samples (range query); fail when canary is significantly worse */
  | { kind: 'mannWhitney'; alpha: number; minSamples: number; higherIsWorse: boolean };

export type CheckSource =
  | { kind: 'prometheus'; query: string; /** for mannWhitney: range window and step */ range?: { window: DurationMs; step: DurationMs } }
  | { kind: 'kubernetes'; deployment: 'stable' | 'canary'; measure: KubernetesMeasure }
  | { kind: 'alerts'; names: string[]; labels: Record<string, string> }
  | { kind: 'http'; url: string; expectStatus: number; expectJson?: Record<string, unknown> };

export type KubernetesMeasure = 'readyRatio' | 'notReadyRatio' | 'maxRestarts' | 'crashLoopBackOff' | 'oomKilled' | 'rolloutProgress';

export interface CheckSpec {
  name: string;
  source: CheckSource;
  /** absent for boolean sources (alerts, http, crashLoopBackOff, oomKilled), where 0 = healthy */
  condition?: Condition;
  noData: NoDataPolicy;
  interval: DurationMs;
  initialDelay: DurationMs;
  /** measurements per analysis step; background analysis runs until the bake ends */
  count: number;
  failureLimit: number;
  inconclusiveLimit: number;
  onInconclusiveLimit: 'pause' | 'fail';
  consecutiveErrorLimit: number;
  /** a breach must last this long (workflow time) before it counts as a failure */
  for: DurationMs;
  dryRun: boolean;
}

export interface PromotionSpec {
  target: TargetSpec;
  /** the candidate image */
  image: string;
  strategy: StrategySpec;
  checks: CheckSpec[];
  /** checks evaluated before anything changes */
  preflight: string[];
  /** checks run in the background during every bake */
  background: string[];
  deadlines: {
    /** whole promotion, compensation excluded */
    promotion: DurationMs;
    /** a Deployment rollout that does not finish within this is failed */
    progress: DurationMs;
  };
  postPromotion?: { watch: DurationMs; checks: string[] };
  /**
   * The values `{{variant}}` takes in queries for each side, i.e. the label values the app's
   * metrics carry (zai-proxy: `{ canary: 'test', stable: 'production' }`). Parsing always fills
   * it; absent means `{ canary: 'canary', stable: 'stable' }`.
   */
  variants?: { canary: string; stable: string };
  /** a webhook named here is configured on the worker (PROMOTER_WEBHOOK_<NAME>): URLs are secrets */
  notify?: { webhook: string };
}
