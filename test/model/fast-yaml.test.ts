/**
 * The loader's fast YAML path (src/model/fast-yaml.ts) against `yaml`: for
 * every file it accepts, the same data, the same line:col for every key
 * path and the same scalar source; everything outside its subset goes to
 * `yaml`, so errors keep their positions and codes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { DEFAULT_GEN, generateOrgYaml, rng } from '../../bench/gen';
import type { KeyPath } from '../../src/model/diagnostics';
import { parseFastYaml, resolvePlain } from '../../src/model/fast-yaml';
import { parseSource, type ParsedSource } from '../../src/model/source';

/** Every key path in the data: each map key and list index, depth first. */
function paths(data: unknown, prefix: KeyPath = []): KeyPath[] {
  const out: KeyPath[] = [prefix];
  if (Array.isArray(data)) data.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (data !== null && typeof data === 'object')
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) out.push(...paths(v, [...prefix, k]));
  return out;
}

/** Fast and `yaml` agree on data, diagnostics, positions and scalar sources (and on paths that do not exist). */
function expectSameAsYaml(text: string): { fast: ParsedSource; slow: ParsedSource } {
  const fast = parseSource(text, 'org.yaml');
  const slow = parseSource(text, 'org.yaml', { fast: false });
  expect(fast.diagnostics).toEqual(slow.diagnostics);
  expect(fast.fatal).toBe(slow.fatal);
  expect(fast.data).toEqual(slow.data);
  // Key order too: reports and messages list keys in file order.
  expect(JSON.stringify(fast.data)).toBe(JSON.stringify(slow.data));
  // One expect for every query (thousands per file): the queries where the two differ, each with both answers.
  const queries = paths(slow.data).flatMap((p) => [p, [...p, 'missing'], [...p, 99]]);
  const answers = (s: ParsedSource) => queries.map((q) => ({ q, at: s.locate(q), source: s.scalarSource(q) }));
  const [f, sl] = [answers(fast), answers(slow)];
  const differ = queries.flatMap((_, i) => (isDeepStrictEqual(f[i], sl[i]) ? [] : [i]));
  expect(differ.map((i) => f[i])).toEqual(differ.map((i) => sl[i]));
  return { fast, slow };
}

const ROOT = path.resolve(__dirname, '..', '..');
function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

