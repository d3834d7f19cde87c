// The simulated node. The sandbox has no kubelet and no scheduler: this process plays both for one
// Node object, `sandbox-node`. It binds pending pods to the node (pods/binding), reports their
// status the way a kubelet would (phase, IPs, container statuses, conditions) with the behaviour
// chosen by each container's image tag (see image-behaviour.ts), increments restart counts of
// crash-loopers and records BackOff/Unhealthy events, and finishes terminating pods by deleting
// them with grace period 0. The ReplicaSet and Deployment controllers take readiness from the
// pods' Ready condition, so Deployment status (ready/available replicas, progress deadline) is
// real.
import * as k8s from '@kubernetes/client-node';
import {
  BehaviourOptions, DEFAULT_BEHAVIOUR_OPTIONS, planPodStatus, PodPlacement, PodStatusPlan, podStatusFingerprint,
} from './image-behaviour';

export const SANDBOX_NODE_NAME = 'sandbox-node';
/** The node's InternalIP: data only, nothing listens there. */
export const SANDBOX_NODE_IP = '10.200.0.1';

type Log = (line: string) => void;

export function apiStatusCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}

export function errorText(err: unknown): string {
  const code = apiStatusCode(err);
  const body = (err as { body?: unknown })?.body;
  let detail = (err as Error)?.message ?? String(err);
  if (typeof body === 'string') {
    try {
      detail = (JSON.parse(body) as { message?: string }).message ?? detail;
    } catch {
      detail = body.slice(0, 200);
    }
  }
  return code ? `HTTP ${code}: ${detail}` : detail;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A delay that does not keep the process alive on its own (for bounded waits while stopping). */
const sleepUnref = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export const objectKey = (o: k8s.KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ResilientInformerOptions<T> {
  /** for log lines */
  name: string;
  log?: Log;
  onChange?: (type: WatchEventType, obj: T) => void;
  /** the server ends each watch after this long and we resume from the last resourceVersion */
  watchTimeoutSeconds?: number;
  retryDelayMs?: number;
}

/**
 * A list+watch cache of one resource across all namespaces that survives errors: it relists on
 * 410 Gone and after any failure, resumes watches that the server closes, and aborts a watch that
 * stays silent past its server-side timeout (a hung connection). Objects from watch events are
 * raw JSON (timestamps are strings); objects from lists are typed (timestamps are Dates).
 */
export class ResilientInformer<T extends k8s.KubernetesObject> {
  private readonly objects = new Map<string, T>();
  private resourceVersion = '';
  private abort?: AbortController;
  private stopped = true;
  private loop?: Promise<void>;
  private readonly watch: k8s.Watch;
  synced = false;

  constructor(
    kc: k8s.KubeConfig,
    private readonly path: string,
    private readonly listFn: () => Promise<k8s.KubernetesListObject<T>>,
    private readonly opts: ResilientInformerOptions<T>,
  ) {
    this.watch = new k8s.Watch(kc);
  }

  /** Resolves after the first successful list. */
  async start(): Promise<void> {
    this.stopped = false;
    for (;;) {
      try {
        await this.relist();
        break;
      } catch (err) {
        if (this.stopped) return;
        this.opts.log?.(`${this.opts.name}: list failed (${errorText(err)}); retrying`);
        await sleep(this.opts.retryDelayMs ?? 1000);
      }
    }
    this.synced = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.loop;
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  get(namespace: string, name: string): T | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        const err = await this.watchOnce();
        if (this.stopped) break;
        if (err) {
          if (apiStatusCode(err) !== 410) {
            this.opts.log?.(`${this.opts.name}: watch ended (${errorText(err)}); relisting`);
            await sleep(this.opts.retryDelayMs ?? 1000);
          }
          this.resourceVersion = '';
        }
      } catch (err) {
        if (this.stopped) break;
        this.opts.log?.(`${this.opts.name}: ${errorText(err)}; retrying`);
        this.resourceVersion = '';
        await sleep(this.opts.retryDelayMs ?? 1000);
      }
    }
  }

  private async relist(): Promise<void> {
    const list = await this.listFn();
    const seen = new Set<string>();
    for (const item of list.items) {
      const key = objectKey(item);
      seen.add(key);
      const old = this.objects.get(key);
      this.objects.set(key, item);
      if (!old) this.opts.onChange?.('ADDED', item);
      else if (old.metadata?.resourceVersion !== item.metadata?.resourceVersion) this.opts.onChange?.('MODIFIED', item);
    }
    for (const [key, old] of this.objects) {
      if (!seen.has(key)) {
        this.objects.delete(key);
        this.opts.onChange?.('DELETED', old);
      }
    }
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
  }

  /** One watch request; resolves with its error (undefined when it simply ended). */
  private watchOnce(): Promise<unknown> {
    const timeoutSeconds = this.opts.watchTimeoutSeconds ?? 60;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(guard);
        resolve(err ?? undefined);
      };
      // The server closes the watch after timeoutSeconds; if nothing happened well after that,
      // the connection is hung.
      let controller: AbortController | undefined;
      const guard = setTimeout(() => {
        controller?.abort();
        finish(undefined);
      }, (timeoutSeconds + 15) * 1000);
      const onEvent = (type: string, obj: T & { code?: number }) => {
        if (type === 'ERROR') {
          if (obj.code === 410) this.resourceVersion = '';
          return;
        }
        const rv = obj.metadata?.resourceVersion;
        if (type === 'BOOKMARK') {
          if (rv) this.resourceVersion = rv;
          return;
        }
        if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
        const key = objectKey(obj);
        if (type === 'DELETED') this.objects.delete(key);
        else this.objects.set(key, obj);
        if (rv) this.resourceVersion = rv;
        this.opts.onChange?.(type, obj);
      };
      this.watch.watch(this.path, { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds }, onEvent, finish)
        .then((c) => {
          controller = c;
          this.abort = c;
          if (this.stopped || settled) c.abort();
        })
        .catch(finish);
    });
  }
}

