// Failure types, one place. Workflow and activities branch on `failure.type`, never instanceof.
// Spec, permission and not-found errors are non-retryable; transport errors retry.
export const FailureType = {
  /** the spec or a signal argument is invalid */
  InvalidSpec: 'InvalidSpec',
  /** an object the promotion needs does not exist */
  TargetNotFound: 'TargetNotFound',
  /** the worker's identity may not do what the step needs */
  PermissionDenied: 'PermissionDenied',
  /** the API rejected a change (422) */
  InvalidChange: 'InvalidChange',
  /** the target is outside PROMOTER_ALLOWED_NAMESPACES */
  NamespaceNotAllowed: 'NamespaceNotAllowed',
  /** a restore did not produce the snapshot's state */
  RestoreNotVerified: 'RestoreNotVerified',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

export const nonRetryableFailureTypes: string[] = [
  FailureType.InvalidSpec, FailureType.TargetNotFound, FailureType.PermissionDenied,
  FailureType.InvalidChange, FailureType.NamespaceNotAllowed,
];
