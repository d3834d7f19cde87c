// How a simulated container behaves, decided by its image tag, plus the pod status the simulated
// kubelet reports for it. Pure: no cluster access, no clock (callers pass `nowMs`), so the
// behaviour is unit-tested and the same on every machine.
//
// Convention (documented in the README): the behaviour keyword is the LAST `-`-separated part of
// the image tag, case-insensitive.
//
//   registry.local/zai-proxy:1.3.0-bad           → bad
//   registry.local/zai-proxy:1.2.1-canary-slow   → slow
//   registry.local/zai-proxy:1.2.1-canary        → normal ("canary" is no keyword)
//   registry.local/zai-proxy                     → normal (tag "latest")
//
//   crash     crash-loops: restartCount +1 every few seconds, state waiting CrashLoopBackOff,
//             lastState terminated exitCode 1 (reason Error), never Ready
//   oom       the same, but lastState terminated reason OOMKilled, exitCode 137
//   unready   runs (Running, started) but never becomes Ready
//   bad       Ready; its traffic answers ~30% 5xx
//   slow      Ready; ~3× the baseline latency
//   notokens  Ready and healthy, but exports no zai_proxy_tokens_total increments
//             ("token counting stops working")
//   other     Ready after a short delay (default 1 s): ~0.5% 5xx, ~50 ms median latency
import type { V1Pod, V1PodCondition, V1PodStatus, V1ContainerStatus, V1ContainerState } from '@kubernetes/client-node';

export const BEHAVIOUR_KEYWORDS = ['crash', 'oom', 'unready', 'bad', 'slow', 'notokens'] as const;
export type BehaviourKeyword = (typeof BEHAVIOUR_KEYWORDS)[number];
export type BehaviourKind = BehaviourKeyword | 'normal';

export interface BehaviourOptions {
  /** time from start until a healthy container is Ready */
  readyDelayMs: number;
  /** how long a crash-looping container runs before its first crash */
  crashAfterMs: number;
  /** one restart per period while crash-looping */
  crashPeriodMs: number;
  /** fraction of requests answered 5xx by a healthy image */
  baselineErrorRate: number;
  /** fraction of requests answered 5xx by a `-bad` image */
  badErrorRate: number;
  /** median request latency of a healthy image, seconds */
  baselineMedianSeconds: number;
  /** latency multiplier of a `-slow` image */
  slowFactor: number;
}

export const DEFAULT_BEHAVIOUR_OPTIONS: Readonly<BehaviourOptions> = Object.freeze({
  readyDelayMs: 1000,
  crashAfterMs: 1000,
  crashPeriodMs: 3000,
  baselineErrorRate: 0.005,
  badErrorRate: 0.3,
  baselineMedianSeconds: 0.05,
  slowFactor: 3,
});

export interface Behaviour {
  kind: BehaviourKind;
  /** the container keeps running (false: crash-loops) */
  runs: boolean;
  /** the container eventually passes its readiness probe */
  becomesReady: boolean;
  /** fraction of requests answered 5xx */
  errorRate: number;
  /** median request latency, seconds */
  latencyMedianSeconds: number;
  /** token counters increase */
  countsTokens: boolean;
  /** for crash-loopers: the last termination */
  termination?: { reason: 'Error' | 'OOMKilled'; exitCode: number };
}

/** The tag of an image reference: `repo/name:tag[@digest]` → `tag`; no tag → `latest`. */
export function imageTag(image: string): string {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(colon + 1) : 'latest';
}

/** The behaviour keyword of an image: the last `-`-separated part of its tag, if it is one. */
export function behaviourKind(image: string): BehaviourKind {
  const parts = imageTag(image).toLowerCase().split('-');
  const last = parts[parts.length - 1] ?? '';
  return (BEHAVIOUR_KEYWORDS as readonly string[]).includes(last) ? (last as BehaviourKeyword) : 'normal';
}

export function behaviourOf(image: string, options: Partial<BehaviourOptions> = {}): Behaviour {
  const o = { ...DEFAULT_BEHAVIOUR_OPTIONS, ...options };
  const kind = behaviourKind(image);
  const base: Behaviour = {
    kind, runs: true, becomesReady: true, errorRate: o.baselineErrorRate,
    latencyMedianSeconds: o.baselineMedianSeconds, countsTokens: true,
  };
  switch (kind) {
    case 'crash':
      return { ...base, runs: false, becomesReady: false, termination: { reason: 'Error', exitCode: 1 } };
    case 'oom':
      return { ...base, runs: false, becomesReady: false, termination: { reason: 'OOMKilled', exitCode: 137 } };
    case 'unready':
      return { ...base, becomesReady: false };
    case 'bad':
      return { ...base, errorRate: o.badErrorRate };
    case 'slow':
      return { ...base, latencyMedianSeconds: o.baselineMedianSeconds * o.slowFactor };
    case 'notokens':
      return { ...base, countsTokens: false };
    default:
      return base;
  }
}

