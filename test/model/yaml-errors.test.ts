/**
 * YAML syntax errors in rolecall's words (issue 19.5): each at the mistake,
 * with a stable code and a fix that is itself valid YAML (the test applies
 * it and parses again); one tab is one error, not a cascade; every error
 * code of the `yaml` package has words, and an unknown one still gets a
 * located message.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { parseDocument } from 'yaml';
import { parseSource } from '../../src/model/source';
import { translateYamlErrors, YAML_ERROR_WORDS } from '../../src/model/yaml-errors';

const ROOT = path.join(__dirname, '..', '..');
const ORG = fs.readFileSync(path.join(ROOT, 'config', 'org.yaml'), 'utf8');

/** config/org.yaml with line `n` (1-based) rewritten. */
function orgWith(n: number, edit: (line: string) => string): string {
  const lines = ORG.split('\n');
  const before = lines[n - 1];
  lines[n - 1] = edit(before);
  expect(lines[n - 1]).not.toBe(before);
  return lines.join('\n');
}

const problems = (text: string) => parseSource(text, 'org.yaml').diagnostics.map(formatDiagnostic);
const clean = (text: string) => expect(parseSource(text, 'org.yaml').diagnostics).toEqual([]);

describe('the examples of issue 19.5', () => {
  it('a key without its colon: RC014 at the key, the fix adds the colon', () => {
    const text = 'version: 1\naccounts:\n  master\n    id: "111111111111"\n';
    expect(problems(text)).toEqual([
      'org.yaml:3:3: error RC014: (top level): "master" has no ":" after it, so YAML reads it and the indented line below as one key over two lines\n' +
        '  expected: key: value, or key: followed by indented lines\n' +
        '  fix: write "master:"',
    ]);
    clean(text.replace('  master\n', '  master:\n'));
  });

  it('a key without its colon inside config/org.yaml is one error, not one per misaligned line below it', () => {
    expect(
      parseSource(
        orgWith(19, (l) => l.replace('master:', 'master')),
        'org.yaml',
      ).diagnostics.map((d) => [d.code, d.line, d.col, d.fix]),
    ).toEqual([['RC014', 19, 3, 'write "master:"']]);
  });

  it('a value with ": " in it (nested mappings in a compact mapping): RC015, the fix quotes it', () => {
    const text = orgWith(10, (l) => l.replace('name: acme', 'name: acme: corp'));
    expect(problems(text)).toEqual([
      'org.yaml:10:9: error RC015: (top level): the value "acme: corp" holds ": ", which YAML reads as a second key on the same line\n' +
        '  expected: one key per line; a map goes on the lines below its key, indented\n' +
        '  fix: quote it if it is text: name: "acme: corp"; a map goes on the lines below "name:", indented',
    ]);
    clean(orgWith(10, (l) => l.replace('name: acme', 'name: "acme: corp"')));
  });

  it('an unclosed [ is reported at the bracket, on its own line, not one line late', () => {
    const text = orgWith(36, (l) => l.replace('[s3]', '[s3'));
    expect(problems(text)).toEqual([
      'org.yaml:36:15: error RC013: (top level): the list opened with "[" on line 36 is never closed\n' +
        '  expected: a "]" after its last item\n' +
        '  fix: close it on its line: services: [s3]',
    ]);
    expect(ORG.split('\n')[35]).toBe('    services: [s3]');
  });

  it('an unclosed { likewise, and the fixture that was 5:1 is now 4:11', () => {
    expect(problems(orgWith(29, (l) => l.replace('platform }', 'platform')))).toEqual([
      'org.yaml:29:11: error RC013: (top level): the map opened with "{" on line 29 is never closed\n' +
        '  expected: a "}" after its last item\n' +
        '  fix: close it on its line: tags: { cost-center: platform }',
    ]);
    const fixture = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'model', 'invalid', 'yaml-syntax.yaml'), 'utf8');
    expect(parseSource(fixture, 'f.yaml').diagnostics.map((d) => [d.code, d.line, d.col, d.fix])).toEqual([
      ['RC013', 4, 11, 'close it on its line: region: [eu-west-1]'],
    ]);
    clean(fixture.replace('[eu-west-1', '[eu-west-1]'));
  });

  it('a tab in the indentation is ONE error at the tab, fix "indent with spaces", not a cascade over the lines below', () => {
    const text = orgWith(21, (l) => l.replace(/^ {4}/, '\t'));
    expect(problems(text)).toEqual([
      'org.yaml:21:1: error RC012: (top level): a tab in the indentation: YAML indents with spaces only, and the lines after a tab no longer line up\n' +
        '  expected: spaces before each key and list item\n' +
        '  fix: indent with spaces: 4 spaces before data: internal',
    ]);
    // Spaces and a tab: the column is the tab's.
    expect(
      parseSource(
        orgWith(21, (l) => l.replace(/^ {4}/, '  \t')),
        'org.yaml',
      ).diagnostics.map((d) => [d.code, d.line, d.col]),
    ).toEqual([['RC012', 21, 3]]);
  });

  it('a file indented with tabs throughout: one error per tab line, each fix one level of two spaces', () => {
    const text = 'version: 1\naccounts:\n\tmaster:\n\t\tid: "1"\n\tprod:\n\t\tid: "2"\n';
    expect(parseSource(text, 'org.yaml').diagnostics.map((d) => [d.code, d.line, d.col, d.fix])).toEqual([
      ['RC012', 3, 1, 'indent with spaces: 2 spaces before master:'],
      ['RC012', 4, 1, 'indent with spaces: 4 spaces before id: "1"'],
      ['RC012', 5, 1, 'indent with spaces: 2 spaces before prod:'],
      ['RC012', 6, 1, 'indent with spaces: 4 spaces before id: "2"'],
    ]);
    clean(text.replace(/\t/g, '  '));
  });

  it('beside a tab, a mistake of its own elsewhere is still reported', () => {
    const text = orgWith(36, (l) => l.replace('[s3]', '[s3'))
      .split('\n')
      .map((l, i) => (i === 20 ? l.replace(/^ {4}/, '\t') : l))
      .join('\n');
    expect(parseSource(text, 'org.yaml').diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ['RC012', 21, 1],
      ['RC013', 36, 15],
    ]);
  });
});

