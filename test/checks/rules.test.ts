/**
 * The conventions of src/checks/rule.ts: one rule per file, named
 * `<code>-<id>.ts`, exporting `rule`; every file in RULES; a rule's codes
 * written in its file and raised nowhere else.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../src/checks';
import { ruleCodes, type Rule } from '../../src/checks/rule';

const SRC = path.join(__dirname, '..', '..', 'src');
const RULES_DIR = path.join(SRC, 'checks', 'rules');
const FILES = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts'));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const codesIn = (file: string) => new Set([...fs.readFileSync(file, 'utf8').matchAll(/'(RC\d{3})'/g)].map((m) => m[1]));

describe('rule files', () => {
  it('every file under rules/ is one rule in RULES, named <code>-<id>.ts', () => {
    expect(FILES.length).toBe(RULES.length);
    for (const file of FILES) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { rule } = require(path.join(RULES_DIR, file)) as { rule: Rule };
      expect(`${rule.code.toLowerCase()}-${rule.id}.ts`).toBe(file);
      expect(RULES).toContain(rule);
    }
  });

  it('ids are unique kebab-case, RULES are ordered by code', () => {
    for (const r of RULES) expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    const order = RULES.map((r) => r.code);
    expect([...order].sort()).toEqual(order);
  });

  it("a rule's file writes exactly its codes, and no other source file (but the catalogue) writes them", () => {
    const owner = new Map<string, string>();
    for (const r of RULES) {
      const file = path.join(RULES_DIR, `${r.code.toLowerCase()}-${r.id}.ts`);
      expect([...codesIn(file)].sort()).toEqual(ruleCodes(r).sort());
      for (const code of ruleCodes(r)) owner.set(code, file);
    }
    for (const file of sourceFiles(SRC)) {
      if (file.startsWith(RULES_DIR) || file.endsWith(path.join('checks', 'catalogue.ts'))) continue;
      for (const code of codesIn(file)) expect({ file, code, owner: owner.get(code) }).toEqual({ file, code, owner: undefined });
    }
  });

  it('a rule with other codes says why in its file', () => {
    for (const r of RULES.filter((x) => (x.otherCodes ?? []).length > 0)) {
      const text = fs.readFileSync(path.join(RULES_DIR, `${r.code.toLowerCase()}-${r.id}.ts`), 'utf8');
      expect(text).toMatch(/One rule, (two|three|four|five) codes: /);
    }
  });
});
