// Exit codes of `promoter`, documented in --help and the README. CI branches on these.
export const ExitCode = {
  promoted: 0,
  /** usage, validation or connection error */
  error: 1,
  rolledBack: 2,
  /** rollback failed: a human must act */
  rollbackFailed: 3,
  /** --wait timed out while the promotion still runs */
  stillRunning: 4,
} as const;

export const exitCodeHelp = `Exit codes:
  0  promoted (or the command succeeded)
  1  usage, validation or connection error
  2  rolled back
  3  rollback failed: a human must act (the output says what is left to restore)
  4  --wait timed out while the promotion still runs`;

export class CliError extends Error {
  constructor(message: string, readonly code: number = ExitCode.error) {
    super(message);
  }
}
