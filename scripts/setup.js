#!/usr/bin/env node
// First step of `npm start` and `npm test` on any machine: install npm packages when the lockfile
// changed, compile TypeScript, then hand over to the compiled set-up (Go-built binaries, Debian
// packages), which lives in src/sandbox/install.ts. Plain Node only: nothing is installed yet.
'use strict';
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });
const mtime = (p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);

const [major, minor] = process.versions.node.split('.').map(Number);
// 20.19 is the first 20.x that can require() the ES-module-only @kubernetes/client-node.
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`canary-promoter needs Node >= 20.19 (this is ${process.version}); install it from your distribution or nodejs.org.`);
  process.exit(1);
}

const stamp = path.join(root, 'node_modules', '.package-lock.json');
if (mtime(stamp) < mtime(path.join(root, 'package-lock.json'))) {
  // Versions come from the committed lockfile. Not `npm ci`: registries that carry only this
  // platform's builds leave other platforms' optional packages out of the lockfile, and npm ci
  // refuses such a lockfile, while npm install skips them.
  console.log('[setup] npm install (locked versions)');
  run('npm install --no-save --no-audit --no-fund');
}
console.log('[setup] compiling TypeScript');
run('npx tsc -p tsconfig.build.json');
const want = process.env.npm_lifecycle_event === 'pretest' ? '--for=test' : '--for=start';
run(`node dist/sandbox/install-main.js ${want}`);
