// `promoter`: start, watch and steer promotions. Every command that sends a signal records who
// (--by, default the CI actor or user) and why in the workflow history.
import { Command, Option } from 'commander';
import { parseDuration } from '../spec/duration';
import { abortSignal, pauseSignal, promoteSignal, resumeSignal, statusQuery } from '../workflows/definitions';
import { connect, ConnectionFlags, defaultActor } from './connection';
import { CliError, ExitCode, exitCodeHelp } from './exit-codes';
import { follow } from './follow';
import { resultText, statusText } from './render';
import { loadSpec, startPromotion } from './start';
import { listPromotions, handleFor, workflowIdFor } from './lookup';
import { fastRollback } from './rollback';
import { validateCommand } from './validate';

const program = new Command('promoter')
  .description('Durable canary, blue-green and rolling promotions on Temporal')
  .addHelpText('after', `\n${exitCodeHelp}\n\nConnection: --address or TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY, TEMPORAL_API_KEY.`)
  .option('--address <host:port>', 'Temporal frontend (TEMPORAL_ADDRESS; default 127.0.0.1:7233)')
  .option('--namespace <ns>', 'Temporal namespace (TEMPORAL_NAMESPACE; default "default")')
  .option('--tls-cert <path>', 'client certificate (TEMPORAL_TLS_CERT)')
  .option('--tls-key <path>', 'client key (TEMPORAL_TLS_KEY)')
  .option('--api-key <key>', 'API key (TEMPORAL_API_KEY)')
  .option('--task-queue <name>', 'worker task queue (TEMPORAL_TASK_QUEUE; default canary-promoter)')
  .showHelpAfterError();

const connFlags = (): ConnectionFlags => program.opts<ConnectionFlags>();
const collect = (value: string, previous: string[] = []) => [...previous, value];
const byOption = () => new Option('--by <who>', 'who is acting (recorded in history)').default(defaultActor(), 'CI actor or $USER');

function durationArg(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new CliError(`--timeout ${value}: ${(err as Error).message}`);
  }
}

program.command('start')
  .description('start a promotion (or attach to the running one for the same target and image)')
  .requiredOption('-f, --file <file>', 'promotion spec (YAML)')
  .option('--image <image>', 'the candidate image (overrides the spec)')
  .option('--set <path=value>', 'override a spec field, repeatable', collect)
  .option('--wait', 'block until the promotion finishes; exit code tells the outcome')
  .option('--timeout <duration>', 'with --wait: give up waiting after this long (exit 4)')
  .option('--json', 'print machine-readable output')
  .addOption(byOption())
  .action(async (opts: { file: string; image?: string; set?: string[]; wait?: boolean; timeout?: string; json?: boolean; by: string }) => {
    const spec = loadSpec(opts);
    const timeoutMs = opts.timeout ? durationArg(opts.timeout) : undefined;
    const conn = await connect(connFlags());
    try {
      const { handle, attached } = await startPromotion(conn, spec, opts.by);
      if (!opts.json) console.log(`${attached ? 'attached to the running' : 'started'} promotion ${handle.workflowId}`);
      if (!opts.wait) {
        if (opts.json) console.log(JSON.stringify({ workflowId: handle.workflowId, attached }));
        return;
      }
      process.exitCode = await waitAndReport(handle, timeoutMs, opts.json === true);
    } finally {
      await conn.close();
    }
  });

async function waitAndReport(handle: Parameters<typeof follow>[0], timeoutMs: number | undefined, json: boolean): Promise<number> {
  const followed = await follow(handle, { timeoutMs, out: process.stdout, progress: !json });
  if (followed.kind === 'timeout') {
    if (json) console.log(JSON.stringify({ workflowId: handle.workflowId, outcome: 'running', status: followed.status }));
    else console.log(`still running after the timeout (phase ${followed.status?.phase ?? 'unknown'}); follow it with: promoter watch ${handle.workflowId}`);
    return ExitCode.stillRunning;
  }
  const r = followed.result;
  console.log(json ? JSON.stringify(r) : resultText(r));
  return r.outcome === 'promoted' ? ExitCode.promoted : r.outcome === 'rolled-back' ? ExitCode.rolledBack : ExitCode.rollbackFailed;
}

program.command('status <target>')
  .description('show a promotion: TARGET is namespace/deployment or a workflow id')
  .option('--json', 'print machine-readable output')
  .action(async (target: string, opts: { json?: boolean }) => {
    const conn = await connect(connFlags());
    try {
      const status = await handleFor(conn, target).query(statusQuery);
      console.log(opts.json ? JSON.stringify(status) : statusText(status));
    } finally {
      await conn.close();
    }
  });

