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

interface GlobalConfigLike {
  selectProjects?: string[] | null;
}

export default async function globalSetup(globalConfig: GlobalConfigLike): Promise<void> {
  const selected = globalConfig.selectProjects;
  if (selected && selected.length > 0 && selected.every((p) => p === 'unit')) return;
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
