/**
 * The audit report: evidence an auditor can keep. It says when it was made,
 * from which org file (and its SHA-256), from which snapshots (each one's
 * SHA-256, so the evidence can be checked against the files handed over),
 * and every finding with what the file says and what AWS holds.
 */
import { SEVERITIES, severityRank, type Finding, type Severity } from './findings';

export interface AuditReport {
  schema: 1;
  tool: 'rolecall audit';
  generatedAt: string;
  config: { file: string; sha256: string; organization: string };
  source: 'snapshots' | 'live';
  accounts: Array<{ account: string; id: string; source: string; sha256: string; users: number; groups: number; roles: number }>;
  organization?: { source: string; sha256: string; accounts: number; policies: number };
  /** Accounts of the file that were not audited (no snapshot, or left out by --account). */
  notAudited: string[];
  /** The live access matrix: computed by the access engine, or why not. */
  liveMatrix: { computed: boolean; note: string };
  summary: Record<Severity, number>;
  skippedServiceRoles: number;
  notes: string[];
  findings: Finding[];
}

export function summarize(findings: Finding[]): Record<Severity, number> {
  const out = { low: 0, medium: 0, high: 0, critical: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

export function atOrAbove(findings: Finding[], severity: Severity): Finding[] {
  return findings.filter((f) => severityRank(f.severity) >= severityRank(severity));
}

export function renderAuditJson(report: AuditReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** Markdown table cells: a hostile name must not break out of its cell or inject markup. */
function cell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/([\\`*[\]<>|])/g, '\\$1')
    .slice(0, 2000);
}

export function renderAuditMarkdown(report: AuditReport): string {
  const lines: string[] = [];
  lines.push(`# rolecall audit: ${cell(report.config.organization)}`);
  lines.push('');
  lines.push(`- Generated: ${report.generatedAt}`);
  lines.push(`- Org file: ${cell(report.config.file)} (SHA-256 ${report.config.sha256})`);
  lines.push(`- Source: ${report.source === 'live' ? 'live fetch (AWS SDK)' : 'IAM snapshots'}`);
  if (report.organization)
    lines.push(
      `- Organization: ${cell(report.organization.source)} (SHA-256 ${report.organization.sha256}): ${report.organization.accounts} accounts, ${report.organization.policies} SCPs/RCPs`,
    );
  const total = report.findings.length;
  const counts = [...SEVERITIES]
    .reverse()
    .map((s) => `${report.summary[s]} ${s}`)
    .join(', ');
  lines.push(`- Findings: ${total === 0 ? 'none' : `${total} (${counts})`}`);
  lines.push(`- Live access matrix: ${cell(report.liveMatrix.note)}`);
  lines.push('');
  lines.push('## Accounts');
  lines.push('');
  lines.push('| account | id | users | groups | roles | snapshot | SHA-256 |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const a of report.accounts)
    lines.push(`| ${cell(a.account)} | ${a.id} | ${a.users} | ${a.groups} | ${a.roles} | ${cell(a.source)} | ${a.sha256} |`);
  if (report.notAudited.length > 0) {
    lines.push('');
    lines.push(`Not audited: ${report.notAudited.map(cell).join(', ')}.`);
  }
  lines.push('');
  lines.push('## Findings');
  lines.push('');
  if (total === 0) lines.push('None: every audited account holds what the file says, and nothing more.');
  else {
    lines.push('| severity | code | account | principal | the file says | AWS holds |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    for (const f of report.findings)
      lines.push(`| ${f.severity} | ${f.code} ${f.kind} | ${cell(f.account)} | ${cell(f.principal)} | ${cell(f.file)} | ${cell(f.aws)} |`);
  }
  const notes = [
    ...(report.skippedServiceRoles > 0
      ? [`${report.skippedServiceRoles} service roles (service-linked, AWS-reserved, or trusting only AWS services) were not examined.`]
      : []),
    ...report.notes,
  ];
  if (notes.length > 0) {
    lines.push('');
    lines.push('## Notes');
    lines.push('');
    for (const n of notes) lines.push(`- ${cell(n)}`);
  }
  return lines.join('\n') + '\n';
}
