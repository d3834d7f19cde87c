// A real Kubernetes control plane on loopback: etcd, kube-apiserver (RBAC on, client-certificate
// admin) and kube-controller-manager with the controllers that make Deployments roll out for
// real. There is no kubelet and no scheduler: src/sandbox/kubelet-sim.ts plays the node.
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { binaryPath } from './binaries';
import { ClusterCerts, makeClusterCerts, writeKubeconfig } from './certs';
import { ManagedProcess, waitFor } from './process';
import { freePorts } from './ports';

export interface ControlPlaneOptions {
  /** working folder: etcd data, certificates, logs, kubeconfig */
  dir: string;
  log: (line: string) => void;
}

export interface ControlPlane {
  kubeconfigPath: string;
  /** https://127.0.0.1:<port> */
  server: string;
  certs: ClusterCerts;
  /** per part, in ms */
  startupMs: Record<string, number>;
  stop(): Promise<void>;
}

const CONTROLLERS = [
  'deployment-controller', 'replicaset-controller', 'serviceaccount-controller',
  'garbage-collector-controller', 'namespace-controller', 'endpointslice-controller',
].join(',');

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const { dir, log } = opts;
  fs.mkdirSync(dir, { recursive: true });
  const certs = makeClusterCerts(path.join(dir, 'pki'));
  const [etcdClient, etcdPeer, apiPort, kcmPort] = await freePorts(4) as [number, number, number, number];
  const started: ManagedProcess[] = [];
  const startupMs: Record<string, number> = {};
  const stop = async () => {
    for (const p of started.reverse()) await p.stop();
  };
  try {
    let t = Date.now();
    const etcd = ManagedProcess.start('etcd', binaryPath('etcd'), [
      '--name=sandbox', `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=sandbox=http://127.0.0.1:${etcdPeer}`, '--unsafe-no-fsync', '--log-level=warn',
    ], { logFile: path.join(dir, 'etcd.log') });
    started.push(etcd);
    await waitFor(() => httpOk(`http://127.0.0.1:${etcdClient}/health`), { what: 'etcd /health', timeoutMs: 30_000, process: etcd });
    startupMs.etcd = Date.now() - t;
    log(`etcd ready on 127.0.0.1:${etcdClient} in ${startupMs.etcd} ms`);

    t = Date.now();
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = ManagedProcess.start('kube-apiserver', binaryPath('kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`, `--tls-cert-file=${certs.servingCert}`, `--tls-private-key-file=${certs.servingKey}`,
      `--client-ca-file=${certs.caCert}`, '--authorization-mode=RBAC',
      `--service-account-key-file=${certs.serviceAccountPub}`, `--service-account-signing-key-file=${certs.serviceAccountKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local', '--service-cluster-ip-range=10.0.0.0/24',
      // loopback cannot be an Endpoints address; nothing in the sandbox needs the kubernetes Service endpoints
      '--endpoint-reconciler-type=none', '--enable-priority-and-fairness=false', `--cert-dir=${path.join(dir, 'pki')}`,
    ], { logFile: path.join(dir, 'kube-apiserver.log') });
    started.push(apiserver);
    await waitFor(() => httpsOk(`${server}/readyz`, certs), { what: 'kube-apiserver /readyz', timeoutMs: 120_000, intervalMs: 500, process: apiserver });
    startupMs['kube-apiserver'] = Date.now() - t;
    log(`kube-apiserver ready on ${server} in ${startupMs['kube-apiserver']} ms`);

    t = Date.now();
    const kubeconfigPath = path.join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfigPath, server, certs);
    const kcm = ManagedProcess.start('kube-controller-manager', binaryPath('kube-controller-manager'), [
      `--kubeconfig=${kubeconfigPath}`, '--leader-elect=false', `--controllers=${CONTROLLERS}`,
      `--root-ca-file=${certs.caCert}`, `--service-account-private-key-file=${certs.serviceAccountKey}`,
      '--bind-address=127.0.0.1', `--secure-port=${kcmPort}`, '--concurrent-deployment-syncs=5',
      `--cert-dir=${path.join(dir, 'kcm-certs')}`,
    ], { logFile: path.join(dir, 'kube-controller-manager.log') });
    started.push(kcm);
    await waitFor(() => httpsOk(`https://127.0.0.1:${kcmPort}/healthz`, certs, true), {
      what: 'kube-controller-manager /healthz', timeoutMs: 60_000, process: kcm,
    });
    startupMs['kube-controller-manager'] = Date.now() - t;
    log(`kube-controller-manager ready in ${startupMs['kube-controller-manager']} ms`);
    return { kubeconfigPath, server, certs, startupMs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function httpOk(url: string): Promise<true | undefined> {
  return fetch(url).then((r) => (r.ok ? true : undefined));
}

/** GET with the admin client certificate; `insecure` for the controller manager's self-signed cert. */
function httpsOk(url: string, certs: ClusterCerts, insecure = false): Promise<true | undefined> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, {
      ca: insecure ? undefined : fs.readFileSync(certs.caCert),
      cert: fs.readFileSync(certs.adminCert),
      key: fs.readFileSync(certs.adminKey),
      rejectUnauthorized: !insecure,
      timeout: 5000,
    }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? true : undefined);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}
