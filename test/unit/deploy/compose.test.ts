// docker-compose.yml as Compose itself resolves it (`docker-compose config`): the services, pinned
// images, ports on 127.0.0.1 only, start order and the worker's environment. No Docker engine is
// needed; Debian's docker-compose (1.29) renders the file without one.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../../..');
const composeFile = path.join(root, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string } | string;
  environment?: Record<string, string | null>;
  ports?: (string | { host_ip?: string; published?: string | number; target: number })[];
  volumes?: (string | { type?: string; source?: string; target: string; read_only?: boolean })[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string };
  entrypoint?: string[] | string;
  user?: string;
  read_only?: boolean;
}

function findDockerCompose(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/bin')) {
    const candidate = path.join(dir, 'docker-compose');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  throw new Error('docker-compose is not installed: it checks docker-compose.yml without a Docker engine. Install it with `apt-get install docker-compose`.');
}

/** Renders the file with exactly `env` (plus PATH and HOME), so the caller's shell cannot change the result. */
function composeConfig(env: Record<string, string>): { services: Record<string, Service>; volumes?: Record<string, unknown> } {
  const out = execFileSync(findDockerCompose(), ['-f', composeFile, 'config'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir(), ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  return parse(out);
}

/** "127.0.0.1:8080:8080/tcp" (Compose 1) or { host_ip, published, target } (Compose 2) */
function published(port: NonNullable<Service['ports']>[number]): { hostIp?: string; hostPort: string; target: string } {
  if (typeof port === 'object') return { hostIp: port.host_ip, hostPort: String(port.published ?? ''), target: String(port.target) };
  const parts = port.replace(/\/(tcp|udp)$/, '').split(':');
  if (parts.length === 3) return { hostIp: parts[0], hostPort: parts[1]!, target: parts[2]! };
  return { hostIp: undefined, hostPort: parts.length === 2 ? parts[0]! : '', target: parts[parts.length - 1]! };
}

/** "src:dst:ro" (Compose 1) or { source, target, read_only } (Compose 2) */
function mount(volume: NonNullable<Service['volumes']>[number]): { source?: string; target: string; readOnly: boolean } {
  if (typeof volume === 'object') return { source: volume.source, target: volume.target, readOnly: volume.read_only === true };
  const [source, target, mode] = volume.split(':');
  return { source, target: target!, readOnly: (mode ?? '').split(',').includes('ro') };
}

function dependsOn(svc: Service): Record<string, string> {
  const deps = svc.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition]));
}

