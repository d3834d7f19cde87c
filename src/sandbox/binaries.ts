// Where the Go-built servers come from. Each is built once through the ordinary Go tooling and
// cached outside the repository, keyed by version, so a fresh clone on the same machine (and CI)
// reuses it. Nothing built here is ever committed.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'canary-promoter');
}

export interface GoBinarySet {
  /** folder name in the cache: `<name>-<version>` */
  key: string;
  /** executables the build must produce */
  outputs: string[];
  /** human description for progress and error messages */
  what: string;
  /** commands run in order; `{out}` is the (temporary) output folder */
  build: { cwd: string; args: string[] }[];
}

const TEMPORAL_CLI = 'v1.5.1';
const KUBERNETES = 'v1.36.3';
const ETCD = 'v3.6.16';

export const goBinarySets: readonly GoBinarySet[] = [
  {
    key: `temporal-${TEMPORAL_CLI}`,
    outputs: ['temporal'],
    what: `Temporal CLI ${TEMPORAL_CLI} (dev server with SQLite and the web UI)`,
    build: [{ cwd: os.tmpdir(), args: ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI}`] }],
  },
  {
    key: `kube-${KUBERNETES}`,
    outputs: ['kube-apiserver', 'kube-controller-manager', 'kubectl'],
    what: `kube-apiserver, kube-controller-manager and kubectl ${KUBERNETES}`,
    build: [{
      cwd: path.join(repoRoot, 'tools', 'kube'),
      args: ['build', '-trimpath', '-ldflags=-s -w', '-o', '{out}/',
        'k8s.io/kubernetes/cmd/kube-apiserver', 'k8s.io/kubernetes/cmd/kube-controller-manager', 'k8s.io/kubernetes/cmd/kubectl'],
    }],
  },
  {
    key: `etcd-${ETCD}`,
    outputs: ['etcd'],
    what: `etcd ${ETCD}`,
    build: [{ cwd: path.join(repoRoot, 'tools', 'etcd'), args: ['build', '-trimpath', '-ldflags=-s -w', '-o', '{out}/etcd', 'go.etcd.io/etcd/server/v3'] }],
  },
];

/** Absolute path of a built executable, or of one found on PATH when the cache has none. */
export function binaryPath(name: string): string {
  const set = goBinarySets.find((s) => s.outputs.includes(name));
  if (set) {
    const cached = path.join(cacheRoot(), set.key, name);
    if (fs.existsSync(cached)) return cached;
  }
  const onPath = whichSync(name);
  if (onPath) return onPath;
  throw new Error(`${name} is not built yet: run \`npm start\` or \`npm test\` once (they build it into ${cacheRoot()}), or \`node scripts/setup.js\`.`);
}

export function whichSync(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Version line of the Temporal CLI on PATH, used to accept a preinstalled compatible one. */
export function temporalOnPathIsCompatible(): string | undefined {
  const found = whichSync('temporal');
  if (!found) return undefined;
  try {
    const out = execFileSync(found, ['--version'], { encoding: 'utf8' });
    // The dev server must carry server >= 1.29 for user metadata (summaries) in the UI.
    const m = /Server (\d+)\.(\d+)/.exec(out);
    return m && (Number(m[1]) > 1 || Number(m[2]) >= 29) ? found : undefined;
  } catch {
    return undefined;
  }
}
