// Recorded histories of the promotion workflow must replay on the current code: a change that
// would make a running promotion take a different path fails here, and must use `patched()`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { testStack } from '../support/stack';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed
}

const dir = path.join(__dirname, 'histories');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(10);
});

test.each(files)('%s replays without nondeterminism', async (file) => {
  const history = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  await expect(Worker.runReplayHistory({ workflowBundle: { codePath: testStack().workflowBundlePath } }, history, file)).resolves.toBeUndefined();
});