describe('the other shapes', () => {
  const cases: Array<[string, string, [string, number, number], string | undefined]> = [
    // [name, text, [code, line, col], fixed text that must parse clean]
    ['misaligned key', 'a:\n  b: 1\n c: 2\n', ['RC016', 3, 2], 'a:\n  b: 1\n  c: 2\n'],
    ['misaligned list item', 'a:\n  - 1\n - 2\n', ['RC016', 3, 2], 'a:\n  - 1\n  - 2\n'],
    ['unclosed double quote', 'a: 1\nb: "open\n', ['RC017', 2, 4], 'a: 1\nb: "open"\n'],
    ['unclosed single quote', "a: 'x\n", ['RC017', 1, 4], "a: 'x'\n"],
    ['unclosed [ at the top level', '[a, b\n', ['RC013', 1, 1], '[a, b]\n'],
    ['bad escape', 'a: "\\q"\n', ['RC005', 1, 5], 'a: "\\\\q"\n'],
    ['reserved first character', 'a: @x\n', ['RC005', 1, 4], 'a: "@x"\n'],
    ['block list inside [ ]', 'a: [\n - x\n]\n', ['RC005', 2, 2], 'a: [x]\n'],
    ['two anchors', 'a: &x &y 1\n', ['RC005', 1, 7], 'a: &x 1\n'],
    ['two tags', 'a: !!str !!str 1\n', ['RC005', 1, 10], 'a: !!str 1\n'],
    ['empty anchor', 'a: & 1\n', ['RC005', 1, 4], 'a: 1\n'],
    ['alias with a tag', 'a: &x 1\nb: !!str *x\n', ['RC005', 2, 10], 'a: &x 1\nb: *x\n'],
    ['comment without a space', 'a: "x"#c\n', ['RC005', 1, 7], 'a: "x" #c\n'],
    ['stray ]', 'a: 1\n]\n', ['RC005', 2, 1], 'a: 1\n'],
    ['empty item', 'a: [1,,2]\n', ['RC005', 1, 7], 'a: [1, 2]\n'],
    ['key over 1,024 characters', `${'a'.repeat(1100)}: 1\n`, ['RC005', 1, 1], 'a: 1\n'],
    ['a list as a key', '? [a]\n: 1\n', ['RC005', 1, 3], 'a: 1\n'],
  ];
  for (const [name, text, [code, line, col], fixed] of cases) {
    it(`${name}: ${code} at ${line}:${col}, in plain words with a fix`, () => {
      const found = parseSource(text, 'org.yaml').diagnostics;
      expect(found.map((d) => [d.code, d.line, d.col])).toEqual([[code, line, col]]);
      // rolecall's words, not only the package's: a sentence of its own and a fix.
      expect(found[0].message).not.toMatch(/^YAML syntax error: [A-Z]/);
      expect(found[0].fix).toEqual(expect.any(String));
      if (fixed !== undefined) clean(fixed);
    });
  }
});

