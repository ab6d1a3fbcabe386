/**
 * `npx rolecall import [--from DIR] --out FILE`: a draft org file from an
 * existing estate's snapshots, and on stderr the list of what it could not
 * express. The draft is validated before it is written: a draft rolecall
 * itself refuses is never handed over.
 */
import { formatDiagnostic } from '../model/diagnostics';
import { compileOrgText } from '../plan/compile';
import { importEstate } from '../audit/import';
import { readSnapshotDir } from '../audit/read';
import { stringFlag } from './args';
import type { CliIo, CommandOptions } from './io';
import { checkOutputFile, writeText } from './paths';
import { reportDiagnostics } from './validate';

export function runImport(options: CommandOptions, io: CliIo): number {
  const out = stringFlag(options, 'out')!;
  const from = stringFlag(options, 'from');
  const target = checkOutputFile('--out', out);
  if (!target.ok) {
    io.err(`rolecall import: ${target.error}`);
    return 2;
  }
  if (from === undefined) {
    io.err(
      'rolecall import: --from DIR is required (the live fetch needs an org file to know the accounts: run `rolecall audit --save DIR` with one, or hand over snapshots)',
    );
    return 2;
  }
  const dir = readSnapshotDir(from);
  if (!reportDiagnostics({ ok: dir.diagnostics.length === 0, diagnostics: dir.diagnostics } as never, { out: io.err, err: io.err }))
    return 1;
  const withId = dir.accounts.filter((a) => a.accountId !== undefined);
  if (withId.length === 0) {
    io.err(`rolecall import: error RA004: no snapshot in ${from} holds an ARN, so no account id is known`);
    return 1;
  }
  const result = importEstate({
    snapshots: withId,
    organization: dir.organization,
    region: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION,
  });
  const notes = result.unexpressed.map((n) => `#   - ${n.replace(/[\r\n]+/g, ' ')}`);
  const text = `${result.yaml}${notes.length > 0 ? `\n# Not expressed (rolecall import):\n${notes.join('\n')}\n` : ''}`;
  const compiled = compileOrgText(text, out);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    for (const d of errors.slice(0, 50)) io.err(formatDiagnostic(d));
    io.err(`rolecall import: the draft does not validate (${errors.length} errors); nothing written. Please report this.`);
    return 1;
  }
  const written = writeText(out, text);
  if (!written.ok) {
    io.err(`rolecall import: ${written.error}`);
    return 1;
  }
  const c = result.counts;
  io.err(
    `Wrote ${out}: ${c.accounts} accounts, ${c.people} people, ${c.functions} functions, ${c.permissionSets} permission sets, ${c.grants} grants; deploy.adopt imports what exists.`,
  );
  if (result.unexpressed.length > 0) {
    io.err(`Not expressed (${result.unexpressed.length}; also at the end of ${out}):`);
    for (const n of result.unexpressed) io.err(`  - ${n}`);
  }
  return 0;
}
