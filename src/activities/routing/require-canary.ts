import { ApplicationFailure } from '@temporalio/common';
import type { TargetSpec } from '../../spec/types';
import { FailureType } from '../../workflows/failures';

/** The canary Deployment's name; routers that split between two Deployments need it. */
export function requireCanary(target: TargetSpec): string {
  if (!target.canary) throw ApplicationFailure.nonRetryable('this router needs target.canary', FailureType.InvalidSpec);
  return target.canary;
}
