/** docs/access-matrix.md is the example's matrix as `rolecall access --format md` renders it: never stale. */
import { readFileSync } from 'fs';
import * as path from 'path';
import { loadOrgFile } from '../../src/model/load';
import { buildAccessMatrix } from '../../src/plan/access';
import { buildAccessReport } from '../../src/report/access-json';
import { renderAccessMarkdown } from '../../src/report/access-markdown';
import { EDGE_KINDS } from '../../src/access/edges';

const ROOT = path.join(__dirname, '..', '..');

test('docs/access-matrix.md matches the example organisation (regenerate: npx rolecall access --out docs/access-matrix.md)', () => {
  const model = loadOrgFile(path.join(ROOT, 'config', 'org.yaml')).model!;
  const expected = renderAccessMarkdown(buildAccessReport(buildAccessMatrix(model)));
  expect(readFileSync(path.join(ROOT, 'docs', 'access-matrix.md'), 'utf8')).toBe(expected);
});

test('docs/access-report.md documents every top-level key of the JSON report', () => {
  const model = loadOrgFile(path.join(ROOT, 'config', 'org.yaml')).model!;
  const report = buildAccessReport(buildAccessMatrix(model), { cells: true });
  const doc = readFileSync(path.join(ROOT, 'docs', 'access-report.md'), 'utf8');
  for (const key of Object.keys(report)) expect(doc).toContain(`\`${key}\``);
  for (const key of Object.keys(report.cells![0])) expect(doc).toContain(`\`${key}\``);
  for (const list of [report.roles, report.pipelineAccess, report.people, report.functions]) {
    for (const key of Object.keys(list[0])) expect(doc).toContain(`\`${key}\``);
  }
  const groups = report.people.flatMap((p) => p.transitive);
  for (const key of new Set(groups.flatMap((g) => Object.keys(g)))) expect(doc).toContain(`\`${key}\``);
  expect(doc).toContain(`\`schemaVersion\` is \`${report.schemaVersion}\``);
});

test('docs/access-report.md lists every edge kind of the access engine, what it cannot decide and what is left out', () => {
  const doc = readFileSync(path.join(ROOT, 'docs', 'access-report.md'), 'utf8');
  // One row of the edge table per module of src/access/edges/: a new kind is documented or this fails.
  for (const { kind } of EDGE_KINDS) expect(doc).toContain(`| \`${kind}\` |`);
  expect(doc).toContain('**What the evaluator decides, and how it errs.**');
  expect(doc).toContain('**Still left out, and why each is safe:**');
});
