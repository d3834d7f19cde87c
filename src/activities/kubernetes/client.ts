// Kubernetes API access for activities: typed clients plus the translation of API errors into
// Temporal failures (non-retryable for 403/404/422, retryable for the rest).
import * as k8s from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../workflows/failures';

export interface KubeClients {
  config: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  networking: k8s.NetworkingV1Api;
  /** counts requests by verb and code (worker metrics); a no-op by default */
  observe: (verb: string, code: number | 'error') => void;
}

export function kubeClients(config: k8s.KubeConfig, observe: KubeClients['observe'] = () => undefined): KubeClients {
  return {
    config,
    core: config.makeApiClient(k8s.CoreV1Api),
    apps: config.makeApiClient(k8s.AppsV1Api),
    networking: config.makeApiClient(k8s.NetworkingV1Api),
    observe,
  };
}

/** Loads KUBECONFIG, or the in-cluster service account when running in a pod. */
export function loadKubeConfig(kubeconfigPath = process.env.KUBECONFIG): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
  else kc.loadFromCluster();
  return kc;
}

export function statusCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** Runs one API call, counting it and translating its failure. */
export async function call<T>(kube: KubeClients, verb: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    const result = await fn();
    kube.observe(verb, 200);
    return result;
  } catch (err) {
    const code = statusCode(err);
    kube.observe(verb, code ?? 'error');
    throw translateApiError(err, `${verb} ${what}`);
  }
}

export function translateApiError(err: unknown, action: string): Error {
  const code = statusCode(err);
  const body = (err as { body?: unknown }).body;
  const detail = typeof body === 'string' ? safeMessage(body) : (err as Error).message;
  switch (code) {
    case 404:
      return ApplicationFailure.nonRetryable(`${action}: not found`, FailureType.TargetNotFound);
    case 403:
      return ApplicationFailure.nonRetryable(`${action}: forbidden for the worker's identity (${detail}); grant the verb in deploy/kubernetes/worker-rbac.yaml`, FailureType.PermissionDenied);
    case 422:
      return ApplicationFailure.nonRetryable(`${action}: rejected by the API (${detail})`, FailureType.InvalidChange);
    default:
      return ApplicationFailure.retryable(`${action} failed${code ? ` (HTTP ${code})` : ''}: ${detail}`, 'KubernetesApiError');
  }
}

function safeMessage(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}

export const isConflict = (err: unknown) => statusCode(err) === 409;