describe('cascades and cost', () => {
  it("a map's first key out of line is reported at that key, not at each right key after it", () => {
    const text = 'people:\n  ann:\n     name: Ann\n    email: ann@x.example\n    functions: [a]\n';
    expect(parseSource(text, 'org.yaml').diagnostics.map((d) => [d.code, d.line, d.col, d.message, d.fix])).toEqual([
      ['RC016', 3, 6, 'this key does not line up with the keys after it', 'indent it 4 spaces, as line 4 is: name: Ann'],
    ]);
    clean(text.replace('     name', '    name'));
  });

  it('keys the broken tree repeats after a syntax error are not reported as duplicates; one before it is', () => {
    const people = Array.from({ length: 3 }, (_, i) => `  u${i}:\n${i === 1 ? '     ' : '    '}name: U\n    email: u@x.example\n`).join('');
    const found = parseSource(`people:\n${people}`, 'org.yaml').diagnostics.map((d) => d.code);
    expect(found).toEqual(['RC016']);
    const before = parseSource(`a: 1\na: 2\npeople:\n${people}`, 'org.yaml').diagnostics.map((d) => d.code);
    expect(before.sort()).toEqual(['RC006', 'RC016']);
  });

  it('checking fixes re-parses a bounded amount of text: a large file with many errors costs a few parses, not one per error', () => {
    const lines = ['people:'];
    for (let i = 0; i < 2000; i++) lines.push(`  u${i}:`, `${i % 100 === 7 ? '     ' : '    '}name: U ${i}`, `    email: u${i}@x.example`);
    const text = lines.join('\n');
    let parsed = 0;
    let count = 0;
    const counting = (candidate: string) => {
      count++;
      parsed += candidate.length;
      return parseDocument(candidate, { uniqueKeys: false }).errors.map((e) => ({ code: e.code, message: e.message, offset: e.pos[0] }));
    };
    const errors = Array.from({ length: 20 }, (_, k) => ({
      code: 'BAD_INDENT',
      message: 'All mapping items must start at the same column',
      offset: text.indexOf(`    email: u${k * 100 + 7}@`),
    }));
    const found = translateYamlErrors(text, errors, counting, 12, 1_000_000);
    expect(found).toHaveLength(20);
    expect(parsed).toBeLessThanOrEqual(Math.max(1_000_000, 3 * text.length));
    expect(count).toBeGreaterThan(0);
  });
});

describe('the message table', () => {
  it('has words for every error code the yaml package declares (node_modules/yaml/dist/errors.d.ts)', () => {
    const declared = fs.readFileSync(path.join(ROOT, 'node_modules', 'yaml', 'dist', 'errors.d.ts'), 'utf8');
    const union = /export type ErrorCode = ([^;]+);/.exec(declared)![1];
    const codes = [...union.matchAll(/'([A-Z0-9_]+)'/g)].map((m) => m[1]).sort();
    expect(codes.length).toBeGreaterThan(20);
    expect(Object.keys(YAML_ERROR_WORDS).sort()).toEqual(codes);
    for (const words of Object.values(YAML_ERROR_WORDS)) expect(words.fix).toEqual(expect.any(String));
  });

  it('an error code it does not know still becomes a located RC005, in the package text', () => {
    const found = translateYamlErrors(
      'a: 1\nb: 2\n',
      [{ code: 'SOMETHING_NEW', message: 'Something  new\nhappened', offset: 6 }],
      () => [],
    );
    expect(found).toEqual([
      {
        line: 2,
        col: 2,
        message: { code: 'RC005', message: 'YAML syntax error: Something new happened', fix: 'check this line against the YAML around it' },
      },
    ]);
  });
});
