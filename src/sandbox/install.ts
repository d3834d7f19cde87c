// The set-up behind `npm start` and `npm test`: builds the Go servers into the cache and installs
// the Debian packages the stack needs, each only when missing. Every failure says what is missing
// and how to get it by hand.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheRoot, goBinarySets, GoBinarySet, temporalOnPathIsCompatible, whichSync } from './binaries';

export type SetupPurpose = 'start' | 'test';

interface DebianNeed { command: string; pkg: string; why: string; for: SetupPurpose[] }

const debianNeeds: DebianNeed[] = [
  { command: 'prometheus', pkg: 'prometheus', why: 'the sandbox Prometheus', for: ['start', 'test'] },
  { command: 'openssl', pkg: 'openssl', why: 'the sandbox cluster certificates', for: ['start', 'test'] },
  { command: 'docker-compose', pkg: 'docker-compose', why: 'checking docker-compose.yml in the tests', for: ['test'] },
  { command: 'chromium', pkg: 'chromium', why: 'the web UI browser test', for: ['test'] },
];

export function ensureGoBinaries(log: (line: string) => void): void {
  for (const set of goBinarySets) {
    if (set.key.startsWith('temporal-') && temporalOnPathIsCompatible()) continue;
    const dir = path.join(cacheRoot(), set.key);
    if (set.outputs.every((o) => fs.existsSync(path.join(dir, o)))) continue;
    buildGoBinarySet(set, dir, log);
  }
}

function buildGoBinarySet(set: GoBinarySet, dir: string, log: (line: string) => void): void {
  if (!whichSync('go')) {
    throw new Error(`Go is needed to build ${set.what} but \`go\` is not on PATH. Install Go >= 1.26 (https://go.dev/dl/ or your distribution) and run again.`);
  }
  const tmp = `${dir}.partial-${process.pid}`;
  fs.mkdirSync(tmp, { recursive: true });
  log(`building ${set.what} (first run only; a cold build takes several minutes) ...`);
  const started = Date.now();
  for (const step of set.build) {
    const args = step.args.map((a) => a.replace('{out}', tmp));
    const res = spawnSync('go', args, {
      cwd: step.cwd,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false', GOBIN: tmp },
    });
    if (res.status !== 0) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new Error(`building ${set.what} failed: \`go ${args.join(' ')}\` in ${step.cwd} exited ${res.status}. ` +
        'The Go module proxy must be reachable and Go must match the module (GOTOOLCHAIN=local); see the output above.');
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  log(`built ${set.what} in ${((Date.now() - started) / 1000).toFixed(0)} s → ${dir}`);
}

export function ensureDebianPackages(purpose: SetupPurpose, log: (line: string) => void): void {
  const missing = debianNeeds.filter((n) => n.for.includes(purpose) && !whichSync(n.command));
  if (missing.length === 0) return;
  const pkgs = missing.map((m) => m.pkg);
  const manual = `apt-get install -y ${pkgs.join(' ')}`;
  if (!whichSync('apt-get')) throw new Error(`missing ${describe(missing)}; this is not a Debian-like system, install them by hand (${manual}).`);
  if (process.getuid?.() !== 0) throw new Error(`missing ${describe(missing)}; run as root: ${manual}`);
  log(`installing Debian packages: ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let res = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  if (res.status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    res = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  }
  if (res.status !== 0) throw new Error(`could not install ${describe(missing)} with apt-get; try \`${manual}\` by hand.`);
}

function describe(needs: DebianNeed[]): string {
  return needs.map((n) => `${n.command} (${n.why})`).join(', ');
}
