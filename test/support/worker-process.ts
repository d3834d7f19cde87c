// The worker as users run it: a separate `node dist/worker/main.js` process, so a test can
// SIGKILL it mid-promotion.
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot, testStack } from './stack';

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** resolves once the worker polls its task queue */
  ready: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnWorker(taskQueue: string, env: NodeJS.ProcessEnv = {}): WorkerProcess {
  const stack = testStack();
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'worker', 'main.js')], {
    env: { ...process.env, ...stack.endpoints, TEMPORAL_TASK_QUEUE: taskQueue, WORKER_METRICS_PORT: '0', WORKER_SDK_METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (out.includes('worker started')) resolve();
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it started:\n${out}`)));
  });
  return {
    child,
    output: () => out,
    ready,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
