// `promoter validate`: parse and validate a spec file; touches nothing.
import { toYaml } from '../spec/parse';
import { loadSpec, SpecSource } from './start';

export function validateCommand(opts: SpecSource & { print?: boolean }): void {
  const spec = loadSpec(opts);
  if (opts.print) process.stdout.write(toYaml(spec));
  else console.log(`${opts.file} is valid: ${spec.strategy.kind} promotion of ${spec.target.namespace}/${spec.target.stable}`);
}
