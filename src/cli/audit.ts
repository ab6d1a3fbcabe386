/**
 * `npx rolecall audit [--from DIR] [--account NAME...] [--format md|json]
 * [--fail-on SEVERITY] [--out FILE] [--save DIR]`: the deployed accounts
 * against the file's plan. Exit 0 when no finding reaches --fail-on
 * (default low: any finding), 1 when one does or the file or a snapshot is
 * bad, 2 on a bad command line.
 */
import { readFileSync } from 'fs';
import { closest } from '../model/suggest';
import { compileOrgFile } from '../plan/compile';
import { placeSnapshots, runAudit, type PlacedSnapshot } from '../audit/audit';
import { FINDING_KINDS, type Finding, type Severity } from '../audit/findings';
import { readSnapshotDir } from '../audit/read';
import { atOrAbove, renderAuditJson, renderAuditMarkdown, summarize, type AuditReport } from '../audit/report';
import { sha256, type AccountSnapshot, type OrganizationSnapshot } from '../audit/snapshot';
import { stringFlag } from './args';
import type { CliIo, CommandOptions } from './io';
import { checkOutputFile, writeText } from './paths';
import { reportDiagnostics } from './validate';
import { liveMatrixFindings } from '../audit/live-matrix';

export async function runAuditCommand(options: CommandOptions, io: CliIo): Promise<number> {
  const format = stringFlag(options, 'format') ?? 'md';
  const failOn = (stringFlag(options, 'fail-on') ?? 'low') as Severity;
  const from = stringFlag(options, 'from');
  const out = stringFlag(options, 'out');
  if (out !== undefined) {
    const target = checkOutputFile('--out', out);
    if (!target.ok) {
      io.err(`rolecall audit: ${target.error}`);
      return 2;
    }
  }
  const result = compileOrgFile(options.config);
  if (!reportDiagnostics(result, { out: io.err, err: io.err })) return 1;
  const { model, plan } = result;
  const fileAccounts = Object.keys(model.org.accounts).sort();
  const only = stringFlag(options, 'account')?.split(',');
  for (const name of only ?? []) {
    if (!fileAccounts.includes(name)) {
      const near = closest(name, fileAccounts);
      io.err(
        `rolecall audit: error RA008: --account ${JSON.stringify(name)} is no account of ${options.config}${near ? `; did you mean "${near}"?` : ` (accounts: ${fileAccounts.join(', ')})`}`,
      );
      return 2;
    }
  }

  let accounts: AccountSnapshot[];
  let organization: OrganizationSnapshot | undefined;
  if (from !== undefined) {
    const dir = readSnapshotDir(from);
    if (
      !reportDiagnostics({ ok: dir.diagnostics.length === 0, diagnostics: dir.diagnostics } as Parameters<typeof reportDiagnostics>[0], {
        out: io.err,
        err: io.err,
      })
    )
      return 1;
    accounts = dir.accounts;
    organization = dir.organization;
  } else {
    const { fetchEstate } = await import('../audit/live');
    const fetched = await fetchEstate(model, plan, { accounts: only, progress: (t) => io.err(t) });
    if (!fetched.ok) {
      for (const e of fetched.errors) io.err(`rolecall audit: error RA009: ${e}`);
      return 1;
    }
    accounts = fetched.accounts;
    organization = fetched.organization;
    const save = stringFlag(options, 'save');
    if (save !== undefined) {
      const { saveEstate } = await import('../audit/live');
      const saved = saveEstate(save, fetched);
      if (!saved.ok) {
        io.err(`rolecall audit: ${saved.error}`);
        return 1;
      }
      io.err(`Saved the fetched snapshots to ${save} (rolecall audit --from ${save} reads them again).`);
    }
  }

  const placement = placeSnapshots(model, accounts);
  if (
    !reportDiagnostics({ ok: placement.diagnostics.length === 0, diagnostics: placement.diagnostics } as never, {
      out: io.err,
      err: io.err,
    })
  )
    return 1;
  const byName = (p: PlacedSnapshot) => p.name ?? p.accountId;
  const placed = only ? placement.placed.filter((p) => p.name !== undefined && only.includes(p.name)) : placement.placed;
  const audit = runAudit(model, plan, placed, only ? undefined : organization);
  const findings: Finding[] = audit.findings;

  // Accounts of the file with an id and no snapshot: a gap in the evidence, not a pass.
  const covered = new Set(placed.map(byName));
  const wanted = (only ?? fileAccounts).filter((n) => model.org.accounts[n].id !== undefined);
  const missing = wanted.filter((n) => !covered.has(n));
  for (const name of missing) {
    const k = FINDING_KINDS.notCovered;
    findings.push({
      code: k.code,
      kind: k.kind,
      severity: 'medium',
      account: name,
      accountId: model.org.accounts[name].id,
      principal: `account/${name}`,
      file: `account ${model.org.accounts[name].id}`,
      aws: from !== undefined ? `no ${name}.json or ${model.org.accounts[name].id}.json in ${from}` : 'not fetched',
    });
  }

  const live = liveMatrixFindings(result, placed, only ? undefined : organization);
  findings.push(...live.findings);

  const configBytes = readFileSync(options.config);
  const report: AuditReport = {
    schema: 1,
    tool: 'rolecall audit',
    generatedAt: new Date().toISOString(),
    config: { file: options.config, sha256: sha256(configBytes), organization: model.org.organization.name },
    source: from !== undefined ? 'snapshots' : 'live',
    accounts: placed
      .map((p) => ({
        account: byName(p),
        id: p.accountId,
        source: p.snapshot.source,
        sha256: p.snapshot.sha256,
        users: p.snapshot.users.length,
        groups: p.snapshot.groups.length,
        roles: p.snapshot.roles.length,
      }))
      .sort((a, b) => a.account.localeCompare(b.account)),
    ...(organization && !only
      ? {
          organization: {
            source: organization.source,
            sha256: organization.sha256,
            accounts: organization.accounts.length,
            policies: organization.policies.length,
          },
        }
      : {}),
    notAudited: fileAccounts.filter((n) => !covered.has(n)),
    liveMatrix: { computed: live.computed, note: live.note },
    summary: summarize(findings),
    skippedServiceRoles: audit.skippedServiceRoles,
    notes: [
      ...audit.notes,
      ...(placed.some((p) => !p.snapshot.credentials)
        ? [
            'Login profiles and access keys are not in get-account-authorization-details: they were checked only for live-fetched accounts (or snapshots carrying LoginProfile/AccessKeys).',
          ]
        : []),
    ],
    findings,
  };
  const text = format === 'json' ? renderAuditJson(report) : renderAuditMarkdown(report);
  if (out === undefined) io.out(text.trimEnd());
  else {
    const written = writeText(out, text);
    if (!written.ok) {
      io.err(`rolecall audit: ${written.error}`);
      return 1;
    }
    io.err(`Wrote the audit (${format}, ${findings.length} findings) to ${out}`);
  }
  const failing = atOrAbove(findings, failOn);
  if (failing.length > 0) {
    io.err(`rolecall audit: ${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${failOn}.`);
    return 1;
  }
  return 0;
}
