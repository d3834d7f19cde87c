// Runs `promoter` as a user would: a child process of bin/promoter.js against the real stack.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot, testStack } from './stack';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const stack = testStack();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'promoter.js'), ...args], {
      env: { ...process.env, TEMPORAL_ADDRESS: stack.endpoints.TEMPORAL_ADDRESS, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
