// Every YAML example in docs/spec.md must be valid, so the reference cannot drift from the code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { formatSpecErrors, normalizePromotionDocument, parsePromotionSpec } from '../../../src/spec/parse';

const markdown = readFileSync(join(__dirname, '../../../docs/spec.md'), 'utf8');
const blocks = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const documents = blocks.filter((b) => b.startsWith('apiVersion:'));
const checks = blocks.filter((b) => b.startsWith('- name:'));

const HOST = `
apiVersion: canary-promoter/v1
kind: Promotion
target: { namespace: demo, stable: web, canary: web-canary }
image: registry.local/web:2.0.0
strategy: { canary: { steps: [ { setWeight: 10 } ] } }
`;

test('the page has examples of documents and of checks', () => {
  expect(documents.length).toBeGreaterThanOrEqual(4);
  expect(checks.length).toBeGreaterThanOrEqual(10);
});

test.each(documents)('document example %#', (text) => {
  const result = parsePromotionSpec(text);
  if (!result.ok) throw new Error(formatSpecErrors(result.errors));
});

test.each(checks.map((c) => [c.split('\n')[0], c]))('check example "%s"', (_label, text) => {
  const doc = parse(HOST);
  doc.analysis = { checks: parse(text) };
  const result = normalizePromotionDocument(doc);
  if (!result.ok) throw new Error(formatSpecErrors(result.errors));
});