program.command('watch <target>')
  .description('follow a promotion until it finishes; exit code tells the outcome')
  .option('--timeout <duration>', 'give up watching after this long (exit 4)')
  .option('--json', 'print only the final result, machine-readable')
  .action(async (target: string, opts: { timeout?: string; json?: boolean }) => {
    const conn = await connect(connFlags());
    try {
      process.exitCode = await waitAndReport(handleFor(conn, target), opts.timeout ? durationArg(opts.timeout) : undefined, opts.json === true);
    } finally {
      await conn.close();
    }
  });

program.command('list')
  .description('list promotions, newest first')
  .option('--phase <phase>', 'only this phase')
  .option('--target <namespace/deployment>', 'only this target')
  .option('--outcome <outcome>', 'only this outcome: promoted, rolled-back, rollback-failed')
  .option('--json', 'print machine-readable output')
  .action(async (opts: { phase?: string; target?: string; outcome?: string; json?: boolean }) => {
    const conn = await connect(connFlags());
    try {
      await listPromotions(conn, opts);
    } finally {
      await conn.close();
    }
  });

function signalCommand(name: string, description: string, send: (target: string, opts: Record<string, unknown>) => { signal: unknown; arg: unknown }) {
  return program.command(`${name} <target>`).description(description).addOption(byOption()).option('--reason <why>', 'why (recorded in history)')
    .action(async (target: string, opts: Record<string, unknown>) => {
      // Usage errors (abort without --reason) come before connecting: they need no server.
      const { signal, arg } = send(target, opts);
      const conn = await connect(connFlags());
      try {
        const handle = handleFor(conn, target);
        await handle.signal(signal as typeof pauseSignal, arg as never);
        console.log(`sent ${name} to ${handle.workflowId}`);
      } finally {
        await conn.close();
      }
    });
}

signalCommand('pause', 'pause the promotion (stops the bake clock)', (_t, o) => ({ signal: pauseSignal, arg: { by: o.by, reason: o.reason } }));
signalCommand('resume', 'resume a paused promotion', (_t, o) => ({ signal: resumeSignal, arg: { by: o.by, reason: o.reason } }));
signalCommand('promote', 'finish the current step now (--full: skip every remaining step and analysis)', (_t, o) =>
  ({ signal: promoteSignal, arg: { by: o.by, reason: o.reason, full: o.full === true } }))
  .option('--full', 'skip every remaining step and analysis');
signalCommand('abort', 'abort and roll back', (_t, o) => {
  if (!o.reason) throw new CliError('abort needs --reason "<why>" (it is recorded in history)');
  return { signal: abortSignal, arg: { by: o.by, reason: o.reason } };
});

program.command('rollback <target>')
  .description('fast rollback of a finished promotion to the previous revision, skipping analysis (exit 0 rolled back, 3 failed)')
  .addOption(byOption())
  .requiredOption('--reason <why>', 'why (recorded in history)')
  .option('--progress-deadline <duration>', 'how long the rollback may take to roll out', '5m')
  .option('--json', 'print machine-readable output')
  .action(async (target: string, opts: { by: string; reason: string; progressDeadline: string; json?: boolean }) => {
    const conn = await connect(connFlags());
    try {
      const result = await fastRollback(conn, workflowIdFor(target), { by: opts.by, reason: opts.reason }, durationArg(opts.progressDeadline));
      console.log(opts.json ? JSON.stringify(result) : `${result.outcome}: ${target}: ${result.reason}`);
      process.exitCode = result.outcome === 'rolled-back' ? ExitCode.promoted : ExitCode.rollbackFailed;
    } finally {
      await conn.close();
    }
  });

program.command('validate')
  .description('check a promotion spec without touching anything (exit 0 valid, 1 invalid)')
  .requiredOption('-f, --file <file>', 'promotion spec (YAML)')
  .option('--image <image>', 'the candidate image')
  .option('--set <path=value>', 'override a spec field, repeatable', collect)
  .option('--print', 'print the spec with every default filled in')
  .action((opts: { file: string; image?: string; set?: string[]; print?: boolean }) => validateCommand(opts));

program.parseAsync(process.argv).catch((err: unknown) => {
  const code = err instanceof CliError ? err.code : ExitCode.error;
  console.error(`promoter: ${(err as Error).message}`);
  process.exit(code);
});
