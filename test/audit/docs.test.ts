/**
 * docs/audit.md: the report it shows is the one `rolecall audit` prints for
 * the drift it describes (only the date differs), and every code the audit
 * raises is in its tables. ROLECALL_WRITE_DOCS=1 writes the real report into the doc.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FINDING_KINDS, INPUT_ERRORS } from '../../src/audit/findings';
import { documentedReport } from '../helpers/audit-doc';

const ROOT = path.join(__dirname, '..', '..');
const DOC = path.join(ROOT, 'docs', 'audit.md');

const noDate = (text: string) => text.replace(/^- Generated: .*$/m, '- Generated: DATE');

const BLOCK = /(<!-- audit-report:start -->\n```markdown\n)([\s\S]*?)(\n```\n<!-- audit-report:end -->)/;

test('the report in docs/audit.md is the real one (ROLECALL_WRITE_DOCS=1 rewrites it)', async () => {
  const doc = fs.readFileSync(DOC, 'utf8');
  const shown = BLOCK.exec(doc)?.[2];
  expect(shown).toBeDefined();
  const real = await documentedReport();
  if (process.env.ROLECALL_WRITE_DOCS === '1')
    fs.writeFileSync(
      DOC,
      doc.replace(BLOCK, (_m, a: string, _b, c: string) => a + real + c),
    );
  expect(noDate(shown!)).toBe(noDate(real));
});

test('every finding and input error code is documented, once, with its title', () => {
  const doc = fs.readFileSync(DOC, 'utf8');
  const codes = [...Object.values(FINDING_KINDS).map((k) => k.code), ...INPUT_ERRORS.map((e) => e.code)];
  expect(new Set(codes).size).toBe(codes.length);
  for (const code of codes) expect(doc.match(new RegExp(`^\\| ${code} \\|`, 'gm'))).toHaveLength(1);
  const raised = new Set<string>();
  for (const dir of ['src/audit', 'src/cli'])
    for (const file of fs.readdirSync(path.join(ROOT, dir)))
      for (const m of fs.readFileSync(path.join(ROOT, dir, file), 'utf8').matchAll(/'(RA\d{3})'/g)) raised.add(m[1]);
  for (const code of raised) expect(codes).toContain(code);
});
