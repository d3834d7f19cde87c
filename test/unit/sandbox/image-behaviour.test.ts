import type { V1Pod } from '@kubernetes/client-node';
import {
  behaviourKind, behaviourOf, containerMoment, DEFAULT_BEHAVIOUR_OPTIONS, imageIdOf, imageTag, planPodStatus, podStatusFingerprint,
} from '../../../src/sandbox/image-behaviour';

describe('image tags', () => {
  it.each([
    ['registry.local/zai-proxy:1.2.0', '1.2.0'],
    ['registry.local:5000/zai-proxy:1.3.0-bad', '1.3.0-bad'],
    ['registry.local:5000/zai-proxy', 'latest'],
    ['zai-proxy:1.2.1-canary-slow@sha256:abcd', '1.2.1-canary-slow'],
    ['zai-proxy@sha256:abcd', 'latest'],
  ])('%s has tag %s', (image, tag) => expect(imageTag(image)).toBe(tag));

  it.each([
    ['registry.local/zai-proxy:1.2.0', 'normal'],
    ['registry.local/zai-proxy:1.2.1-canary', 'normal'],
    ['registry.local/zai-proxy:1.3.0-bad', 'bad'],
    ['registry.local/zai-proxy:1.2.1-canary-slow', 'slow'],
    ['registry.local/zai-proxy:1.2.1-CRASH', 'crash'],
    ['registry.local/zai-proxy:2.0.0-oom', 'oom'],
    ['registry.local/zai-proxy:2.0.0-unready', 'unready'],
    ['registry.local/zai-proxy:2.0.0-notokens', 'notokens'],
    ['registry.local/zai-proxy:2.0.0-bad-canary', 'normal'],
    ['registry.local/bad-crash:1.0.0', 'normal'],
  ])('%s behaves %s', (image, kind) => expect(behaviourKind(image)).toBe(kind));

  it('maps keywords to traffic behaviour', () => {
    const normal = behaviourOf('a:1');
    expect(normal).toMatchObject({ runs: true, becomesReady: true, errorRate: 0.005, latencyMedianSeconds: 0.05, countsTokens: true });
    expect(behaviourOf('a:1-bad').errorRate).toBeCloseTo(0.3);
    expect(behaviourOf('a:1-slow').latencyMedianSeconds).toBeCloseTo(0.15);
    expect(behaviourOf('a:1-notokens').countsTokens).toBe(false);
    expect(behaviourOf('a:1-unready')).toMatchObject({ runs: true, becomesReady: false });
    expect(behaviourOf('a:1-crash')).toMatchObject({ runs: false, termination: { reason: 'Error', exitCode: 1 } });
    expect(behaviourOf('a:1-oom')).toMatchObject({ runs: false, termination: { reason: 'OOMKilled', exitCode: 137 } });
    expect(behaviourOf('a:1-bad', { badErrorRate: 0.5 }).errorRate).toBe(0.5);
  });

  it('gives a stable image ID per image', () => {
    expect(imageIdOf('registry.local/zai-proxy:1.2.0')).toMatch(/^registry\.local\/zai-proxy@sha256:[0-9a-f]{64}$/);
    expect(imageIdOf('registry.local/zai-proxy:1.2.0')).toBe(imageIdOf('registry.local/zai-proxy:1.2.0'));
    expect(imageIdOf('registry.local/zai-proxy:1.2.0')).not.toBe(imageIdOf('registry.local/zai-proxy:1.2.1'));
  });
});

describe('container timeline', () => {
  const t0 = 1_000_000;
  it('becomes ready after the ready delay', () => {
    const b = behaviourOf('a:1');
    expect(containerMoment(b, t0, t0 + 500)).toMatchObject({ state: 'running', ready: false, nextChangeAtMs: t0 + 1000 });
    expect(containerMoment(b, t0, t0 + 1000)).toMatchObject({ state: 'running', ready: true, restartCount: 0 });
    expect(containerMoment(b, t0, t0 + 1000).nextChangeAtMs).toBeUndefined();
    expect(containerMoment(b, t0, t0 + 10, { readyDelayMs: 0 }).ready).toBe(true);
  });

  it('never becomes ready when unready', () => {
    const m = containerMoment(behaviourOf('a:1-unready'), t0, t0 + 3_600_000);
    expect(m).toMatchObject({ state: 'running', ready: false, started: true, restartCount: 0 });
    expect(m.nextChangeAtMs).toBeUndefined();
  });

  it('crash-loops with a rising restart count', () => {
    const b = behaviourOf('a:1-crash');
    const { crashAfterMs, crashPeriodMs } = DEFAULT_BEHAVIOUR_OPTIONS;
    expect(containerMoment(b, t0, t0 + crashAfterMs - 1)).toMatchObject({ state: 'running', restartCount: 0, ready: false });
    const first = containerMoment(b, t0, t0 + crashAfterMs);
    expect(first).toMatchObject({ state: 'waiting', waitingReason: 'CrashLoopBackOff', restartCount: 1, ready: false });
    expect(first.lastTermination).toMatchObject({ reason: 'Error', exitCode: 1, finishedAtMs: t0 + crashAfterMs });
    expect(first.nextChangeAtMs).toBe(t0 + crashAfterMs + crashPeriodMs);
    const later = containerMoment(b, t0, t0 + crashAfterMs + 3 * crashPeriodMs + 5);
    expect(later.restartCount).toBe(4);
    expect(later.lastTermination?.finishedAtMs).toBe(t0 + crashAfterMs + 3 * crashPeriodMs);
  });

  it('reports OOMKilled for -oom', () => {
    const m = containerMoment(behaviourOf('a:1-oom'), t0, t0 + 10_000);
    expect(m.lastTermination).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(m.waitingReason).toBe('CrashLoopBackOff');
  });
});

