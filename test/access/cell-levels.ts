/**
 * Cell levels before and after a change to the matrix (issue 16): every
 * person x account and function x account cell level, and every machine
 * principal's, on config/, the test fixtures and generated org files
 * (test/helpers/gen-org.ts), with a hash of each file's JSON (compact and
 * --cells), Markdown, HTML and explain output, so a refactor can show it is
 * byte-identical and a change of rules can count the cells it moves.
 *
 *   node bin/run-ts.js test/access/cell-levels.ts snap before.json [seeds=200]
 *   node bin/run-ts.js test/access/cell-levels.ts compare before.json after.json
 */
import { createHash } from 'crypto';
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { ACCESS_LEVELS, type AccessLevel } from '../../src/model/schema';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { compileOrgText } from '../../src/plan/compile';
import { buildAccessReport, renderAccessJson } from '../../src/report/access-json';
import { renderAccessMarkdown } from '../../src/report/access-markdown';
import { renderAccessHtml } from '../../src/report/access-html';
import { renderExplain } from '../../src/report/explain';
import { generateOrg } from '../helpers/gen-org';

const ROOT = path.join(__dirname, '..', '..');
const DIRS = ['config', 'test/fixtures/access', 'test/fixtures/model/valid', 'test/fixtures/review', 'test/fixtures/lifecycle'];

interface Snapshot {
  invalid?: true;
  hashes: Record<string, string>;
  cells: Record<string, AccessLevel>;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

function cases(seeds: number): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  for (const dir of DIRS) {
    for (const f of readdirSync(path.join(ROOT, dir))
      .filter((f) => f.endsWith('.yaml'))
      .sort())
      out.push({ name: `${dir}/${f}`, text: readFileSync(path.join(ROOT, dir, f), 'utf8') });
  }
  for (let seed = 1; seed <= seeds; seed++) out.push({ name: `seed ${seed}`, text: generateOrg(seed).text });
  return out;
}

function snapshot(text: string, name: string): Snapshot {
  const compiled = compileOrgText(text, name);
  const diagnostics = hash(compiled.diagnostics.map(formatDiagnostic).join('\n'));
  const found = compiled.ok ? compiled : compiled.breached;
  if (!found) return { invalid: true, hashes: { diagnostics }, cells: {} };
  const m = found.matrix;
  const cells: Record<string, AccessLevel> = {};
  let explained = '';
  for (const a of m.accounts) {
    for (const p of m.people) {
      const cell = m.cell(p.name, a.name);
      if (cell.level !== 'none') cells[`person ${p.name}@${a.name}`] = cell.level;
      explained += renderExplain(m, cell);
    }
    for (const f of m.functions) {
      const cell = m.functionCell(f.name, a.name);
      if (cell.level !== 'none') cells[`function ${f.name}@${a.name}`] = cell.level;
      explained += renderExplain(m, cell);
    }
  }
  for (const p of m.principals) cells[`principal ${p.principal} (${p.function})@${p.account}`] = p.level;
  const report = buildAccessReport(m, { cells: true });
  return {
    hashes: {
      diagnostics,
      json: hash(renderAccessJson(buildAccessReport(m))),
      cells: hash(renderAccessJson(report)),
      markdown: hash(renderAccessMarkdown(report)),
      html: hash(renderAccessHtml(report)),
      explain: hash(explained),
    },
    cells,
  };
}

function compare(before: Record<string, Snapshot>, after: Record<string, Snapshot>): void {
  const rank = (level: AccessLevel | undefined) => ACCESS_LEVELS.indexOf(level ?? 'none');
  let same = 0;
  let higher = 0;
  const lower: string[] = [];
  const changedOutputs = new Set<string>();
  for (const [name, b] of Object.entries(before)) {
    const a = after[name];
    if (a === undefined) continue;
    for (const [k, v] of Object.entries(b.hashes)) if (a.hashes[k] !== v) changedOutputs.add(`${name}: ${k}`);
    for (const key of new Set([...Object.keys(b.cells), ...Object.keys(a.cells)])) {
      const d = rank(a.cells[key]) - rank(b.cells[key]);
      if (d === 0) same++;
      else if (d > 0) higher++;
      else lower.push(`${name} ${key}: ${b.cells[key]} -> ${a.cells[key] ?? 'none'}`);
    }
  }
  console.log(`cells: ${same} same, ${higher} higher, ${lower.length} lower; outputs changed: ${changedOutputs.size}`);
  for (const line of lower) console.log(`  lower: ${line}`);
  for (const line of [...changedOutputs].slice(0, 40)) console.log(`  changed: ${line}`);
}

const [command, first, second] = process.argv.slice(2);
if (command === 'snap' && first) {
  const out: Record<string, Snapshot> = {};
  for (const c of cases(Number(second ?? 200))) out[c.name] = snapshot(c.text, c.name);
  writeFileSync(first, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`${Object.keys(out).length} files`);
} else if (command === 'compare' && first && second) {
  compare(JSON.parse(readFileSync(first, 'utf8')), JSON.parse(readFileSync(second, 'utf8')));
} else {
  console.error('usage: cell-levels.ts snap OUT.json [seeds] | compare BEFORE.json AFTER.json');
  process.exit(2);
}
