/**
 * Text that Terraform or CDKTF would read as something other than itself.
 * Pure patterns, shared by the model (validate refuses them where a name can
 * never legitimately hold them) and the render boundary
 * (src/constructs/terraform-literal.ts neutralises them in every string).
 *
 * - Terraform reads every JSON string as a template: `${...}` interpolates,
 *   `%{...}` is a directive.
 * - CDKTF resolves its token texts inside any string before writing JSON:
 *   `${TfToken[TOKEN.5]}` (string), `#{TfToken[...]}` (list), `&{TfToken[...]}`
 *   (map) become references to other resources; a number text that parses to
 *   one of its encoded token doubles (about -8.2e298) does too; and the exact
 *   strings below make synthesis throw. See node_modules/cdktf/lib/tokens/private/encoding.js.
 */

/** The part every CDKTF token marker shares (`${TfToken[`, `#{TfToken[`, `&{TfToken[`). */
export const CDKTF_TOKEN_MARKER = 'TfToken[';

/** CDKTF's own pattern for numbers inside strings (encoding.js NUMBER_TOKEN_REGEX), verbatim. */
export const CDKTF_NUMBER_TEXT = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;

/** Whole strings CDKTF refuses in a string context (Token.STRING_MAP_TOKEN_VALUE, ANY_MAP_TOKEN_VALUE). */
export const CDKTF_MAP_SENTINELS: readonly string[] = ['String Map Token Value', 'Any Map Token Value'];

/**
 * True when `n` is one of CDKTF's encoded token doubles: the top 16 bits
 * (sign, exponent, 4 mantissa bits) are 0xfdff (number token) or 0xfbff
 * (number list token).
 */
export function isCdktfTokenDouble(n: number): boolean {
  if (!Number.isFinite(n)) return false;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  const top = view.getUint16(0);
  return top === 0xfdff || top === 0xfbff;
}

/** The first fragment of `s` that Terraform or CDKTF would interpret, or undefined when `s` is plain text. */
export function interpretedFragment(s: string): string | undefined {
  for (const opener of ['${', '%{', CDKTF_TOKEN_MARKER]) if (s.includes(opener)) return opener;
  if (CDKTF_MAP_SENTINELS.includes(s)) return s;
  for (const m of s.matchAll(CDKTF_NUMBER_TEXT)) if (isCdktfTokenDouble(parseFloat(m[0]))) return m[0];
  return undefined;
}
