// A Temporal client from flags or the standard Temporal environment variables. Connection
// errors name the address that failed and why.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { CliError } from './exit-codes';

export interface ConnectionFlags {
  address?: string;
  namespace?: string;
  tlsCert?: string;
  tlsKey?: string;
  apiKey?: string;
  taskQueue?: string;
}

export interface Connected {
  client: Client;
  namespace: string;
  taskQueue: string;
  close(): Promise<void>;
}

export async function connect(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Promise<Connected> {
  const address = flags.address || env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
  const namespace = flags.namespace || env.TEMPORAL_NAMESPACE || 'default';
  const certPath = flags.tlsCert || env.TEMPORAL_TLS_CERT || undefined;
  const keyPath = flags.tlsKey || env.TEMPORAL_TLS_KEY || undefined;
  const apiKey = flags.apiKey || env.TEMPORAL_API_KEY || undefined;
  if (!!certPath !== !!keyPath) throw new CliError('--tls-cert and --tls-key (TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY) must be given together');
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address,
      tls: certPath && keyPath ? { clientCertPair: { crt: fs.readFileSync(certPath), key: fs.readFileSync(keyPath) } } : apiKey ? true : undefined,
      apiKey,
      connectTimeout: '5s',
    });
    await connection.ensureConnected();
  } catch (err) {
    throw new CliError(`cannot connect to Temporal at ${address}: ${(err as Error).message}. Set --address or TEMPORAL_ADDRESS (npm start writes it to .data/endpoints.env).`);
  }
  return {
    client: new Client({ connection, namespace }),
    namespace,
    taskQueue: flags.taskQueue || env.TEMPORAL_TASK_QUEUE || 'canary-promoter',
    close: () => connection.close(),
  };
}

/** Who is acting: --by, else the CI actor, else the local user. */
export function defaultActor(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_ACTOR || env.GITLAB_USER_LOGIN || env.BUILDKITE_BUILD_CREATOR || env.USER || env.USERNAME || osUser() || 'unknown';
}

function osUser(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined; // no passwd entry (some containers)
  }
}
