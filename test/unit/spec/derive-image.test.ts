import { deriveProductionImage, ImageError, parseImageRef } from '../../../src/spec/derive-image';

describe('deriveProductionImage', () => {
  test.each([
    ['repo/x:1.2.1-canary', 'repo/x:1.2.1'],
    ['ronaldraygun/zai-proxy:1.2.1-canary', 'ronaldraygun/zai-proxy:1.2.1'],
    ['registry.local/zai-proxy:2.0.0-rc.3', 'registry.local/zai-proxy:2.0.0'],
    ['registry.local/zai-proxy:2.0.0-rc3', 'registry.local/zai-proxy:2.0.0'],
    ['registry.local/zai-proxy:2.0.0-test', 'registry.local/zai-proxy:2.0.0'],
    ['registry.local/zai-proxy:v2.0.0-beta.1', 'registry.local/zai-proxy:v2.0.0'],
    ['host:5000/x:1.2.1-canary', 'host:5000/x:1.2.1'],
    ['localhost:5000/team/x:1.0.0-CANARY', 'localhost:5000/team/x:1.0.0'],
    ['x:3.1-canary.2', 'x:3.1'],
  ])('%s → %s', (candidate, production) => {
    expect(deriveProductionImage(candidate)).toBe(production);
  });

  test.each([
    ['repo/x:1.2.1', /no candidate suffix/],
    ['repo/x:canary', /no candidate suffix/],
    ['host:5000/x', /has no tag/],
    ['repo/x', /has no tag/],
    [`repo/x@sha256:${'a'.repeat(64)}`, /digest reference/],
    [`repo/x:1.0.0-canary@sha256:${'a'.repeat(64)}`, /digest reference/],
    ['Repo/X:1.0.0-canary', /bad repository component "Repo"/],
    ['repo/x:1.0 -canary', /not an image reference/],
  ])('%s is refused', (candidate, message) => {
    expect(() => deriveProductionImage(candidate)).toThrow(ImageError);
    expect(() => deriveProductionImage(candidate)).toThrow(message);
  });
});

describe('parseImageRef', () => {
  test.each([
    ['x', { name: 'x' }],
    ['x:1', { name: 'x', tag: '1' }],
    ['host:5000/x', { name: 'host:5000/x' }],
    ['host:5000/a/b:tag', { name: 'host:5000/a/b', tag: 'tag' }],
    [`a/b@sha256:${'f'.repeat(64)}`, { name: 'a/b', digest: `sha256:${'f'.repeat(64)}` }],
  ])('%s', (ref, parsed) => {
    expect(parseImageRef(ref)).toEqual(parsed);
  });

  test.each(['', 'a b', 'x:-bad', 'x@sha256:zz', 'bad_host:99999x/x:1'])('%p is refused', (ref) => {
    expect(() => parseImageRef(ref)).toThrow(ImageError);
  });
});
