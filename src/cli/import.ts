/**
 * `npx rolecall import [--from DIR | --save DIR] --out FILE`: a draft org
 * file from an existing estate, and on stderr the list of what it could not
 * express. The estate is DIR's snapshots, or (without --from) a live fetch:
 * Organizations' accounts read from the management account's credentials,
 * each account's IAM through the deploy role, as `rolecall audit` fetches;
 * `--save DIR` keeps what was fetched. The draft is validated before it is
 * written: a draft rolecall itself refuses is never handed over.
 */
import { formatDiagnostic } from '../model/diagnostics';
import { compileOrgText } from '../plan/compile';
import { importEstate } from '../audit/import';
import { readSnapshotDir } from '../audit/read';
import type { AccountSnapshot, OrganizationSnapshot } from '../audit/snapshot';
import { stringFlag } from './args';
import type { CliIo, CommandOptions } from './io';
import { checkOutputFile, writeText } from './paths';
import { reportDiagnostics } from './validate';

export async function runImport(options: CommandOptions, io: CliIo): Promise<number> {
  const out = stringFlag(options, 'out')!;
  const from = stringFlag(options, 'from');
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined;
  const target = checkOutputFile('--out', out);
  if (!target.ok) {
    io.err(`rolecall import: ${target.error}`);
    return 2;
  }
  let dir: { accounts: AccountSnapshot[]; organization?: OrganizationSnapshot };
  if (from !== undefined) {
    const read = readSnapshotDir(from);
    if (!reportDiagnostics({ ok: read.diagnostics.length === 0, diagnostics: read.diagnostics } as never, { out: io.err, err: io.err }))
      return 1;
    dir = read;
  } else {
    // The live fetch: Organizations' accounts (or the caller's alone), as `rolecall audit` fetches them.
    const { fetchEstateForImport, saveEstate } = await import('../audit/live');
    const fetched = await fetchEstateForImport({ region: region ?? 'us-east-1', progress: (t) => io.err(t) });
    if (!fetched.ok) {
      for (const e of fetched.errors) io.err(`rolecall import: error RA009: ${e}`);
      return 1;
    }
    const save = stringFlag(options, 'save');
    if (save !== undefined) {
      const saved = saveEstate(save, fetched);
      if (!saved.ok) {
        io.err(`rolecall import: ${saved.error}`);
        return 1;
      }
      io.err(`Saved the fetched snapshots to ${save} (rolecall import --from ${save} reads them again).`);
    }
    dir = fetched;
  }
  const withId = dir.accounts.filter((a) => a.accountId !== undefined);
  if (withId.length === 0) {
    io.err(`rolecall import: error RA004: no snapshot ${from !== undefined ? `in ${from} ` : ''}holds an ARN, so no account id is known`);
    return 1;
  }
  const result = importEstate({
    snapshots: withId,
    organization: dir.organization,
    region,
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
