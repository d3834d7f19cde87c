// The undo log. Each object is snapshotted and registered BEFORE its first mutation; only the
// earliest snapshot per object is kept, because compensation restores the cluster as it was
// before the promotion, not as it was one step ago.
import { CancellationScope, log } from '@temporalio/workflow';
import type { Snapshot } from '../activities/types';
import { undoActivities, waitingActivities } from './activity-proxies';

export interface CompensationReport {
  restored: string[];
  /** what a human must still restore, in words precise enough to act on */
  left: string[];
}

export function describeSnapshot(s: Snapshot): string {
  if (s.kind === 'Deployment') {
    const images = (s.template.spec?.containers ?? []).map((c) => `${c.name}=${c.image}`).join(', ');
    return `Deployment ${s.namespace}/${s.name} to replicas ${s.replicas}, images ${images}${s.revision ? ` (was revision ${s.revision})` : ''}`;
  }
  return `${s.kind} ${s.namespace}/${s.name} (${s.router} router) to ${JSON.stringify(s.fields)}`;
}

const key = (s: Snapshot) => `${s.kind}/${s.namespace}/${s.name}`;

export class Saga {
  private readonly entries: Snapshot[] = [];

  /** Returns false when the object already has an (earlier) snapshot. */
  register(snapshot: Snapshot): boolean {
    if (this.entries.some((e) => key(e) === key(snapshot))) return false;
    this.entries.push(snapshot);
    return true;
  }

  get snapshots(): readonly Snapshot[] {
    return this.entries;
  }

  /**
   * Restores every snapshot: traffic objects first (so users leave the canary before anything
   * else moves), then Deployments, each group newest first. Runs non-cancellable so an abort or a
   * workflow cancellation cannot interrupt it, and keeps going past a failed undo.
   */
  compensate(progressDeadlineMs: number, onStep: (message: string) => void): Promise<CompensationReport> {
    return CancellationScope.nonCancellable(async () => {
      const report: CompensationReport = { restored: [], left: [] };
      const ordered = [
        ...this.entries.filter((s) => s.kind !== 'Deployment').reverse(),
        ...this.entries.filter((s) => s.kind === 'Deployment').reverse(),
      ];
      for (const snapshot of ordered) {
        const what = describeSnapshot(snapshot);
        try {
          await undoActivities.restoreSnapshot.executeWithOptions(
            { ...undoOptions, summary: `restore ${snapshot.kind} ${snapshot.name}` }, [snapshot]);
          if (snapshot.kind === 'Deployment') await verifyRollout(snapshot, progressDeadlineMs);
          report.restored.push(what);
          onStep(`restored ${what}`);
        } catch (err) {
          log.error('undo failed', { snapshot: what, error: (err as Error).message });
          report.left.push(`${what}: ${rootMessage(err)}`);
          onStep(`could not restore ${what}: ${rootMessage(err)}`);
        }
      }
      return report;
    });
  }
}

const undoOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 8 },
} as const;

async function verifyRollout(snapshot: Extract<Snapshot, { kind: 'Deployment' }>, progressDeadlineMs: number): Promise<void> {
  const result = await waitingActivities.waitForRollout.executeWithOptions(
    { startToCloseTimeout: progressDeadlineMs + 60_000, heartbeatTimeout: '10s', summary: `verify rollout of ${snapshot.name}` },
    [{ namespace: snapshot.namespace, name: snapshot.name, deadlineAt: Date.now() + progressDeadlineMs }]);
  if (result.status !== 'complete') throw new Error(`restored, but its rollout did not complete: ${result.reason}`);
}

export function rootMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown };
  while (e.cause) e = e.cause as typeof e;
  return e.message ?? String(err);
}
