// The worker image as ./Dockerfile describes it (no Docker engine here to build it): a two-stage
// Node 20 build that ships production dependencies only and runs unprivileged.
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** Instructions of the Dockerfile with continuation lines joined and comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

describe('Dockerfile', () => {
  const steps = instructions(read('Dockerfile'));
  const args = (op: string) => steps.filter((s) => s.op === op).map((s) => s.args);
  const stages = () => {
    const out: { op: string; args: string }[][] = [];
    for (const s of steps) if (s.op === 'FROM') out.push([s]); else out.at(-1)?.push(s);
    return out;
  };

  it('builds on node:20-bookworm-slim in two stages', () => {
    expect(args('ARG')).toContain('NODE_IMAGE=node:20-bookworm-slim');
    expect(stages()).toHaveLength(2);
    expect(args('FROM').every((f) => f.startsWith('${NODE_IMAGE}'))).toBe(true);
  });

  it('installs from the lockfile, compiles, and drops the dev dependencies', () => {
    const run = args('RUN').join(' && ');
    expect(run).toMatch(/\bnpm ci\b/);
    expect(run).toMatch(/\bnpm run build\b/);
    expect(run).toMatch(/\bnpm prune --omit=dev\b/);
    expect(run.indexOf('npm ci')).toBeLessThan(run.indexOf('npm run build'));
    expect(run.indexOf('npm run build')).toBeLessThan(run.indexOf('npm prune'));
  });

  it('runs the worker as a non-root user, with both metrics ports exposed and reachable', () => {
    const final = stages().at(-1)!;
    const user = final.filter((s) => s.op === 'USER').map((s) => s.args).at(-1);
    expect(user).toBeDefined();
    expect(user!.split(':')[0]).not.toMatch(/^(0|root)$/);
    expect(final.filter((s) => s.op === 'EXPOSE').flatMap((s) => s.args.split(/\s+/)).sort()).toEqual(['9464', '9465']);
    expect(final.filter((s) => s.op === 'ENV').map((s) => s.args).join(' ')).toContain('WORKER_METRICS_HOST=0.0.0.0');
    expect(final.filter((s) => s.op === 'CMD').map((s) => s.args).at(-1)).toBe('["node", "dist/worker/main.js"]');
    expect(final.filter((s) => s.op === 'RUN')).toEqual([]);
  });

  it('sends only what the build reads as context', () => {
    const lines = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    expect(lines[0]).toBe('*');
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src/']) expect(lines).toContain(`!${needed}`);
    expect(lines.filter((l) => /node_modules|dist|\.git|\.data/.test(l))).toEqual([]);
  });
});
