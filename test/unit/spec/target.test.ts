import { promotionWorkflowId, templateVariables } from '../../../src/spec/target';

const target = { namespace: 'demo', stable: 'zai-proxy', canary: 'zai-proxy-canary' };

test('the workflow id locks the target', () => {
  expect(promotionWorkflowId(target)).toBe('promotion/demo/zai-proxy');
});

test.each([
  ['canary', undefined, { variant: 'canary', deployment: 'zai-proxy-canary' }],
  ['stable', undefined, { variant: 'stable', deployment: 'zai-proxy' }],
  ['canary', { canary: 'test', stable: 'production' }, { variant: 'test', deployment: 'zai-proxy-canary' }],
  ['stable', { canary: 'test', stable: 'production' }, { variant: 'production', deployment: 'zai-proxy' }],
] as const)('templateVariables(%s, variants %j)', (variant, variants, expected) => {
  expect(templateVariables({ target, image: 'r/x:1', ...(variants && { variants }) }, variant)).toEqual({
    namespace: 'demo',
    stable: 'zai-proxy',
    canary: 'zai-proxy-canary',
    image: 'r/x:1',
    ...expected,
  });
});

test('without a canary Deployment, canary and the canary side’s deployment have no value', () => {
  const vars = templateVariables({ target: { namespace: 'demo', stable: 'app' }, image: 'r/x:1' }, 'canary');
  expect(vars).toEqual({ namespace: 'demo', stable: 'app', variant: 'canary', image: 'r/x:1' });
});
