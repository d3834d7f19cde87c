// Entry for scripts/setup.js: `node dist/sandbox/install-main.js --for=start|test`.
import { ensureDebianPackages, ensureGoBinaries, SetupPurpose } from './install';

const purpose: SetupPurpose = process.argv.includes('--for=test') ? 'test' : 'start';
const log = (line: string) => console.log(`[setup] ${line}`);
try {
  ensureDebianPackages(purpose, log);
  ensureGoBinaries(log);
} catch (err) {
  console.error(`[setup] ${(err as Error).message}`);
  process.exit(1);
}
