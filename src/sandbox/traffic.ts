// The simulated data plane's traffic model, in two pure parts:
//
// 1. Routing: who receives how many requests per second, read from the REAL routing state of the
//    cluster (Services, their selectors and ready pods; nginx canary Ingresses and their weights).
// 2. Accounting: turning those rates into counters and histograms shaped like the seed service's
//    (`zai_proxy_*`), deterministically (no random numbers, no real HTTP load).
//
// Conventions (documented in the README):
// - A Service annotated `sandbox.canary-promoter.io/rps: "<N>"` receives N requests per second.
// - Router `replicas` / `serviceSelector`: the Service's traffic is shared equally by the ready
//   pods its selector matches, so the canary/stable replica ratio is the traffic ratio and a
//   selector switch (blue-green) moves traffic.
// - Router `nginx`: an Ingress with `nginx.ingress.kubernetes.io/canary: "true"` and
//   `nginx.ingress.kubernetes.io/canary-weight: "W"` (out of `canary-weight-total`, default 100)
//   whose backend is a canary Service, and a non-canary Ingress in the same namespace with the same
//   host (the same path preferred) whose backend is the main Service: W% of the main Service's rps
//   goes to the canary Service's ready pods, the rest to the main Service's. A Service that is the
//   backend of a canary Ingress gets traffic only through that split (its own rps annotation is
//   ignored). Traffic for a Service without ready pods is lost (nginx would answer 503 itself).
// - Labels: `deployment` = the pod's owner ReplicaSet name minus its pod-template-hash suffix;
//   `variant` = the pod's `variant` label, else the deployment name.
import type { V1Ingress, V1Pod, V1Service } from '@kubernetes/client-node';
import { Counter, Histogram, Registry } from 'prom-client';
import { Behaviour, behaviourOf, BehaviourOptions } from './image-behaviour';

export const RPS_ANNOTATION = 'sandbox.canary-promoter.io/rps';
export const NGINX_CANARY = 'nginx.ingress.kubernetes.io/canary';
export const NGINX_CANARY_WEIGHT = 'nginx.ingress.kubernetes.io/canary-weight';
export const NGINX_CANARY_WEIGHT_TOTAL = 'nginx.ingress.kubernetes.io/canary-weight-total';

export const METRIC_REQUESTS = 'zai_proxy_requests_total';
export const METRIC_DURATION = 'zai_proxy_request_duration_seconds';
export const METRIC_TOKENS = 'zai_proxy_tokens_total';
export const METRIC_TOKEN_COUNT_DURATION = 'zai_proxy_token_count_duration_seconds';
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// ---------------------------------------------------------------------------------------------
// Routing

/** A pod that can serve, as the data plane sees it. */
export interface ServingPod {
  namespace: string;
  name: string;
  uid: string;
  deployment: string;
  variant: string;
  /** image of the first container: the app */
  image: string;
}

/** One pod's part of one Service's traffic. */
export interface PodShare extends ServingPod {
  service: string;
  /** requests per second */
  rps: number;
}

export interface CanarySplit {
  namespace: string;
  /** the canary Ingress */
  ingress: string;
  mainService: string;
  canaryService: string;
  /** 0..1 */
  weight: number;
}

export interface RoutingInput {
  pods: readonly V1Pod[];
  services: readonly V1Service[];
  ingresses?: readonly V1Ingress[];
}