/** Where a container is in its life, `nowMs` after it was started at `startedAtMs`. */
export interface ContainerMoment {
  state: 'running' | 'waiting';
  waitingReason?: 'CrashLoopBackOff';
  /** running since (ms since epoch); for the state's startedAt */
  runningSinceMs?: number;
  ready: boolean;
  started: boolean;
  restartCount: number;
  lastTermination?: { reason: string; exitCode: number; startedAtMs: number; finishedAtMs: number };
  /** when this moment changes next (ms since epoch); undefined: never */
  nextChangeAtMs?: number;
}

export function containerMoment(behaviour: Behaviour, startedAtMs: number, nowMs: number, options: Partial<BehaviourOptions> = {}): ContainerMoment {
  const o = { ...DEFAULT_BEHAVIOUR_OPTIONS, ...options };
  const elapsed = Math.max(0, nowMs - startedAtMs);
  if (!behaviour.runs) {
    if (elapsed < o.crashAfterMs) {
      return { state: 'running', runningSinceMs: startedAtMs, ready: false, started: true, restartCount: 0, nextChangeAtMs: startedAtMs + o.crashAfterMs };
    }
    const period = Math.max(1, o.crashPeriodMs);
    const k = Math.floor((elapsed - o.crashAfterMs) / period);
    const finishedAtMs = startedAtMs + o.crashAfterMs + k * period;
    const termination = behaviour.termination ?? { reason: 'Error', exitCode: 1 };
    return {
      state: 'waiting', waitingReason: 'CrashLoopBackOff', ready: false, started: false, restartCount: k + 1,
      lastTermination: { ...termination, startedAtMs: Math.max(startedAtMs, finishedAtMs - o.crashAfterMs), finishedAtMs },
      nextChangeAtMs: finishedAtMs + period,
    };
  }
  if (!behaviour.becomesReady) {
    return { state: 'running', runningSinceMs: startedAtMs, ready: false, started: true, restartCount: 0 };
  }
  const readyAt = startedAtMs + o.readyDelayMs;
  return nowMs >= readyAt
    ? { state: 'running', runningSinceMs: startedAtMs, ready: true, started: true, restartCount: 0 }
    : { state: 'running', runningSinceMs: startedAtMs, ready: false, started: true, restartCount: 0, nextChangeAtMs: readyAt };
}

/** What the simulated node decided for one pod, outside the pod object. */
export interface PodPlacement {
  podIP: string;
  hostIP: string;
  /** when the containers started (ms since epoch) */
  startedAtMs: number;
}

export interface PodStatusPlan {
  status: V1PodStatus;
  /** when the status changes next (ms since epoch); undefined: only on a pod change */
  nextChangeAtMs?: number;
  /** containers in a crash loop now, for BackOff events */
  crashLooping: { container: string; restartCount: number; reason: string }[];
  /** containers running but not Ready because their image never becomes ready */
  neverReady: string[];
}

