/**
 * The access matrix as one self-contained HTML page: inline CSS, no
 * scripts, no external resources, so it can be mailed, archived as audit
 * evidence and read offline. Colour shows the level at a glance; the level
 * is also written in every cell, so the page does not depend on colour.
 */
import type { AccessLevel } from '../model/schema';
import { ReportIndex, roleText, type AccessReport, type ReportPath } from './access-json';
import { chainText } from '../plan/access-paths';
import { cellSummary, timeBound, transitiveText, untilText } from './access-markdown';
import { drawsPeopleMatrix, FULL_FUNCTION_COLUMNS, holdersText, writeHolders } from './summary';

export const LEVEL_COLOURS: Record<AccessLevel, { background: string; text: string; meaning: string }> = {
  none: { background: '#f3f4f6', text: '#6b7280', meaning: 'no access' },
  list: { background: '#dbeafe', text: '#1e3a8a', meaning: 'list resources (names, not contents)' },
  read: { background: '#d1fae5', text: '#065f46', meaning: 'read configuration and data' },
  write: { background: '#fde68a', text: '#78350f', meaning: 'change resources and data (tagging included)' },
  permissions: { background: '#fdba74', text: '#7c2d12', meaning: 'change resource policies and sharing (who outside may use a resource)' },
  admin: {
    background: '#f87171',
    text: '#450a0a',
    meaning: 'create or change IAM principals, their policies or trust: full control of the account',
  },
};

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * On a phone (390 px) the page itself never scrolls sideways (issue 19.11):
 * each table sits in its own scroll container (div.scroll), with its first
 * column (the person, function or account) sticky, so a row stays named
 * while its cells scroll; text outside tables wraps, however long a word.
 * test/e2e/report-mobile.test.ts measures it in headless Chromium.
 */
const CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 2rem; color: #111827; overflow-wrap: anywhere; }
@media (max-width: 40rem) { body { margin: 1rem; } }
div.scroll { overflow-x: auto; max-width: 100%; margin: .5rem 0 1rem; }
div.scroll > table { margin: 0; overflow-wrap: normal; border-collapse: separate; border-spacing: 0; border-top: 1px solid #d1d5db; border-left: 1px solid #d1d5db; }
div.scroll > table th, div.scroll > table td { border-width: 0 1px 1px 0; }
table.matrix tr > :first-child, table.details tr > :first-child { position: sticky; left: 0; z-index: 1; background: #fff; box-shadow: 1px 0 0 #d1d5db; }
table.matrix tr > th:first-child, table.details tr > th:first-child { background: #f9fafb; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
p.lead { color: #374151; max-width: 60rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d1d5db; padding: .4rem .6rem; vertical-align: top; text-align: left; }
th { background: #f9fafb; font-weight: 600; }
table.matrix td { min-width: 7rem; max-width: 13rem; }
table.matrix th.account small, table.matrix th.person small { display: block; font-weight: 400; color: #6b7280; }
td .level { font-weight: 700; display: block; }
td .via { font-size: .85rem; display: block; }
td .until { font-size: .8rem; display: block; font-weight: 600; }
td .evidence { font-size: .75rem; display: block; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; opacity: .85; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
table.details td { font-size: .9rem; }
table.details td:nth-child(3) { min-width: 11rem; }
table.details code { overflow-wrap: anywhere; }
${(Object.keys(LEVEL_COLOURS) as AccessLevel[])
  .map((l) => `.lvl-${l} { background: ${LEVEL_COLOURS[l].background}; color: ${LEVEL_COLOURS[l].text}; }`)
  .join('\n')}
`.trim();

export function renderAccessHtml(report: AccessReport): string {
  const index = new ReportIndex(report);
  const small = drawsPeopleMatrix(report);
  const e = escapeHtml;
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push('<html lang="en">');
  out.push('<head>');
  out.push('<meta charset="utf-8">');
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(`<title>Access matrix: ${e(report.organization)}</title>`);
  out.push(`<style>\n${CSS}\n</style>`);
  out.push('</head>');
  out.push('<body>');
  out.push(`<h1>Access matrix: ${e(report.organization)}</h1>`);
  out.push(
    '<p class="lead">Who can reach which AWS account, and how far. Each cell gives the person&#39;s highest access level on the account, ' +
      'the functions (and pipelines) that give it, and one action that proves the level. ' +
      'Access is transitive: <em>admin</em> where people live lets one join any function; <em>admin</em> on the management account, ' +
      'or assuming its deploy role, is <em>admin</em> on every member account. ' +
      'A pipeline counts as <em>admin</em> on every account whose stack it applies: whoever can change what it applies holds what its apply credentials hold. ' +
      (timeBound(report)
        ? 'A cell held only through grants or memberships that end says <em>until</em> the instant (and the level that remains): IAM refuses the assume after it, applied or not. '
        : '') +
      `Generated by <code>npx --no-install rolecall access --format html</code>; report schema version ${report.schemaVersion}.</p>`,
  );

  out.push('<h2>Legend</h2>');
  out.push('<table class="legend"><tr><th>level</th><th>meaning</th></tr>');
  for (const level of report.levels) {
    out.push(`<tr><td class="lvl-${level}"><span class="level">${level}</span></td><td>${e(LEVEL_COLOURS[level].meaning)}</td></tr>`);
  }
  out.push('</table>');

  const header = () => {
    for (const a of report.accounts) {
      const sub = [a.master ? 'master' : '', a.identity ? 'identity' : '', a.id ?? 'no id yet', `data: ${a.data}`, a.environment]
        .filter(Boolean)
        .join(' · ');
      out.push(`<th class="account" scope="col">${e(a.name)}<small>${e(sub)}</small></th>`);
    }
  };
  const td = (
    c: (Parameters<typeof cellSummary>[0] & { evidence?: { action: string; level: string; path: string } | null }) | undefined,
    skip?: string,
  ) => {
    const summary = cellSummary(c);
    const { level, via } = summary;
    const until = untilText(summary);
    const shown = via.filter((v) => v !== skip);
    const evidence = c?.evidence ? `<span class="evidence">${e(c.evidence.action)}</span>` : '';
    const title = c?.evidence ? ` title="${e(`${c.evidence.action} (${c.evidence.level}) through ${c.evidence.path}`)}"` : '';
    return (
      `<td class="lvl-${level}"${title}><span class="level">${level}</span>` +
      (until ? `<span class="until">${e(until)}</span>` : '') +
      (shown.length > 0 ? `<span class="via">${e(shown.join(', '))}</span>` : '') +
      `${evidence}</td>`
    );
  };
  if (report.people.length > 0 && small) {
    out.push('<h2>People &times; accounts</h2>');
    out.push('<table class="matrix">');
    out.push('<thead><tr><th>person</th>');
    header();
    out.push('</tr></thead>');
    out.push('<tbody>');
    for (const person of report.people) {
      out.push(`<tr><th class="person" scope="row">${e(person.name)}<small>${e(person.displayName)}</small></th>`);
      for (const account of report.accounts) out.push(td(index.cell(person, account.name)));
      out.push('</tr>');
    }
    out.push('</tbody></table>');
  }

  if (report.people.length > 0 && !small) {
    out.push('<h2>People</h2>');
    out.push(
      `<p>${report.people.length} people &times; ${report.accounts.length} accounts: too many for one table. A person holds what their functions hold ` +
        '(see below), what the pipelines they change hold, and the transitive paths listed here. One person in full: <code>npx --no-install rolecall explain PERSON</code>.</p>',
    );
    out.push(
      '<table class="details"><thead><tr><th>person</th><th>functions</th><th>pipelines</th><th>transitive</th></tr></thead><tbody>',
    );
    for (const person of report.people) {
      out.push(
        `<tr><td>${e(person.name)} <small>${e(person.displayName)}</small></td><td>${e(person.functions.map((f) => (person.until?.[f] ? `${f} (until ${person.until[f]})` : f)).join(', '))}</td>` +
          `<td>${e(person.pipelines.map((p) => p.pipeline).join(', '))}</td><td>${e(transitiveText(person.transitive))}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }

  out.push('<h2>Who holds write or more</h2>');
  out.push('<table class="details"><thead><tr><th>account</th><th>data</th><th>write or more</th></tr></thead><tbody>');
  const holders = writeHolders(report);
  for (const a of report.accounts)
    out.push(`<tr><td>${e(a.name)}</td><td>${e(a.data)}</td><td>${e(holdersText(holders.get(a.name)!))}</td></tr>`);
  out.push('</tbody></table>');

  if (report.accounts.length > FULL_FUNCTION_COLUMNS) {
    out.push('<h2>Functions</h2>');
    out.push('<p>What each function holds on its own, members or not: the accounts it reaches, by level.</p>');
    out.push('<table class="details"><thead><tr><th>function</th><th>members</th><th>accounts by level</th></tr></thead><tbody>');
    for (const fn of report.functions) {
      const byLevel = new Map<string, string[]>();
      for (const cell of index.cellsOf(index.functionHolder(fn))) {
        const until = untilText(cellSummary(cell));
        byLevel.set(cell.level, [...(byLevel.get(cell.level) ?? []), `${cell.account}${until ? ` (${until})` : ''}`]);
      }
      const levels = [...report.levels].reverse().filter((l) => byLevel.has(l));
      const text =
        levels
          .map((l) => `<span class="lvl-${l}">${l}</span> (${byLevel.get(l)!.length}): ${e(byLevel.get(l)!.join(', '))}`)
          .join('<br>') || 'none';
      out.push(`<tr><td>${e(fn.name)}</td><td>${fn.members.length}</td><td>${text}</td></tr>`);
    }
    out.push('</tbody></table>');
  } else {
    out.push('<h2>Functions &times; accounts</h2>');
    out.push('<p>What each function holds on its own, members or not.</p>');
    out.push('<table class="matrix">');
    out.push('<thead><tr><th>function</th>');
    header();
    out.push('</tr></thead>');
    out.push('<tbody>');
    for (const fn of report.functions) {
      out.push(
        `<tr><th class="person" scope="row">${e(fn.name)}<small>${e(fn.members.length > 0 ? fn.members.join(', ') : 'no members')}</small></th>`,
      );
      for (const account of report.accounts) out.push(td(index.cell(index.functionHolder(fn), account.name), fn.name));
      out.push('</tr>');
    }
    out.push('</tbody></table>');
  }

  out.push('<h2>Paths and evidence</h2>');
  // Without people, the functions' own cells are the evidence (an organisation described by roles).
  const byPerson = report.people.length > 0 && small;
  out.push(
    `<table class="details"><thead><tr><th>${byPerson ? 'person' : 'function'}</th><th>account</th><th>path</th><th>role</th><th>permission sets</th><th>level</th><th>evidence</th></tr></thead><tbody>`,
  );
  const evidenceCells = index.evidenceRows(byPerson);
  for (const { who, cell } of evidenceCells) {
    for (const path of cell.paths) {
      const lvl = `<td class="lvl-${path.level}">${path.level}</td>`;
      const ev = `<td>${path.evidence ? `<code>${e(path.evidence.action)}</code>` : ''}</td>`;
      const [via, role, sets] = htmlPathColumns(path);
      out.push(`<tr><td>${e(who)}</td><td>${e(cell.account)}</td><td>${via}</td><td>${role}</td><td>${sets}</td>${lvl}${ev}</tr>`);
    }
  }
  out.push('</tbody></table>');

  if (report.principals.length > 0) {
    out.push('<h2>Machine principals</h2>');
    out.push(
      '<table class="details"><thead><tr><th>principal</th><th>account</th><th>function</th><th>role</th><th>level</th><th>evidence</th></tr></thead><tbody>',
    );
    for (const p of report.principals) {
      out.push(
        `<tr><td><code>${escapeHtml(p.principal)}</code></td><td>${escapeHtml(p.account)}</td><td>${escapeHtml(p.function)}</td>` +
          `<td><code>${escapeHtml(p.role === '' ? '(none: transitive)' : (p.roleArn ?? p.role))}</code></td><td class="lvl-${p.level}">${p.level}</td>` +
          `<td>${p.evidence ? `<code>${escapeHtml(p.evidence.action)}</code> through ${escapeHtml(p.path)}` : ''}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }

  if (report.pipelines.length > 0) {
    out.push('<h2>Pipelines</h2>');
    out.push('<table><thead><tr><th>pipeline</th><th>applies to</th><th>changers</th></tr></thead><tbody>');
    for (const p of report.pipelines) {
      const changers = small
        ? report.people.filter((x) => x.pipelines.some((y) => y.pipeline === p.name)).map((x) => x.name)
        : report.functions.filter((f) => f.pipelines.includes(p.name)).map((f) => `function ${f.name} (${f.members.length} members)`);
      out.push(
        `<tr><td>${e(p.name)}</td><td>${e(p.accounts.join(', ') || '(none)')}</td><td>${e(changers.join(', ') || '(nobody)')}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  out.push('</body>');
  out.push('</html>');
  out.push('');
  // Every table in its own scroll container (no text from the file can hold "<table": it is escaped).
  // Focusable, so a keyboard can scroll it too.
  return out
    .join('\n')
    .replace(/<table\b/g, '<div class="scroll" tabindex="0"><table')
    .replace(/<\/table>/g, '</table></div>');
}

/** A details row's path, role and permission-set cells (escaped HTML). */
function htmlPathColumns(path: ReportPath): [string, string, string] {
  const e = escapeHtml;
  const code = (t: string) => `<code>${e(t)}</code>`;
  const sets = (p: Extract<ReportPath, { permissionSets: unknown }>) =>
    p.permissionSets.map((s) => `${e(s.name)}: ${s.level}${s.evidence ? ` (${code(s.evidence.action)})` : ''}`).join('<br>');
  switch (path.kind) {
    case 'function':
      return [
        `function ${e(path.function)} (group ${e(path.group)})${path.until ? ` (until ${e(path.until)})` : ''}`,
        code(roleText(path, 'no account id yet')),
        sets(path),
      ];
    case 'pipeline':
      return [
        `pipeline ${e(path.pipeline)} (member of changer function ${e(path.changer.name)})`,
        path.credentials.kind === 'ambient'
          ? 'the runner&#39;s own credentials'
          : code(path.credentials.roleArn ?? path.credentials.role ?? 'its apply role'),
        'everything the pipeline applies',
      ];
    case 'chain':
      return [
        `chain: ${e(chainText(path.chain))}${path.until ? ` (until ${e(path.until)})` : ''}${path.undecided ? ' (leans on a condition rolecall cannot decide)' : ''}`,
        code(path.roleArn ?? path.chain[path.chain.length - 1]?.label ?? ''),
        `what ${e(path.chain[path.chain.length - 1]?.label ?? 'it')} holds`,
      ];
  }
}
