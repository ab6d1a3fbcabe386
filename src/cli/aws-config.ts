/** `npx rolecall aws-config PERSON`: how one person reaches their roles (see src/report/aws-config.ts). */
import { unknownArgument } from './messages';
import { compileOrgFile } from '../plan/compile';
import { renderAwsConfig } from '../report/aws-config';
import type { CliIo, CommandOptions } from './io';
import { reportDiagnostics } from './validate';

export function runAwsConfig(options: CommandOptions, io: CliIo): number {
  // The parser guarantees exactly one positional (main.ts's table).
  const [person] = options.args;
  const result = compileOrgFile(options.config);
  if (!reportDiagnostics(result, { out: io.err, err: io.err })) return 1;
  const people = Object.keys(result.model.org.people).sort();
  if (!people.includes(person)) {
    io.err(`rolecall aws-config: ${unknownArgument('person', 'people', person, people)}`);
    return 2;
  }
  // A role's level: the same for every function naming it (shared roles agree on their sets).
  const matrix = result.matrix;
  const functions = matrix.people.find((p) => p.name === person)?.functions ?? [];
  const levelOf = (account: string, role: string) =>
    functions.flatMap((fn) => matrix.roles(fn, account)).find((r) => r.role === role)?.level;
  io.out(renderAwsConfig(result.plan, person, levelOf));
  return 0;
}
