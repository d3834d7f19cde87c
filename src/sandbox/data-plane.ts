// The simulated data plane: one HTTP server on 127.0.0.1 that Prometheus scrapes. It watches the
// cluster's routing state (Pods, Services, Ingresses, Deployments), turns it into per-pod request
// rates (traffic.ts) and advances the `zai_proxy_*` counters and histograms on a short tick.
//
//   GET /metrics                          Prometheus text format
//   GET /health                           {"status":"ok"}: the data plane itself
//   GET /health/<namespace>/<deployment>  200 {"status":"ok",...} when the Deployment has ready
//                                         pods and none runs a `-bad` image; 500 {"status":"error"}
//                                         when one does; 503 {"status":"unavailable"} without ready pods
//   GET /routing                          JSON: current requests/s per series and the canary splits
import * as http from 'node:http';
import * as k8s from '@kubernetes/client-node';
import { BehaviourOptions } from './image-behaviour';
import { errorText, ResilientInformer } from './kubelet-sim';
import {
  canarySplits, computeShares, deploymentNameOf, PodShare, podIsServing, sharesBySeries, TrafficModel, TrafficModelOptions,
} from './traffic';

export interface DataPlaneOptions extends TrafficModelOptions {
  /** port on 127.0.0.1; 0 picks a free one */
  port: number;
  host?: string;
  /** how often counters advance */
  tickMs?: number;
  behaviour?: Partial<BehaviourOptions>;
  log?: (line: string) => void;
}

export class DataPlane {
  readonly model: TrafficModel;
  private readonly pods: ResilientInformer<k8s.V1Pod>;
  private readonly services: ResilientInformer<k8s.V1Service>;
  private readonly ingresses: ResilientInformer<k8s.V1Ingress>;
  private readonly deployments: ResilientInformer<k8s.V1Deployment>;
  private server?: http.Server;
  private timer?: NodeJS.Timeout;
  private lastTick = 0;
  private shares: PodShare[] = [];
  private readonly log: (line: string) => void;
  url = '';

  constructor(kc: k8s.KubeConfig, private readonly opts: DataPlaneOptions) {
    this.log = opts.log ?? (() => undefined);
    this.model = new TrafficModel(opts);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const net = kc.makeApiClient(k8s.NetworkingV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const common = { log: (line: string) => this.log(`data plane: ${line}`) };
    this.pods = new ResilientInformer(kc, '/api/v1/pods', () => core.listPodForAllNamespaces(), { ...common, name: 'pod watch' });
    this.services = new ResilientInformer(kc, '/api/v1/services', () => core.listServiceForAllNamespaces(), { ...common, name: 'service watch' });
    this.ingresses = new ResilientInformer(kc, '/apis/networking.k8s.io/v1/ingresses', () => net.listIngressForAllNamespaces(), { ...common, name: 'ingress watch' });
    this.deployments = new ResilientInformer(kc, '/apis/apps/v1/deployments', () => apps.listDeploymentForAllNamespaces(), { ...common, name: 'deployment watch' });
  }

  /** Starts watching and serving; resolves with the base URL once the caches are filled. */
  async start(): Promise<string> {
    await Promise.all([this.pods.start(), this.services.start(), this.ingresses.start(), this.deployments.start()]);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.statusCode = 500;
        res.end(String((err as Error).message));
      });
    });
    const host = this.opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port, host, () => resolve());
    });
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : this.opts.port;
    this.url = `http://${host}:${port}`;
    this.lastTick = performance.now();
    this.tick();
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 250);
    this.timer.unref();
    this.log(`data plane: serving ${this.url}/metrics`);
    return this.url;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const server = this.server;
    this.server = undefined;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
    await Promise.all([this.pods.stop(), this.services.stop(), this.ingresses.stop(), this.deployments.stop()]);
  }

  /** The cluster's current routing as the data plane sees it. */
  currentShares(): PodShare[] {
    return computeShares({ pods: this.pods.list(), services: this.services.list(), ingresses: this.ingresses.list() });
  }

  private alive(): Set<string> {
    const alive = new Set<string>();
    for (const d of this.deployments.list()) alive.add(`${d.metadata?.namespace}/${d.metadata?.name}`);
    for (const p of this.pods.list()) alive.add(`${p.metadata?.namespace}/${deploymentNameOf(p)}`);
    return alive;
  }

  private tick(): void {
    try {
      const now = performance.now();
      // a stalled event loop does not turn into a burst: at most 5 s at once
      const dt = Math.min(5, (now - this.lastTick) / 1000);
      this.lastTick = now;
      this.shares = this.currentShares();
      this.model.advance(this.shares, this.alive(), dt, Date.now());
    } catch (err) {
      this.log(`data plane: tick failed: ${errorText(err)}`);
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/metrics') {
      const text = await this.model.metrics();
      res.writeHead(200, { 'content-type': this.model.registry.contentType });
      res.end(text);
      return;
    }
    if (url.pathname === '/health') return json(200, { status: 'ok' });
    const m = /^\/health\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
    if (m) {
      const [, namespace = '', deployment = ''] = m.map(decodeURIComponent);
      return json(...this.deploymentHealth(namespace, deployment));
    }
    if (url.pathname === '/routing') {
      return json(200, {
        series: sharesBySeries(this.shares),
        canarySplits: canarySplits(this.ingresses.list()),
      });
    }
    json(404, { error: `no route ${url.pathname}; try /metrics, /health, /health/<namespace>/<deployment>, /routing` });
  }

  private deploymentHealth(namespace: string, deployment: string): [number, Record<string, unknown>] {
    const pods = this.pods.list().filter((p) => p.metadata?.namespace === namespace && deploymentNameOf(p) === deployment);
    const ready = pods.filter(podIsServing);
    const images = [...new Set(ready.map((p) => p.spec?.containers?.[0]?.image ?? ''))];
    const base = { namespace, deployment, readyPods: ready.length, pods: pods.length, images };
    if (ready.length === 0) return [503, { status: 'unavailable', ...base }];
    if (images.some((i) => this.model.behaviourOf(i).kind === 'bad')) return [500, { status: 'error', ...base }];
    return [200, { status: 'ok', ...base }];
  }
}
