import { webhooksFromEnv } from '../activities/notify/webhook';

// Worker configuration from the environment, validated at start with errors that name the
// variable and what would be valid.
export interface WorkerConfig {
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  kubeconfig?: string;
  prometheusUrl?: string;
  /** serves /metrics and /healthz; 0 disables */
  metricsPort: number;
  /** Temporal SDK runtime metrics (Prometheus exporter); 0 disables */
  sdkMetricsPort: number;
  allowedNamespaces?: string[];
  /** webhook name → URL, from PROMOTER_WEBHOOK_<NAME> */
  webhooks: Record<string, string>;
  tls?: { certPath: string; keyPath: string };
  apiKey?: string;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}=${JSON.stringify(raw)} is not a port: use an integer 0..65535 (0 disables)`);
  return n;
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const cert = env.TEMPORAL_TLS_CERT;
  const key = env.TEMPORAL_TLS_KEY;
  if (!!cert !== !!key) throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together (paths to a PEM client certificate and its key)');
  const allowed = env.PROMOTER_ALLOWED_NAMESPACES?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    temporalAddress: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'canary-promoter',
    kubeconfig: env.KUBECONFIG || undefined,
    prometheusUrl: env.PROMETHEUS_URL || undefined,
    metricsPort: port(env, 'WORKER_METRICS_PORT', 9464),
    sdkMetricsPort: port(env, 'WORKER_SDK_METRICS_PORT', 9465),
    allowedNamespaces: allowed && allowed.length > 0 ? allowed : undefined,
    webhooks: webhooksFromEnv(env),
    tls: cert && key ? { certPath: cert, keyPath: key } : undefined,
    apiKey: env.TEMPORAL_API_KEY || undefined,
  };
}
