import { placeholders, renderPromQL, TemplateError } from '../../../src/spec/promql';

const vars = { namespace: 'demo', stable: 'zai-proxy', canary: 'zai-proxy-canary', variant: 'canary', image: 'r/x:1', deployment: 'zai-proxy-canary' };

describe('renderPromQL', () => {
  test.each([
    ['rate(x{variant="{{variant}}"}[1m])', 'rate(x{variant="canary"}[1m])'],
    ['x{namespace="{{ namespace }}",pod=~"{{deployment}}-.*"}', 'x{namespace="demo",pod=~"zai-proxy-canary-.*"}'],
    ["x{image='{{image}}'}", "x{image='r/x:1'}"],
    ['x{pod=~`{{deployment}}-.*`}', 'x{pod=~`zai-proxy-canary-.*`}'],
    ['x{a="{{variant}}"} # {{unknown}} stays in a comment', 'x{a="canary"} # {{unknown}} stays in a comment'],
    ['x{a="\\"{{variant}}\\""}', 'x{a="\\"canary\\""}'],
    ['no placeholders', 'no placeholders'],
  ])('%s', (template, rendered) => {
    expect(renderPromQL(template, vars)).toBe(rendered);
  });

  // Each value tries to close the string literal and append its own selector.
  test.each([
    ['double quote', 'x{a="{{variant}}"}', 'a"} or up{b="', 'x{a="a\\"} or up{b=\\""}'],
    ['backslash then quote', 'x{a="{{variant}}"}', 'a\\"} or vector(1) #', 'x{a="a\\\\\\"} or vector(1) #"}'],
    ['newline', 'x{a="{{variant}}"}', 'a\n"}', 'x{a="a\\n\\"}"}'],
    ['control characters', 'x{a="{{variant}}"}', 'a\r\t\u0000', 'x{a="a\\r\\t\\x00"}'],
    ['single quote in single-quoted', "x{a='{{variant}}'}", "a'} or up{b='", "x{a='a\\'} or up{b=\\''}"],
    ['double quote in single-quoted stays', "x{a='{{variant}}'}", 'a"b', "x{a='a\"b'}"],
    ['regex metacharacters after =~', 'x{a=~"{{variant}}"}', '.*', 'x{a=~"\\\\.\\\\*"}'],
    ['regex metacharacters after !~ with spaces', 'x{a !~ "{{variant}}"}', 'a|b', 'x{a !~ "a\\\\|b"}'],
    ['no regex escaping after =', 'x{a="{{variant}}"}', 'a.b', 'x{a="a.b"}'],
  ])('escapes %s', (_name, template, variant, rendered) => {
    expect(renderPromQL(template, { ...vars, variant })).toBe(rendered);
  });

  test.each([
    ['unknown placeholder', 'x{a="{{pod}}"}', /unknown placeholder \{\{pod\}\}; known placeholders: namespace, stable, canary, variant, image, deployment/, 'canary'],
    ['bare placeholder', 'x{a="b"} {{variant}}', /is outside a quoted string/, 'canary'],
    ['bare placeholder as metric prefix', '{{namespace}}_requests_total', /is outside a quoted string/, 'canary'],
    ['bare placeholder whose value is an operator', 'x {{variant}} y', /is outside a quoted string/, 'or'],
    ['unclosed braces', 'x{a="{{variant"}', /unclosed "\{\{"/, 'canary'],
    ['unterminated string', 'x{a="{{variant}}}', /unterminated " string literal/, 'canary'],
    ['backtick in a raw string', 'x{a=`{{variant}}`}', /contains a backtick/, 'a`b'],
  ])('refuses %s', (_name, template, message, variant) => {
    expect(() => renderPromQL(template, { ...vars, variant })).toThrow(TemplateError);
    expect(() => renderPromQL(template, { ...vars, variant })).toThrow(message);
  });

  test('a known placeholder without a value is an error, not an empty string', () => {
    const { canary: _c, deployment: _d, ...noCanary } = vars;
    expect(() => renderPromQL('x{a="{{canary}}"}', noCanary)).toThrow(/\{\{canary\}\} has no value here \(the target has no canary\)/);
  });
});

test('placeholders lists names in order', () => {
  expect(placeholders('a{x="{{variant}}", y="{{ deployment }}"} # {{variant}}')).toEqual(['variant', 'deployment', 'variant']);
});