describe('pod status', () => {
  const t0 = Date.UTC(2025, 0, 1);
  const pod = (image: string, status?: V1Pod['status']): V1Pod => ({
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
    spec: { nodeName: 'sandbox-node', containers: [{ name: 'proxy', image }] },
    status,
  });
  const placement = { podIP: '10.244.0.9', hostIP: '10.200.0.1', startedAtMs: t0 };
  const condition = (s: V1Pod['status'], type: string) => s?.conditions?.find((c) => c.type === type);

  it('is Running and Ready once the delay passed', () => {
    const plan = planPodStatus(pod('a:1', { phase: 'Pending', qosClass: 'BestEffort' }), placement, t0 + 2000);
    expect(plan.status).toMatchObject({ phase: 'Running', podIP: '10.244.0.9', podIPs: [{ ip: '10.244.0.9' }], hostIP: '10.200.0.1', qosClass: 'BestEffort' });
    expect(condition(plan.status, 'Ready')?.status).toBe('True');
    expect(condition(plan.status, 'ContainersReady')?.status).toBe('True');
    expect(condition(plan.status, 'Initialized')?.status).toBe('True');
    expect(condition(plan.status, 'PodScheduled')?.status).toBe('True');
    expect(plan.status.containerStatuses?.[0]).toMatchObject({ name: 'proxy', image: 'a:1', ready: true, started: true, restartCount: 0 });
    expect(plan.nextChangeAtMs).toBeUndefined();
  });

  it('keeps lastTransitionTime while a condition does not change', () => {
    const first = planPodStatus(pod('a:1'), placement, t0 + 100);
    expect(condition(first.status, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
    expect(first.nextChangeAtMs).toBe(t0 + 1000);
    const readyAt = planPodStatus(pod('a:1', first.status), placement, t0 + 1500);
    const later = planPodStatus(pod('a:1', readyAt.status), placement, t0 + 9000);
    expect(condition(later.status, 'Ready')?.lastTransitionTime).toEqual(new Date(t0 + 1500));
    expect(condition(later.status, 'Initialized')?.lastTransitionTime).toEqual(new Date(t0 + 100));
    expect(podStatusFingerprint(later.status)).toBe(podStatusFingerprint(readyAt.status));
    expect(podStatusFingerprint(readyAt.status)).not.toBe(podStatusFingerprint(first.status));
  });

  it('reports crash loops with restarts and CrashLoopBackOff', () => {
    const plan = planPodStatus(pod('a:1-crash'), placement, t0 + 7500);
    const c = plan.status.containerStatuses?.[0];
    expect(c?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(c?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(c?.restartCount).toBe(3);
    expect(condition(plan.status, 'Ready')?.status).toBe('False');
    expect(plan.crashLooping).toEqual([{ container: 'proxy', restartCount: 3, reason: 'Error' }]);
    const later = planPodStatus(pod('a:1-crash', plan.status), placement, t0 + 10_500);
    expect(podStatusFingerprint(later.status)).not.toBe(podStatusFingerprint(plan.status));
  });

  it('is not Ready when any container is not', () => {
    const p = pod('a:1');
    p.spec!.containers.push({ name: 'sidecar', image: 'side:1-unready' });
    const plan = planPodStatus(p, placement, t0 + 60_000);
    expect(condition(plan.status, 'Ready')).toMatchObject({ status: 'False', message: 'containers with unready status: [sidecar]' });
    expect(plan.neverReady).toEqual(['sidecar']);
  });
});
