// The simulated node and data plane in one process, started by the sandbox stack:
//
//   node dist/sandbox/simulators-main.js --kubeconfig PATH --metrics-port N [--demo]
//     [--demo-namespace demo] [--ready-delay-ms 1000] [--crash-period-ms 3000] [--forget-after-ms 30000]
//
// Prints one JSON line `{"ready":true,"dataPlaneUrl":"http://127.0.0.1:N",...}` on stdout when the
// node is registered, the data plane serves /metrics and (with --demo) the demo app is available;
// log lines go to stderr. Exits cleanly on SIGTERM and SIGINT.
import * as k8s from '@kubernetes/client-node';
import { parseArgs } from 'node:util';
import { DataPlane } from './data-plane';
import { DEMO_NAMESPACE, ensureDemoApp } from './demo-app';
import { errorText, KubeletSimulator } from './kubelet-sim';

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      'metrics-port': { type: 'string', default: '0' },
      demo: { type: 'boolean', default: false },
      'demo-namespace': { type: 'string', default: DEMO_NAMESPACE },
      'ready-delay-ms': { type: 'string' },
      'crash-period-ms': { type: 'string' },
      'forget-after-ms': { type: 'string' },
    },
    strict: true,
  });
  const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG;
  if (!kubeconfig) throw new Error('--kubeconfig PATH (or KUBECONFIG) is required');
  const port = Number(values['metrics-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--metrics-port: not a port: ${values['metrics-port']}`);
  const ms = (flag: 'ready-delay-ms' | 'crash-period-ms' | 'forget-after-ms'): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag}: not a duration in ms: ${raw}`);
    return n;
  };
  const behaviour = {
    ...(ms('ready-delay-ms') !== undefined ? { readyDelayMs: ms('ready-delay-ms') } : {}),
    ...(ms('crash-period-ms') !== undefined ? { crashPeriodMs: ms('crash-period-ms') } : {}),
  };

  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const kubelet = new KubeletSimulator(kc, { log, behaviour });
  const dataPlane = new DataPlane(kc, { port, log, behaviour, forgetAfterMs: ms('forget-after-ms') });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`simulators: ${signal}, stopping`);
    const hard = setTimeout(() => process.exit(1), 10_000);
    hard.unref();
    Promise.allSettled([dataPlane.stop(), kubelet.stop()]).then(() => {
      log('simulators: stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await kubelet.start();
  const dataPlaneUrl = await dataPlane.start();
  let demo: Awaited<ReturnType<typeof ensureDemoApp>> | undefined;
  if (values.demo) demo = await ensureDemoApp(kc, { namespace: values['demo-namespace'], log });
  if (stopping) return;
  process.stdout.write(`${JSON.stringify({ ready: true, dataPlaneUrl, node: kubelet.nodeName, ...(demo ? { demo: { namespace: demo.namespace, stable: demo.stable, canary: demo.canary, service: demo.service } } : {}) })}\n`);
}

main().catch((err) => {
  log(`simulators: ${errorText(err)}`);
  process.exit(1);
});