describe('fast YAML path', () => {
  it('reads every example org file and the bench org itself, exactly as yaml does', () => {
    const files = yamlFiles(path.join(ROOT, 'config'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      expect({ file, fast: parseFastYaml(text) !== undefined }).toEqual({ file, fast: true });
      expectSameAsYaml(text);
    }
    const bench = generateOrgYaml({ ...DEFAULT_GEN, accounts: 40, people: 200 });
    expect(parseFastYaml(bench)).toBeDefined();
    expectSameAsYaml(bench);
  });

  it('agrees with yaml on every test fixture (fast or not)', () => {
    const files = yamlFiles(path.join(ROOT, 'test', 'fixtures'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expectSameAsYaml(fs.readFileSync(file, 'utf8'));
  });

  it('resolves plain scalars with the core schema, as yaml does', () => {
    const cases = [
      '',
      '~',
      'null',
      'Null',
      'NULL',
      'nULL',
      'true',
      'True',
      'TRUE',
      'tRUE',
      'false',
      'yes',
      'no',
      'on',
      '0',
      '-0',
      '+12',
      '012345678901',
      '0o17',
      '0o18',
      '0x1F',
      '0X1F',
      '0xg',
      '1e3',
      '-1.5E-2',
      '.5',
      '5.',
      '1.0',
      '.inf',
      '-.Inf',
      '+.INF',
      '.nan',
      '.NaN',
      'nan',
      '1_000',
      '1h',
      '12h',
      '1.2.3',
      '-',
      '-foo',
      'n',
      't',
      'f',
      '~x',
      '9007199254740993',
    ];
    for (const s of cases) {
      const text = `k: ${s}\n`;
      const slow = parseSource(text, 'a.yaml', { fast: false });
      if (s === '' || s === '-') continue; // not a plain scalar after `k: `
      expect({ s, value: resolvePlain(s) }).toEqual({ s, value: (slow.data as { k: unknown }).k });
    }
  });

  it('takes the shapes org files use', () => {
    const text = [
      '# comment',
      'version: 1',
      'organization:',
      '  name: acme # trailing comment',
      '  empty:',
      '  nothing: # comment only',
      '  "quoted key": "quoted # not a comment"',
      "  'single': 'it''s'",
      '  aws:ResourceTag/team: a#b',
      '  cost center: x, y [z] {w}',
      '  number: -5',
      '  float: 1.50',
      '  big: 012345678901',
      '  flag: TRUE',
      'list:',
      '  - a',
      '  - "b"',
      '  - [c, "d", e f, [g], { h: i }]',
      '  - { x: 1, "y": [2, 3], aws:SourceVpc: vpc-1 }',
      '  - sid: S',
      '    effect: Deny',
      '    actions:',
      '      - "s3:*"',
      '    resources: ["arn:aws:s3:::b/*"]',
      '  -',
      '    nested: map',
      '      # odd comment',
      '  - []',
      '  - {}',
      'deep:',
      '    four:',
      '         nine: x',
      '    back: y',
      'last: end',
    ].join('\n');
    expect(parseFastYaml(text)).toBeDefined();
    expectSameAsYaml(text);
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a folded scalar', 'a: >\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['an escape', 'a: "tab\\there"\n'],
    ['a tab', 'a:\tb\n'],
    ['CRLF line ends', 'a: b\r\nc: d\r\n'],
    ['a directive', '%YAML 1.1\n---\na: b\n'],
    ['a document marker', '---\na: b\n'],
    ['two documents', 'a: b\n---\nc: d\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key in a flow map', 'a: { b: 1, b: 2 }\n'],
    ['a reserved key', '__proto__: 1\n'],
    ['Terraform syntax in a key', 'tags:\n  "${x}": 1\n'],
    ['a list at its key’s indentation', 'a:\n- b\n'],
    ['a nested compact list', 'a:\n  - - b\n'],
    ['an empty list item', 'a:\n  -\n  - b\n'],
    ['a trailing comma', 'a: [b, c,]\n'],
    ['a flow list across lines', 'a: [b,\n  c]\n'],
    ['an unclosed quote', 'a: "b\n'],
    ['a numeric key', '1: a\n'],
    ['a boolean key', 'true: a\n'],
    ['a null key', '~: a\n'],
    ['a key with a trailing space', 'a : b\n'],
    ['a colon ending a value', 'a: b:\n'],
    ['a mapping in a value', 'a: b: c\n'],
    ['a less-indented continuation', 'a:\n    b: 1\n  c: 2\n'],
    ['a list as the root', '- a\n'],
    ['an indented root', '  a: b\n'],
    ['an empty file', '# nothing\n'],
    ['a question-mark key', '? a\n: b\n'],
    ['a NUL-free control character', 'a: b\u0007\n'],
    ['a byte order mark', '\ufeffa: b\n'],
    ['a flow pair in a list', 'a: [b: c]\n'],
    ['a quoted key followed by a value without a space', 'a: {"b":c}\n'],
  ])('leaves %s to yaml, with the same result', (_name, text) => {
    expect(parseFastYaml(text)).toBeUndefined();
    expectSameAsYaml(text);
  });

  it('agrees with yaml on thousands of generated and mutated documents', () => {
    const random = rng(20261122);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const scalars = [
      'a',
      'b c',
      '"q"',
      "'s'",
      "'it''s'",
      '1',
      '-2',
      '0x1F',
      '1.5',
      'true',
      'null',
      '~',
      '12h',
      'arn:aws:s3:::x/*',
      '"*"',
      'a#b',
      'x,y',
      '[a, b]',
      '[]',
      '{ k: v }',
      '{}',
      '[a, [b]]',
      '"${x}"',
      'é',
      '"a\\"b"',
    ];
    const keys = ['a', 'b', 'key', 'aws:Tag/x', '"q k"', "'s'", 'c d', '_x', 'a.b'];
    const doc = (depth: number, indent: string): string[] => {
      const lines: string[] = [];
      const n = 1 + Math.floor(random() * 4);
      const list = depth > 0 && random() < 0.3;
      for (let i = 0; i < n; i++) {
        const r = random();
        const head = list ? `${indent}- ` : `${indent}${pick(keys)}: `;
        if (r < 0.6 || depth > 3) lines.push(head + pick(scalars) + (random() < 0.2 ? ' # c' : ''));
        else if (list && r < 0.8) {
          const inner = doc(depth + 1, `${indent}  `);
          lines.push(`${indent}- ${inner[0].trimStart()}`, ...inner.slice(1));
        } else {
          lines.push(list ? `${indent}-` : `${indent}${pick(keys)}:`, ...doc(depth + 1, `${indent}  `));
        }
        if (random() < 0.1) lines.push(`${indent}# comment`);
      }
      return lines;
    };
    const noise = [' ', ':', '-', '#', '"', "'", '[', ']', '{', '}', ',', '\n', '  ', 'x', '&', '*', '!', '|', '>', '?', '\t', '0'];
    let fast = 0;
    // yaml warns about collection keys (`[b]: x`) that mutations make; not what this test is about.
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    for (let i = 0; i < 2000; i++) {
      let text = doc(0, '').join('\n') + '\n';
      const mutations = i % 3 === 0 ? 0 : Math.floor(random() * 3);
      for (let m = 0; m < mutations; m++) {
        const at = Math.floor(random() * text.length);
        text = random() < 0.7 ? text.slice(0, at) + pick(noise) + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
      }
      try {
        if (parseFastYaml(text) !== undefined) fast++;
        expectSameAsYaml(text);
      } catch (error) {
        throw new Error(`document ${i} differs:\n${text}\n${(error as Error).message}`, { cause: error });
      }
    }
    warn.mockRestore();
    // Many documents take the fast path (the others have a duplicate key, an escape or a mutation yaml alone reads).
    expect(fast).toBeGreaterThan(500);
  });
});
