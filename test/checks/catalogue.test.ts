/**
 * Codes are a contract: every diagnostic has one, each is in the catalogue
 * (src/checks/catalogue.ts) and in docs/diagnostics.md with an example, and
 * none is used for two things.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CATALOGUE, codeInfo } from '../../src/checks/catalogue';
import { RULES } from '../../src/checks';
import { ruleCodes as codesOf } from '../../src/checks/rule';
import { compileOrgText } from '../../src/plan/compile';
import type { Diagnostic } from '../../src/model/diagnostics';

const ROOT = path.join(__dirname, '..', '..');
const CODES = CATALOGUE.map((c) => c.code);

function filesUnder(dir: string, pattern: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p, pattern) : pattern.test(e.name) ? [p] : [];
  });
}

/** The codes the source raises: every 'RC123' literal outside the catalogue itself (messages, rule files). */
function codesInSource(): Set<string> {
  const found = new Set<string>();
  for (const file of filesUnder(path.join(ROOT, 'src'), /\.ts$/)) {
    if (file.endsWith(path.join('checks', 'catalogue.ts'))) continue;
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/'(RC\d{3})'/g)) found.add(m[1]);
  }
  return found;
}

describe('the catalogue', () => {
  it('has unique, well-formed codes in ascending order', () => {
    expect(new Set(CODES).size).toBe(CODES.length);
    for (const code of CODES) expect(code).toMatch(/^RC\d{3}$/);
    expect([...CODES].sort()).toEqual(CODES);
  });

  it('lists exactly the codes the source raises (retired ones are raised nowhere)', () => {
    const live = CATALOGUE.filter((c) => !c.retired).map((c) => c.code);
    expect([...codesInSource()].sort()).toEqual([...live].sort());
  });

  it('every plan-level rule names catalogue codes raised by rules, and every such code has a rule', () => {
    const ruleCodes = RULES.flatMap(codesOf);
    expect(new Set(ruleCodes).size).toBe(ruleCodes.length);
    for (const code of ruleCodes) expect(codeInfo(code)?.layer).toBe('rule');
    expect(CATALOGUE.filter((c) => c.layer === 'rule').map((c) => c.code)).toEqual([...ruleCodes].sort());
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
});

describe('docs/diagnostics.md', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'diagnostics.md'), 'utf8');
  const sections = doc.split(/^#### /m).slice(1);
  /** Each code heading with the group (`### ...`) it is under. */
  const placed = doc
    .split(/^### /m)
    .slice(1)
    .flatMap((group) => {
      const heading = group.split('\n')[0];
      return [...group.matchAll(/^#### (RC\d{3}) /gm)].map((m) => ({ code: m[1], group: heading }));
    });
  const LOADER_GROUPS: Record<string, string> = { source: 'The loader', schema: 'The schema', references: 'The reference checks' };

  it('has one section per code, titled as in the catalogue, ascending within each group', () => {
    const titles = sections.map((s) => s.split('\n')[0]);
    expect([...titles].sort()).toEqual(CATALOGUE.map((c) => `${c.code} ${c.title}`));
    for (const group of new Set(placed.map((p) => p.group))) {
      const codes = placed.filter((p) => p.group === group).map((p) => p.code);
      expect([...codes].sort()).toEqual(codes);
    }
  });

  it('groups each code under what raises it: its rule (id and title), or the loader layer', () => {
    for (const { code, group } of placed) {
      const info = codeInfo(code)!;
      const rule = RULES.find((r) => codesOf(r).includes(code));
      expect({ code, group }).toEqual({
        code,
        group: rule ? `Rule \`${rule.id}\`: ${rule.title}` : LOADER_GROUPS[info.layer],
      });
    }
  });

  it('gives each code an example printed with that code (a retired one says it is retired)', () => {
    for (const section of sections) {
      const code = section.slice(0, 5);
      const info = codeInfo(code);
      if (info?.retired) {
        expect(section).toMatch(/\nRetired: no longer raised\./);
        continue;
      }
      const example = /```text\n([\s\S]*?)```/.exec(section);
      expect(example).not.toBeNull();
      expect(example![1]).toMatch(new RegExp(`^\\S+:\\d+:\\d+: ${info!.severity} ${code}: `, 'm'));
    }
  });
});

describe('no diagnostic without a code', () => {
  const yamlFiles = [...filesUnder(path.join(ROOT, 'test', 'fixtures'), /\.ya?ml$/), ...filesUnder(path.join(ROOT, 'config'), /\.ya?ml$/)];

  it('over every fixture and example file, each diagnostic has a catalogue code of its severity', () => {
    const seen: Diagnostic[] = [];
    for (const file of yamlFiles) seen.push(...compileOrgText(fs.readFileSync(file, 'utf8'), path.relative(ROOT, file)).diagnostics);
    expect(seen.length).toBeGreaterThan(50);
    for (const d of seen) {
      const info = codeInfo(d.code);
      expect({ code: d.code, known: info !== undefined, severity: info?.severity }).toEqual({
        code: d.code,
        known: true,
        severity: d.severity,
      });
    }
  });
});