/** Ready (Ready condition True), running and not terminating: what an EndpointSlice calls ready. */
export function podIsServing(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The owning Deployment's name: owner ReplicaSet name minus `-<pod-template-hash>`. */
export function deploymentNameOf(pod: V1Pod): string {
  const owner = (pod.metadata?.ownerReferences ?? []).find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (!owner) return pod.metadata?.name ?? '';
  if (owner.kind !== 'ReplicaSet') return owner.name;
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (hash && owner.name.endsWith(`-${hash}`)) return owner.name.slice(0, -(hash.length + 1));
  return owner.name;
}

export function variantOf(pod: V1Pod): string {
  return pod.metadata?.labels?.variant || deploymentNameOf(pod);
}

export function servingPod(pod: V1Pod): ServingPod {
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`,
    deployment: deploymentNameOf(pod),
    variant: variantOf(pod),
    image: pod.spec?.containers?.[0]?.image ?? '',
  };
}

/** Does a Service selector select these labels? An empty or absent selector selects nothing (no Endpoints). */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) return false;
  return entries.every(([k, v]) => labels?.[k] === v);
}

/** The Service's rps annotation as a number; undefined when absent, not a number or not positive. */
export function serviceRps(service: V1Service): number | undefined {
  const raw = service.metadata?.annotations?.[RPS_ANNOTATION];
  if (raw === undefined) return undefined;
  const n = Number(raw.trim());
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

interface IngressPath {
  host: string;
  path: string;
  service: string;
}

function ingressPaths(ingress: V1Ingress): IngressPath[] {
  const out: IngressPath[] = [];
  for (const rule of ingress.spec?.rules ?? []) {
    for (const p of rule.http?.paths ?? []) {
      const service = p.backend?.service?.name;
      if (service) out.push({ host: rule.host ?? '', path: p.path || '/', service });
    }
  }
  const def = ingress.spec?.defaultBackend?.service?.name;
  if (def) out.push({ host: '', path: '/', service: def });
  return out;
}

export function isCanaryIngress(ingress: V1Ingress): boolean {
  return ingress.metadata?.annotations?.[NGINX_CANARY]?.trim().toLowerCase() === 'true';
}

/** The canary Ingress's weight, 0..1 (canary-weight / canary-weight-total, default total 100). */
export function canaryWeight(ingress: V1Ingress): number {
  const a = ingress.metadata?.annotations ?? {};
  const w = Number(a[NGINX_CANARY_WEIGHT] ?? '0');
  const totalRaw = Number(a[NGINX_CANARY_WEIGHT_TOTAL] ?? '100');
  const total = Number.isFinite(totalRaw) && totalRaw > 0 ? totalRaw : 100;
  if (!Number.isFinite(w) || w <= 0) return 0;
  return Math.min(1, w / total);
}

/** The nginx canary splits in force: each canary Ingress backend paired with its main Service. */
export function canarySplits(ingresses: readonly V1Ingress[]): CanarySplit[] {
  const splits: CanarySplit[] = [];
  const seen = new Set<string>();
  for (const canary of ingresses) {
    if (!isCanaryIngress(canary)) continue;
    const namespace = canary.metadata?.namespace ?? '';
    const mains = ingresses.filter((i) => !isCanaryIngress(i) && (i.metadata?.namespace ?? '') === namespace).flatMap(ingressPaths);
    for (const cp of ingressPaths(canary)) {
      const sameHost = mains.filter((m) => m.host === cp.host && m.service !== cp.service);
      const samePath = sameHost.filter((m) => m.path === cp.path);
      const main = (samePath.length ? samePath : sameHost)[0];
      if (!main) continue;
      const key = `${namespace}/${main.service}/${cp.service}`;
      if (seen.has(key)) continue;
      seen.add(key);
      splits.push({ namespace, ingress: canary.metadata?.name ?? '', mainService: main.service, canaryService: cp.service, weight: canaryWeight(canary) });
    }
  }
  return splits;
}

/**
 * Every serving pod's requests per second, per Service it receives traffic through. Pure: the
 * same cluster state always gives the same shares.
 */
export function computeShares(input: RoutingInput): PodShare[] {
  const serving = input.pods.filter(podIsServing);
  const splits = canarySplits(input.ingresses ?? []);
  const canaryTargets = new Set(splits.map((s) => `${s.namespace}/${s.canaryService}`));
  const servicesByKey = new Map(input.services.map((s) => [`${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`, s]));
  const shares: PodShare[] = [];

  const distribute = (namespace: string, serviceName: string, rps: number) => {
    if (rps <= 0) return;
    const service = servicesByKey.get(`${namespace}/${serviceName}`);
    if (!service) return;
    const pods = serving.filter((p) => (p.metadata?.namespace ?? '') === namespace && selectorMatches(service.spec?.selector, p.metadata?.labels));
    if (pods.length === 0) return;
    for (const pod of pods) shares.push({ ...servingPod(pod), service: serviceName, rps: rps / pods.length });
  };

  for (const service of input.services) {
    const namespace = service.metadata?.namespace ?? '';
    const name = service.metadata?.name ?? '';
    if (canaryTargets.has(`${namespace}/${name}`)) continue;
    const rps = serviceRps(service);
    if (rps === undefined) continue;
    const mine = splits.filter((s) => s.namespace === namespace && s.mainService === name);
    // several canary Ingresses on one Service: their weights add up, at most everything
    let left = 1;
    for (const split of mine) {
      const w = Math.min(left, split.weight);
      left -= w;
      distribute(namespace, split.canaryService, rps * w);
    }
    distribute(namespace, name, rps * left);
  }
  return mergeShares(shares);
}

/** One entry per (pod, service), summing duplicates. */
function mergeShares(shares: PodShare[]): PodShare[] {
  const byKey = new Map<string, PodShare>();
  for (const s of shares) {
    const key = `${s.uid}|${s.service}`;
    const old = byKey.get(key);
    if (old) old.rps += s.rps;
    else byKey.set(key, { ...s });
  }
  return [...byKey.values()];
}

/** Requests per second per (namespace, service, deployment, variant): for /routing and tests. */
export function sharesBySeries(shares: readonly PodShare[]): { namespace: string; service: string; deployment: string; variant: string; rps: number; pods: number }[] {
  const out = new Map<string, { namespace: string; service: string; deployment: string; variant: string; rps: number; pods: number }>();
  for (const s of shares) {
    const key = [s.namespace, s.service, s.deployment, s.variant].join('|');
    const old = out.get(key);
    if (old) {
      old.rps += s.rps;
      old.pods += 1;
    } else {
      out.set(key, { namespace: s.namespace, service: s.service, deployment: s.deployment, variant: s.variant, rps: s.rps, pods: 1 });
    }
  }
  return [...out.values()].sort((a, b) => [a.namespace, a.service, a.deployment, a.variant].join('|').localeCompare([b.namespace, b.service, b.deployment, b.variant].join('|')));
}

// ---------------------------------------------------------------------------------------------
// Accounting

const GOLDEN = 0.6180339887498949;

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q0 = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
  if (q0 < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(q0));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (q0 > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - q0));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = q0 - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/**
 * The k-th latency of a pod: a log-normal distribution around the median, sampled along a
 * golden-ratio sequence so any run of requests covers the distribution evenly (p95 ≈ 2.3× median).
 */
export function latencySample(medianSeconds: number, k: number, sigma = 0.5): number {
  const u = (0.5 + k * GOLDEN) % 1;
  return medianSeconds * Math.exp(sigma * normalQuantile(u));
}

export interface TrafficModelOptions {
  behaviour?: Partial<BehaviourOptions>;
  /** a series whose deployment no longer exists is dropped after this long */
  forgetAfterMs?: number;
  inputTokensPerRequest?: number;
  outputTokensPerRequest?: number;
  /** median time the proxy spends counting tokens, seconds */
  tokenCountMedianSeconds?: number;
}

interface PodAccount {
  requestCarry: number;
  errorCarry: number;
  seq: number;
}

interface SeriesInfo {
  labels: { namespace: string; service: string; deployment: string; variant: string };
  lastAliveMs: number;
}

/**
 * Prometheus series of the simulated service, advanced by `advance()` from the current shares.
 * Amounts are exact fractions of elapsed time (carried between ticks), error counts are exact
 * fractions of requests, latencies follow a fixed sequence: the same inputs give the same output.
 */
export class TrafficModel {
  readonly registry = new Registry();
  private readonly requests: Counter<'namespace' | 'service' | 'deployment' | 'variant' | 'status'>;
  private readonly duration: Histogram<'namespace' | 'service' | 'deployment' | 'variant'>;
  private readonly tokens: Counter<'namespace' | 'deployment' | 'variant' | 'type'>;
  private readonly tokenDuration: Histogram<'namespace' | 'deployment' | 'variant'>;
  private readonly accounts = new Map<string, PodAccount>();
  private readonly series = new Map<string, SeriesInfo>();
  private readonly tokenSeries = new Set<string>();
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly forgetAfterMs: number;

  constructor(private readonly opts: TrafficModelOptions = {}) {
    this.forgetAfterMs = opts.forgetAfterMs ?? 30_000;
    const registers = [this.registry];
    this.requests = new Counter({
      name: METRIC_REQUESTS, help: 'Requests served by the proxy (simulated), by HTTP status.',
      labelNames: ['namespace', 'service', 'deployment', 'variant', 'status'], registers,
    });
    this.duration = new Histogram({
      name: METRIC_DURATION, help: 'Request latency of the proxy (simulated).',
      labelNames: ['namespace', 'service', 'deployment', 'variant'], buckets: DURATION_BUCKETS, registers,
    });
    this.tokens = new Counter({
      name: METRIC_TOKENS, help: 'Tokens counted by the proxy (simulated), by type.',
      labelNames: ['namespace', 'deployment', 'variant', 'type'], registers,
    });
    this.tokenDuration = new Histogram({
      name: METRIC_TOKEN_COUNT_DURATION, help: 'Time spent counting tokens per request (simulated).',
      labelNames: ['namespace', 'deployment', 'variant'], buckets: DURATION_BUCKETS, registers,
    });
  }

  behaviourOf(image: string): Behaviour {
    let b = this.behaviours.get(image);
    if (!b) {
      b = behaviourOf(image, this.opts.behaviour);
      this.behaviours.set(image, b);
    }
    return b;
  }

  /**
   * Serves `dtSeconds` of traffic at the given shares. `alive` holds `namespace/deployment` of
   * every Deployment (or pod owner) that still exists: their series stay (flat when idle); others
   * disappear `forgetAfterMs` after they were last alive.
   */
  advance(shares: readonly PodShare[], alive: ReadonlySet<string>, dtSeconds: number, nowMs: number): void {
    const dt = Math.max(0, dtSeconds);
    const inputPer = this.opts.inputTokensPerRequest ?? 400;
    const outputPer = this.opts.outputTokensPerRequest ?? 150;
    const tokenMedian = this.opts.tokenCountMedianSeconds ?? 0.002;
    const present = new Set<string>();
    for (const share of shares) {
      const labels = { namespace: share.namespace, service: share.service, deployment: share.deployment, variant: share.variant };
      const seriesKey = [labels.namespace, labels.service, labels.deployment, labels.variant].join('|');
      const behaviour = this.behaviourOf(share.image);
      this.ensureSeries(seriesKey, labels, behaviour.countsTokens, nowMs);
      const accountKey = `${share.uid}|${share.service}`;
      present.add(accountKey);
      let acc = this.accounts.get(accountKey);
      if (!acc) {
        acc = { requestCarry: 0, errorCarry: 0, seq: 0 };
        this.accounts.set(accountKey, acc);
      }
      const expected = share.rps * dt + acc.requestCarry;
      const n = Math.floor(expected + 1e-9);
      acc.requestCarry = Math.max(0, expected - n);
      if (n === 0) continue;
      const expectedErrors = n * behaviour.errorRate + acc.errorCarry;
      const errors = Math.min(n, Math.floor(expectedErrors + 1e-9));
      acc.errorCarry = Math.max(0, expectedErrors - errors);
      const ok = n - errors;
      if (ok > 0) this.requests.inc({ ...labels, status: '200' }, ok);
      if (errors > 0) this.requests.inc({ ...labels, status: '500' }, errors);
      for (let i = 0; i < n; i++) this.duration.observe(labels, latencySample(behaviour.latencyMedianSeconds, acc.seq++));
      if (behaviour.countsTokens && ok > 0) {
        const tl = { namespace: labels.namespace, deployment: labels.deployment, variant: labels.variant };
        this.tokens.inc({ ...tl, type: 'input' }, ok * inputPer);
        this.tokens.inc({ ...tl, type: 'output' }, ok * outputPer);
        for (let i = 0; i < ok; i++) this.tokenDuration.observe(tl, latencySample(tokenMedian, acc.seq + i, 0.3));
      }
    }
    for (const key of this.accounts.keys()) if (!present.has(key)) this.accounts.delete(key);
    this.forget(alive, nowMs);
  }

  /** Zero-valued series as soon as a deployment is routed to, so `rate(...{status=~"5.."})` is 0, not absent. */
  private ensureSeries(key: string, labels: SeriesInfo['labels'], countsTokens: boolean, nowMs: number): void {
    const info = this.series.get(key);
    if (info) info.lastAliveMs = nowMs;
    else {
      this.series.set(key, { labels, lastAliveMs: nowMs });
      this.requests.inc({ ...labels, status: '200' }, 0);
      this.requests.inc({ ...labels, status: '500' }, 0);
      this.duration.zero(labels);
    }
    if (countsTokens) {
      const tokenKey = [labels.namespace, labels.deployment, labels.variant].join('|');
      if (!this.tokenSeries.has(tokenKey)) {
        this.tokenSeries.add(tokenKey);
        const tl = { namespace: labels.namespace, deployment: labels.deployment, variant: labels.variant };
        this.tokens.inc({ ...tl, type: 'input' }, 0);
        this.tokens.inc({ ...tl, type: 'output' }, 0);
        this.tokenDuration.zero(tl);
      }
    }
  }

  private forget(alive: ReadonlySet<string>, nowMs: number): void {
    for (const [key, info] of this.series) {
      const { namespace, deployment } = info.labels;
      if (alive.has(`${namespace}/${deployment}`)) info.lastAliveMs = nowMs;
      if (nowMs - info.lastAliveMs <= this.forgetAfterMs) continue;
      this.series.delete(key);
      this.requests.remove({ ...info.labels, status: '200' });
      this.requests.remove({ ...info.labels, status: '500' });
      this.duration.remove(info.labels);
    }
    const stillThere = new Set([...this.series.values()].map((s) => [s.labels.namespace, s.labels.deployment, s.labels.variant].join('|')));
    for (const tokenKey of this.tokenSeries) {
      if (stillThere.has(tokenKey)) continue;
      this.tokenSeries.delete(tokenKey);
      const [namespace = '', deployment = '', variant = ''] = tokenKey.split('|');
      this.tokens.remove({ namespace, deployment, variant, type: 'input' });
      this.tokens.remove({ namespace, deployment, variant, type: 'output' });
      this.tokenDuration.remove({ namespace, deployment, variant });
    }
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