/** Runs one handler per key at a time, at most `concurrency` at once; a key added while its handler runs runs again after. */
export class KeyedQueue {
  private readonly pending = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly handler: (key: string) => Promise<void>, private readonly concurrency = 4, private readonly log?: Log) {}

  add(key: string): void {
    if (this.running.has(key)) this.again.add(key);
    else this.pending.add(key);
    this.pump();
  }

  get size(): number {
    return this.pending.size + this.running.size;
  }

  /** Resolves when nothing is pending or running. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  clear(): void {
    this.pending.clear();
    this.again.clear();
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.pending.size > 0) {
      const key = this.pending.values().next().value as string;
      this.pending.delete(key);
      this.running.add(key);
      this.handler(key)
        .catch((err) => this.log?.(`${key}: ${errorText(err)}`))
        .finally(() => {
          this.running.delete(key);
          if (this.again.delete(key)) this.pending.add(key);
          this.pump();
          if (this.size === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            waiters.forEach((w) => w());
          }
        });
    }
  }
}

export interface KubeletSimulatorOptions {
  nodeName?: string;
  /** timing and traffic behaviour of images; see image-behaviour.ts */
  behaviour?: Partial<BehaviourOptions>;
  log?: Log;
  /** how often the node's Ready heartbeat is refreshed */
  heartbeatMs?: number;
  /** how often due status changes (readiness delays, restarts) are checked */
  tickMs?: number;
  /** how often every known pod is reconciled again, whatever the watch said */
  resyncMs?: number;
  /** minimum time between two Unhealthy events for one container */
  unhealthyEventEveryMs?: number;
}

interface PodSimState {
  uid: string;
  placement: PodPlacement;
  nextChangeAtMs?: number;
  /** the pod as our last status write returned it, newer than the cache until the watch catches up */
  lastWritten?: k8s.V1Pod;
  events: Map<string, { event: k8s.CoreV1Event; count: number; lastAtMs: number; lastRestartCount: number }>;
}

function resourceVersionNumber(o: k8s.KubernetesObject | undefined): number {
  const n = Number(o?.metadata?.resourceVersion ?? '');
  return Number.isFinite(n) ? n : -1;
}

