/**
 * Test-side model of how Terraform reads a JSON string that the render
 * boundary produced (src/constructs/terraform-literal.ts), and a seeded
 * generator of hostile strings. The model is checked against real Terraform
 * in test/e2e/injection.test.ts, so the fast property tests can rely on it.
 */
import { TEMPLATE_BREAK } from '../../src/constructs/terraform-literal';
import { rng } from '../../bench/gen';

/**
 * The value Terraform gives a template that should be a literal: `$${` and
 * `%%{` are escapes, TEMPLATE_BREAK evaluates to "", and any other `${` or
 * `%{` is an interpolation or directive: thrown, because it means text from
 * the input would run.
 */
export function evaluateLiteral(template: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('$${', i) || template.startsWith('%%{', i)) {
      out += template[i] + '{';
      i += 3;
    } else if (template.startsWith(TEMPLATE_BREAK, i)) {
      i += TEMPLATE_BREAK.length;
    } else if (template.startsWith('${', i) || template.startsWith('%{', i)) {
      throw new Error(`interpolation at ${i} of ${JSON.stringify(template)}`);
    } else {
      out += template[i++];
    }
  }
  return out;
}

/** A cdktf reference, the only interpolation rolecall itself writes: `${aws_iam_user.user-bob.name}`. */
export const REFERENCE = /^\$\{[a-z0-9_]+\.[A-Za-z0-9_-]+\.[a-z_]+\}$/;

/** The bench's seeded generator (mulberry32), so tests and bench share one. */
export const random = rng;

/** The text of CDKTF number token `n` (what `String(role.maxSessionDuration)` prints), as an attacker would guess it. */
export function numberTokenText(n: number, list = false): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint16(0, list ? 0xfbff : 0xfdff);
  view.setUint16(2, Math.floor(n / 2 ** 32) & 0xffff);
  view.setUint32(4, n >>> 0);
  return String(view.getFloat64(0));
}

/** Pieces an attacker combines: template openers, escapes, CDKTF token texts, JSON-special and non-ASCII characters. */
const PIECES = [
  '$',
  '%',
  '{',
  '}',
  '$$',
  '%%',
  '${',
  '%{',
  '$${',
  '%%{',
  '#{',
  '&{',
  '}}',
  '~',
  '"',
  '\\',
  "'",
  '\n',
  '\t',
  '\u0001',
  ' ',
  'TfToken[',
  'TOKEN.',
  ']}',
  'TfToken[TOKEN.1]',
  '${TfToken[TOKEN.',
  'e+',
  'e',
  '-',
  '.',
  '+',
  '|',
  'a',
  'Z',
  '0',
  '7',
  'é',
  '日本',
  '😀',
  '\u200b',
  'if true',
  'endif',
  'file("~/.aws/credentials")',
  'String Map Token Value',
  'Any Map Token Value',
  TEMPLATE_BREAK,
];

/** One hostile string: a mix of PIECES, real token texts and random code points (never lone surrogates). */
export function hostileString(next: () => number): string {
  const length = Math.floor(next() * 12);
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = next();
    if (r < 0.6) s += PIECES[Math.floor(next() * PIECES.length)];
    else if (r < 0.7) s += `\${TfToken[TOKEN.${Math.floor(next() * 400)}]}`;
    else if (r < 0.75) s += `${next() < 0.5 ? '#' : '&'}{TfToken[TOKEN.${Math.floor(next() * 400)}]}`;
    else if (r < 0.8) s += numberTokenText(Math.floor(next() * 400), next() < 0.3);
    else s += String.fromCodePoint(Math.floor(next() * 0xd7ff) + 1);
  }
  if (next() < 0.05) return PIECES[Math.floor(next() * 2) + PIECES.indexOf('String Map Token Value')];
  return s;
}

/** Every string (values and object keys) in a JSON value, with its path. */
export function* stringsIn(value: unknown, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* stringsIn(value[i], `${path}[${i}]`);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield [`${path}{key}`, k];
      yield* stringsIn(v, `${path}.${k}`);
    }
  }
}