describe('docker-compose.yml', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-test-'));
  const kubeconfig = path.join(tmp, 'kubeconfig');
  let services: Record<string, Service>;

  beforeAll(() => {
    services = composeConfig({ KUBECONFIG: kubeconfig }).services;
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('has the Temporal stack, Prometheus and the worker', () => {
    expect(Object.keys(services).sort()).toEqual(['postgresql', 'prometheus', 'temporal', 'temporal-admin-tools', 'temporal-ui', 'worker']);
  });

  it.each([
    ['postgresql', /^postgres:16(\.\d+)*(-[a-z0-9]+)?$/],
    ['temporal', /^temporalio\/auto-setup:1\.29\.\d+$/],
    ['temporal-admin-tools', /^temporalio\/admin-tools:1\.29\.\d+-tctl-[\d.]+-cli-[\d.]+$/],
    ['temporal-ui', /^temporalio\/ui:2\.42\.\d+$/],
    ['prometheus', /^prom\/prometheus:v\d+\.\d+\.\d+$/],
  ])('pins the image of %s', (name, pattern) => {
    expect(services[name]!.image).toMatch(pattern);
  });

  it('builds the worker from ./Dockerfile', () => {
    const build = services.worker!.build;
    const context = typeof build === 'string' ? build : build?.context;
    expect(path.resolve(root, context ?? '')).toBe(root);
    if (typeof build === 'object') expect(build.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(true);
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const all = Object.entries(services).flatMap(([name, svc]) => (svc.ports ?? []).map((p) => ({ name, ...published(p) })));
    expect(all.length).toBeGreaterThan(0);
    for (const p of all) expect({ service: p.name, hostIp: p.hostIp }).toEqual({ service: p.name, hostIp: '127.0.0.1' });
    const byService = (name: string) => all.filter((p) => p.name === name).map((p) => `${p.hostPort}->${p.target}`).sort();
    expect(byService('temporal')).toEqual(['7233->7233']);
    expect(byService('temporal-ui')).toEqual(['8080->8080']);
    expect(byService('prometheus')).toEqual(['9090->9090']);
    expect(byService('worker')).toEqual(['9464->9464', '9465->9465']);
  });

  it('starts each service after what it needs is healthy', () => {
    for (const name of ['postgresql', 'temporal', 'prometheus', 'worker']) expect(services[name]!.healthcheck?.test).toBeDefined();
    expect(dependsOn(services.temporal!)).toEqual({ postgresql: 'service_healthy' });
    expect(dependsOn(services['temporal-admin-tools']!)).toEqual({ temporal: 'service_healthy' });
    expect(dependsOn(services['temporal-ui']!)).toEqual({ temporal: 'service_healthy' });
    expect(dependsOn(services.worker!)).toMatchObject({ temporal: 'service_healthy', 'temporal-admin-tools': 'service_completed_successfully' });
  });

  it('registers the four promotion search attributes as Keyword in a one-shot', () => {
    const admin = services['temporal-admin-tools']!;
    const entrypoint = ([] as string[]).concat(admin.entrypoint ?? []).join(' ');
    const script = (admin.volumes ?? []).map(mount).find((m) => entrypoint.includes(m.target));
    expect(script?.source).toBe(path.join(root, 'deploy/compose/register-search-attributes.sh'));
    const text = fs.readFileSync(script!.source!, 'utf8');
    for (const name of ['PromotionTarget', 'PromotionPhase', 'PromotionImage', 'PromotionOutcome']) expect(text).toContain(name);
    expect(text).toContain('search-attribute create');
    expect(text).toContain('--type Keyword');
    execFileSync('sh', ['-n', script!.source!]);
    expect(admin.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(services.temporal!.environment?.SKIP_ADD_CUSTOM_SEARCH_ATTRIBUTES).toBe('true');
  });

  it('gives the worker its configuration, a read-only kubeconfig and metrics Prometheus can reach', () => {
    const worker = services.worker!;
    expect(worker.environment).toMatchObject({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'canary-promoter',
      KUBECONFIG: '/etc/canary-promoter/kubeconfig',
      PROMETHEUS_URL: 'http://prometheus:9090',
      WORKER_METRICS_PORT: '9464',
      WORKER_SDK_METRICS_PORT: '9465',
      WORKER_METRICS_HOST: '0.0.0.0',
    });
    const mounts = (worker.volumes ?? []).map(mount);
    expect(mounts).toContainEqual({ source: kubeconfig, target: '/etc/canary-promoter/kubeconfig', readOnly: true });
    expect(worker.read_only).toBe(true);
    expect(worker.user).toBe('1000:1000');
  });

  it('mounts ~/.kube/config when KUBECONFIG is unset, and lets PROMETHEUS_URL be overridden', () => {
    const home = path.join(tmp, 'home');
    fs.mkdirSync(home, { recursive: true });
    const worker = composeConfig({ HOME: home, PROMETHEUS_URL: 'http://prometheus.example:9090' }).services.worker!;
    expect((worker.volumes ?? []).map(mount)).toContainEqual({ source: path.join(home, '.kube/config'), target: '/etc/canary-promoter/kubeconfig', readOnly: true });
    expect(worker.environment?.PROMETHEUS_URL).toBe('http://prometheus.example:9090');
  });

  it('runs Prometheus on deploy/prometheus, which scrapes both worker ports', () => {
    const mounts = (services.prometheus!.volumes ?? []).map(mount);
    expect(mounts).toContainEqual({ source: path.join(root, 'deploy/prometheus'), target: '/etc/prometheus', readOnly: true });
    const config = parse(fs.readFileSync(path.join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = Object.fromEntries(config.scrape_configs.map((c) => [c.job_name, c.static_configs.flatMap((s) => s.targets)]));
    expect(targets['canary-promoter-worker']).toEqual(['worker:9464']);
    expect(targets['canary-promoter-worker-sdk']).toEqual(['worker:9465']);
  });
});