function timeMs(t: Date | string | undefined): number | undefined {
  if (t === undefined || t === null) return undefined;
  const ms = new Date(t).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

export class KubeletSimulator {
  readonly nodeName: string;
  private readonly core: k8s.CoreV1Api;
  private readonly pods: ResilientInformer<k8s.V1Pod>;
  private readonly queue: KeyedQueue;
  private readonly states = new Map<string, PodSimState>();
  private readonly behaviour: BehaviourOptions;
  private readonly log: Log;
  private readonly timers: NodeJS.Timeout[] = [];
  private nextIp = 2;
  private running = false;

  constructor(kc: k8s.KubeConfig, private readonly opts: KubeletSimulatorOptions = {}) {
    this.nodeName = opts.nodeName ?? SANDBOX_NODE_NAME;
    this.behaviour = { ...DEFAULT_BEHAVIOUR_OPTIONS, ...(opts.behaviour ?? {}) };
    this.log = opts.log ?? (() => undefined);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.queue = new KeyedQueue((key) => this.reconcile(key), 4, (line) => this.log(`kubelet: ${line}`));
    this.pods = new ResilientInformer<k8s.V1Pod>(kc, '/api/v1/pods', () => this.core.listPodForAllNamespaces(), {
      name: 'kubelet pod watch',
      log: this.log,
      onChange: (type, pod) => {
        if (!this.running) return;
        if (type === 'DELETED') this.states.delete(objectKey(pod));
        else this.queue.add(objectKey(pod));
      },
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.ensureNode();
    await this.pods.start();
    for (const pod of this.pods.list()) this.queue.add(objectKey(pod));
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.opts.heartbeatMs ?? 10_000, () => void this.heartbeat().catch((err) => this.log(`kubelet: node heartbeat failed: ${errorText(err)}`)));
    every(this.opts.tickMs ?? 250, () => {
      const now = Date.now();
      for (const [key, st] of this.states) if (st.nextChangeAtMs !== undefined && st.nextChangeAtMs <= now) this.queue.add(key);
    });
    every(this.opts.resyncMs ?? 30_000, () => {
      for (const pod of this.pods.list()) this.queue.add(objectKey(pod));
    });
    this.log(`kubelet: node ${this.nodeName} ready; watching pods`);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.timers.splice(0).forEach(clearInterval);
    this.queue.clear();
    await this.pods.stop();
    await Promise.race([this.queue.idle(), sleepUnref(5000)]);
  }

  // ---- node ----

  private nodeStatus(previous?: k8s.V1NodeStatus): k8s.V1NodeStatus {
    const now = new Date();
    const resources = { cpu: '64', memory: '256Gi', pods: '1000', 'ephemeral-storage': '1Ti' };
    const condition = (type: string, status: string, reason: string, message: string): k8s.V1NodeCondition => {
      const old = previous?.conditions?.find((c) => c.type === type);
      return {
        type, status, reason, message, lastHeartbeatTime: now,
        lastTransitionTime: old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : now,
      };
    };
    return {
      ...(previous ?? {}),
      capacity: resources,
      allocatable: resources,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status (canary-promoter sandbox simulator)'),
      ],
      addresses: [{ type: 'InternalIP', address: SANDBOX_NODE_IP }, { type: 'Hostname', address: this.nodeName }],
      nodeInfo: {
        architecture: 'amd64', bootID: 'sandbox', containerRuntimeVersion: 'sandbox://simulated', kernelVersion: 'simulated',
        kubeProxyVersion: '', kubeletVersion: 'v1.36.3-sandbox', machineID: 'sandbox', operatingSystem: 'linux',
        osImage: 'canary-promoter sandbox node', systemUUID: 'sandbox',
      },
    };
  }

  private async ensureNode(): Promise<void> {
    let node: k8s.V1Node;
    try {
      node = await this.core.readNode({ name: this.nodeName });
    } catch (err) {
      if (apiStatusCode(err) !== 404) throw err;
      node = await this.core.createNode({
        body: {
          metadata: {
            name: this.nodeName,
            labels: { 'kubernetes.io/hostname': this.nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'sandbox.canary-promoter.io/simulated': 'true' },
          },
          spec: {},
        },
      });
      this.log(`kubelet: created Node ${this.nodeName}`);
    }
    await this.core.replaceNodeStatus({ name: this.nodeName, body: { ...node, status: this.nodeStatus(node.status) } });
  }

  private async heartbeat(): Promise<void> {
    try {
      const node = await this.core.readNode({ name: this.nodeName });
      await this.core.replaceNodeStatus({ name: this.nodeName, body: { ...node, status: this.nodeStatus(node.status) } });
    } catch (err) {
      if (apiStatusCode(err) === 404) await this.ensureNode();
      else if (apiStatusCode(err) !== 409) throw err;
    }
  }

  // ---- pods ----

  /** The newest copy we know: the watch cache, or our own last write if the watch lags behind. */
  private current(key: string): k8s.V1Pod | undefined {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.pods.get(namespace, name);
    const written = this.states.get(key)?.lastWritten;
    if (!cached) return undefined;
    if (written && written.metadata?.uid === cached.metadata?.uid && resourceVersionNumber(written) > resourceVersionNumber(cached)) return written;
    return cached;
  }

  private allocateIp(): string {
    const used = new Set<string>();
    for (const p of this.pods.list()) if (p.status?.podIP) used.add(p.status.podIP);
    for (const s of this.states.values()) used.add(s.placement.podIP);
    for (let tries = 0; tries < 65_000; tries++) {
      const n = this.nextIp;
      this.nextIp = n >= 65_000 ? 2 : n + 1;
      const ip = `10.244.${n >> 8}.${n & 255}`;
      if ((n & 255) !== 0 && (n & 255) !== 255 && !used.has(ip)) return ip;
    }
    throw new Error('no free pod IP in 10.244.0.0/16');
  }

  private stateFor(key: string, pod: k8s.V1Pod): PodSimState {
    const uid = pod.metadata?.uid ?? '';
    let st = this.states.get(key);
    if (st && st.uid === uid) return st;
    // A pod we have not seen (or this process restarted): reuse what its status already says.
    const runningSince = (pod.status?.containerStatuses ?? [])
      .map((c) => timeMs(c.state?.running?.startedAt))
      .filter((t): t is number => t !== undefined);
    const startedAtMs = runningSince.length ? Math.min(...runningSince) : timeMs(pod.status?.startTime) ?? Date.now();
    st = {
      uid,
      placement: { podIP: pod.status?.podIP || this.allocateIp(), hostIP: SANDBOX_NODE_IP, startedAtMs },
      events: new Map(),
    };
    this.states.set(key, st);
    return st;
  }

  private async reconcile(key: string): Promise<void> {
    if (!this.running) return;
    let pod = this.current(key);
    if (!pod?.metadata?.name || !pod.metadata.namespace) {
      this.states.delete(key);
      return;
    }
    const { name, namespace } = pod.metadata;
    const nodeName = pod.spec?.nodeName;
    if (nodeName && nodeName !== this.nodeName) return;

    if (pod.metadata.deletionTimestamp) {
      try {
        await this.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0, body: { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } } });
        this.log(`kubelet: deleted terminating pod ${key}`);
      } catch (err) {
        const code = apiStatusCode(err);
        if (code !== 404 && code !== 409) throw err;
      }
      this.states.delete(key);
      return;
    }

    if (!nodeName) {
      try {
        await this.core.createNamespacedBinding({
          namespace,
          body: { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: this.nodeName } },
        });
      } catch (err) {
        const code = apiStatusCode(err);
        if (code === 404) return;
        if (code !== 409) throw err;
      }
      // the watch brings the bound pod back to us
      return;
    }

    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;

    const st = this.stateFor(key, pod);
    for (let attempt = 0; ; attempt++) {
      const plan = planPodStatus(pod, st.placement, Date.now(), this.behaviour);
      st.nextChangeAtMs = plan.nextChangeAtMs;
      if (podStatusFingerprint(plan.status) === podStatusFingerprint(pod.status)) {
        await this.recordEvents(pod, st, plan);
        return;
      }
      try {
        st.lastWritten = await this.core.replaceNamespacedPodStatus({ name, namespace, body: { ...pod, status: plan.status } });
        await this.recordEvents(pod, st, plan);
        return;
      } catch (err) {
        const code = apiStatusCode(err);
        if (code === 404) {
          this.states.delete(key);
          return;
        }
        if (code !== 409 || attempt >= 5) throw err;
        // somebody else changed the pod: start again from its current version
        pod = await this.core.readNamespacedPod({ name, namespace });
        st.lastWritten = pod;
        if (pod.metadata?.deletionTimestamp || pod.metadata?.uid !== st.uid) {
          this.queue.add(key);
          return;
        }
      }
    }
  }

  // ---- events ----

  private async recordEvents(pod: k8s.V1Pod, st: PodSimState, plan: PodStatusPlan): Promise<void> {
    const podName = pod.metadata?.name ?? '';
    const ns = pod.metadata?.namespace ?? '';
    const uid = pod.metadata?.uid ?? '';
    for (const c of plan.crashLooping) {
      const previous = st.events.get(`BackOff/${c.container}`);
      if (previous && previous.lastRestartCount >= c.restartCount) continue;
      await this.recordEvent(pod, st, `BackOff/${c.container}`, c.restartCount, {
        type: 'Warning', reason: 'BackOff', fieldPath: `spec.containers{${c.container}}`,
        message: `Back-off restarting failed container ${c.container} in pod ${podName}_${ns}(${uid})` +
          (c.reason === 'OOMKilled' ? ' (last termination: OOMKilled, exit code 137)' : ''),
      });
    }
    const everyMs = this.opts.unhealthyEventEveryMs ?? 10_000;
    for (const container of plan.neverReady) {
      const previous = st.events.get(`Unhealthy/${container}`);
      if (previous && Date.now() - previous.lastAtMs < everyMs) continue;
      await this.recordEvent(pod, st, `Unhealthy/${container}`, 0, {
        type: 'Warning', reason: 'Unhealthy', fieldPath: `spec.containers{${container}}`,
        message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
      });
    }
  }

  /** Creates the event, or counts one more occurrence of it (like the kubelet's event aggregation). */
  private async recordEvent(
    pod: k8s.V1Pod, st: PodSimState, key: string, restartCount: number,
    e: { type: string; reason: string; message: string; fieldPath: string },
  ): Promise<void> {
    const ns = pod.metadata?.namespace ?? '';
    const now = new Date();
    const previous = st.events.get(key);
    try {
      if (previous) {
        const body: k8s.CoreV1Event = { ...previous.event, count: previous.count + 1, lastTimestamp: now, message: e.message };
        const event = await this.core.replaceNamespacedEvent({ name: previous.event.metadata.name ?? '', namespace: ns, body });
        st.events.set(key, { event, count: previous.count + 1, lastAtMs: now.getTime(), lastRestartCount: restartCount });
        return;
      }
    } catch (err) {
      const code = apiStatusCode(err);
      if (code !== 404 && code !== 409) {
        this.log(`kubelet: event ${e.reason} for ${ns}/${pod.metadata?.name}: ${errorText(err)}`);
        return;
      }
      // gone or changed under us: start a new one
    }
    const body: k8s.CoreV1Event = {
      metadata: { name: `${pod.metadata?.name}.${(now.getTime() * 1000 + Math.floor(Math.random() * 1000)).toString(16)}`, namespace: ns },
      involvedObject: {
        apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name, namespace: ns, uid: pod.metadata?.uid,
        resourceVersion: pod.metadata?.resourceVersion, fieldPath: e.fieldPath,
      },
      type: e.type, reason: e.reason, message: e.message, count: 1, firstTimestamp: now, lastTimestamp: now,
      source: { component: 'kubelet', host: this.nodeName }, reportingComponent: 'kubelet', reportingInstance: this.nodeName,
    };
    try {
      const event = await this.core.createNamespacedEvent({ namespace: ns, body });
      st.events.set(key, { event, count: 1, lastAtMs: now.getTime(), lastRestartCount: restartCount });
    } catch (err) {
      this.log(`kubelet: event ${e.reason} for ${ns}/${pod.metadata?.name}: ${errorText(err)}`);
    }
  }
}