/** A stable, content-addressed fake digest, so imageID is real-looking data. */
export function fakeDigest(text: string): string {
  // FNV-1a 32-bit, repeated with different seeds to fill 64 hex digits; no crypto needed.
  let out = '';
  for (let seed = 0; out.length < 64; seed++) {
    let h = 0x811c9dc5 ^ seed;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

export function imageIdOf(image: string): string {
  const repo = image.split('@')[0] ?? image;
  const lastSlash = repo.lastIndexOf('/');
  const colon = repo.lastIndexOf(':');
  const name = colon > lastSlash ? repo.slice(0, colon) : repo;
  return `${name}@sha256:${fakeDigest(image)}`;
}

/**
 * The status the simulated kubelet reports for a pod bound to its node: phase Running, IPs,
 * container statuses per image behaviour and the four standard conditions. Conditions keep their
 * lastTransitionTime while their status does not change, like the real kubelet.
 */
export function planPodStatus(pod: V1Pod, placement: PodPlacement, nowMs: number, options: Partial<BehaviourOptions> = {}): PodStatusPlan {
  const containers = pod.spec?.containers ?? [];
  const podName = pod.metadata?.name ?? '';
  const crashLooping: PodStatusPlan['crashLooping'] = [];
  const neverReady: string[] = [];
  let nextChangeAtMs: number | undefined;
  const containerStatuses: V1ContainerStatus[] = containers.map((c) => {
    const image = c.image ?? '';
    const behaviour = behaviourOf(image, options);
    const m = containerMoment(behaviour, placement.startedAtMs, nowMs, options);
    if (m.nextChangeAtMs !== undefined) nextChangeAtMs = Math.min(nextChangeAtMs ?? Infinity, m.nextChangeAtMs);
    const containerID = (restarts: number) => `containerd://${fakeDigest(`${pod.metadata?.uid ?? podName}/${c.name}/${restarts}`)}`;
    let state: V1ContainerState;
    if (m.state === 'running') {
      state = { running: { startedAt: new Date(m.runningSinceMs ?? placement.startedAtMs) } };
    } else {
      const backoffSeconds = Math.max(1, Math.round((options.crashPeriodMs ?? DEFAULT_BEHAVIOUR_OPTIONS.crashPeriodMs) / 1000));
      state = { waiting: { reason: m.waitingReason, message: `back-off ${backoffSeconds}s restarting failed container=${c.name} pod=${podName}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})` } };
    }
    const status: V1ContainerStatus = {
      name: c.name, image, imageID: imageIdOf(image), ready: m.ready, started: m.started, restartCount: m.restartCount, state,
    };
    if (m.state === 'running') status.containerID = containerID(m.restartCount);
    if (m.lastTermination) {
      const t = m.lastTermination;
      status.lastState = {
        terminated: {
          exitCode: t.exitCode, reason: t.reason, startedAt: new Date(t.startedAtMs), finishedAt: new Date(t.finishedAtMs),
          containerID: containerID(m.restartCount - 1),
        },
      };
      crashLooping.push({ container: c.name, restartCount: m.restartCount, reason: t.reason });
    }
    if (behaviour.runs && !behaviour.becomesReady) neverReady.push(c.name);
    return status;
  });

  const unready = containerStatuses.filter((s) => !s.ready).map((s) => s.name);
  const allReady = containers.length > 0 && unready.length === 0;
  const previous = pod.status?.conditions ?? [];
  const now = new Date(nowMs);
  const condition = (type: string, ok: boolean, reason?: string, message?: string): V1PodCondition => {
    const status = ok ? 'True' : 'False';
    const old = previous.find((c) => c.type === type);
    const c: V1PodCondition = { type, status, lastTransitionTime: old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : now };
    if (!ok && reason) {
      c.reason = reason;
      c.message = message;
    }
    return c;
  };
  const notReadyMessage = `containers with unready status: [${unready.join(' ')}]`;
  const scheduled = previous.find((c) => c.type === 'PodScheduled') ?? { type: 'PodScheduled', status: 'True', lastTransitionTime: now };
  const conditions: V1PodCondition[] = [
    condition('PodReadyToStartContainers', true),
    condition('Initialized', true),
    condition('Ready', allReady, 'ContainersNotReady', notReadyMessage),
    condition('ContainersReady', allReady, 'ContainersNotReady', notReadyMessage),
    scheduled,
  ];
  const status: V1PodStatus = {
    ...(pod.status ?? {}),
    phase: 'Running',
    conditions,
    hostIP: placement.hostIP,
    hostIPs: [{ ip: placement.hostIP }],
    podIP: placement.podIP,
    podIPs: [{ ip: placement.podIP }],
    startTime: pod.status?.startTime ?? new Date(placement.startedAtMs),
    containerStatuses,
  };
  return { status, nextChangeAtMs, crashLooping, neverReady };
}

/** What matters in a pod status, without timestamps: equal fingerprints need no update. */
export function podStatusFingerprint(status: V1PodStatus | undefined): string {
  if (!status) return '';
  const state = (s: V1ContainerState | undefined) =>
    s?.running ? 'running' : s?.waiting ? `waiting:${s.waiting.reason ?? ''}` : s?.terminated ? `terminated:${s.terminated.reason ?? ''}:${s.terminated.exitCode}` : '';
  return JSON.stringify({
    phase: status.phase ?? '',
    podIP: status.podIP ?? '',
    hostIP: status.hostIP ?? '',
    startTime: status.startTime ? 1 : 0,
    conditions: (status.conditions ?? []).map((c) => `${c.type}=${c.status}`).sort(),
    containers: (status.containerStatuses ?? []).map((c) => [c.name, c.image, c.ready, c.started ?? false, c.restartCount, state(c.state), state(c.lastState)]),
  });
}
