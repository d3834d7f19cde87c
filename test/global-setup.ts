// Starts the real stack once for the whole run: Temporal dev server, kube-apiserver with its
// controllers, the simulated kubelet and data plane, and Prometheus. Tests find it through
// CP_TEST_STACK (a JSON file). Only the unit project needs none of it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startStack } from '../src/sandbox/stack';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { setStack } from './support/stack-handle';

const quietLogger = new DefaultLogger('WARN');

/** `--selectProjects unit` alone needs no servers (jest 30 does not pass the selection here). */
function onlyUnitSelected(argv: string[]): boolean {
  const i = argv.indexOf('--selectProjects');
  if (i < 0) return false;
  const names = argv.slice(i + 1).filter((a, k, all) => !a.startsWith('-') && all.slice(0, k).every((b) => !b.startsWith('-')));
  return names.length > 0 && names.every((n) => n === 'unit');
}

export default async function globalSetup(): Promise<void> {
  if (onlyUnitSelected(process.argv) || process.env.CP_NO_STACK === '1') return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-promoter-test-'));
  const started = Date.now();
  const rules = path.join(__dirname, 'integration', 'fixtures', 'alert-rules.yaml');
  const stack = await startStack({
    dir,
    temporal: { headless: false },
    kubernetes: true,
    ruleFiles: fs.existsSync(rules) ? [rules] : [],
    log: (line) => process.stderr.write(`[stack] ${line}\n`),
  });
  process.stderr.write(`[stack] ready in ${Date.now() - started} ms: ${JSON.stringify(stack.startupMs)}\n`);
  // Bundle the workflows once; every test worker loads the same bundle.
  const t = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: quietLogger });
  const workflowBundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(workflowBundlePath, code);
  process.stderr.write(`[stack] workflow bundle built in ${Date.now() - t} ms\n`);
  const file = path.join(dir, 'stack.json');
  fs.writeFileSync(file, JSON.stringify({ dir, endpoints: stack.endpoints, workflowBundlePath }));
  process.env.CP_TEST_STACK = file;
  setStack(stack);
}
