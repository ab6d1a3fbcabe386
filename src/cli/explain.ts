/**
 * `npx rolecall explain PERSON ACCOUNT`: every path from the person to the
 * account (group, role, permission sets, level, evidence), from the plan layer.
 */
import { unknownArgument } from '../model/messages';
import { compileOrgFile } from '../plan/compile';
import { buildAccessMatrix } from '../plan/access';
import { renderExplain } from '../report/explain';
import type { CliIo, CommandOptions } from './io';
import { reportDiagnostics } from './validate';

export function runExplain(options: CommandOptions, io: CliIo): number {
  // The parser guarantees exactly two positionals (main.ts's table).
  const [person, account] = options.args;
  const result = compileOrgFile(options.config);
  if (!reportDiagnostics(result, { out: io.err, err: io.err })) return 1;
  const matrix = buildAccessMatrix(result.model);
  const people = matrix.people.map((p) => p.name);
  const accounts = matrix.accounts.map((a) => a.name);
  let bad = false;
  if (!people.includes(person)) {
    io.err(`rolecall explain: ${unknownArgument('person', 'people', person, people)}`);
    bad = true;
  }
  if (!accounts.includes(account)) {
    io.err(`rolecall explain: ${unknownArgument('account', 'accounts', account, accounts)}`);
    bad = true;
  }
  if (bad) return 2;
  io.out(renderExplain(matrix, matrix.cell(person, account)));
  return 0;
}
