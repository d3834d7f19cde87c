// The README's check examples are real: they parse as the analysis section of a spec.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePromotionSpec } from '../../../src/spec/parse';

test('the checks in the README are valid', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const block = /```yaml\n(checks:\n[\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const spec = `apiVersion: canary-promoter/v1
kind: Promotion
target: { namespace: demo, stable: zai-proxy, canary: zai-proxy-canary }
image: x/y:1
strategy:
  canary:
    steps: [ { setWeight: 10 } ]
analysis:
${block!.split('\n').map((l) => `  ${l}`).join('\n')}`;
  const parsed = parsePromotionSpec(spec);
  expect(parsed.ok ? parsed.spec.checks.map((c) => c.source.kind) : parsed.errors)
    .toEqual(['prometheus', 'prometheus', 'prometheus', 'prometheus', 'prometheus', 'kubernetes', 'kubernetes', 'alerts', 'http']);
});
