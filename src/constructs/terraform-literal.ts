/**
 * The one escaping rule of the render boundary: every string the plan holds
 * (values and map keys, at any depth) becomes a Terraform JSON string whose
 * value, after CDKTF synthesis and Terraform's template evaluation, is the
 * string itself. Nothing from the org file is ever interpreted.
 *
 * The stacks apply `terraformSafe` to their whole plan once, on entry
 * (src/stacks/*.ts); constructs render what they are given and never escape
 * again. policyJson only stringifies: the documents are already escaped.
 *
 * What the rule does (src/model/terraform-text.ts lists why):
 * 1. `${` -> `$${` and `%{` -> `%%{`: Terraform's own escapes for a literal.
 * 2. CDKTF token texts are broken with an empty Terraform directive,
 *    TEMPLATE_BREAK, which Terraform evaluates to "": `TfToken[` ->
 *    `TfToken%{if false}%{endif}[`, and before the exponent of a number text
 *    that decodes to a token double. Escaping alone is not enough: in
 *    `$${TfToken[TOKEN.5]}` the substring `${TfToken[TOKEN.5]}` is still there
 *    and CDKTF would replace it with a reference.
 * 3. CDKTF's two map sentinel strings get TEMPLATE_BREAK appended.
 *
 * The break contains no character JSON escapes (`"`, `\`), so it survives
 * JSON.stringify of a policy document unchanged, and it never follows `$` or
 * `%`, so it cannot form an escape with the text before it.
 */
import { CDKTF_MAP_SENTINELS, CDKTF_NUMBER_TEXT, CDKTF_TOKEN_MARKER, isCdktfTokenDouble } from '../model/terraform-text';

/** An empty Terraform template directive: evaluates to "" and splits what CDKTF would match. */
export const TEMPLATE_BREAK = '%{if false}%{endif}';

const MARKER_HEAD = CDKTF_TOKEN_MARKER.slice(0, -1); // `TfToken`

/** A quick test for anything the rule could change: most strings (names, ARNs) need no work at all. */
const MAY_NEED_WORK = /[$%]\{|TfToken\[|[-|\d.+]e|Token Value$/;

/** One string as a Terraform literal (see the file comment). */
export function terraformLiteral(s: string): string {
  if (!MAY_NEED_WORK.test(s)) return s;
  // Function replacers: in a replacement string `$$` would itself mean `$`.
  let out = s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  // After the escapes, so the break's own `%{` is not escaped.
  out = out.split(CDKTF_TOKEN_MARKER).join(`${MARKER_HEAD}${TEMPLATE_BREAK}[`);
  out = out.replace(CDKTF_NUMBER_TEXT, (m) => (isCdktfTokenDouble(parseFloat(m)) ? m.replace('e', `${TEMPLATE_BREAK}e`) : m));
  if (CDKTF_MAP_SENTINELS.includes(out)) out += TEMPLATE_BREAK;
  return out;
}

/**
 * A deep copy of `value` with every string (and every object key) passed
 * through terraformLiteral. Numbers, booleans and undefined stay as they are.
 * Applied exactly once: the rule is not idempotent (`${` -> `$${` -> `$$${`).
 */
export function terraformSafe<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === 'string') return terraformLiteral(value);
  if (Array.isArray(value)) return value.map(walk);
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      // The plan is plain data; anything else (a token, a construct) must not be rewritten blindly.
      throw new Error(`terraformSafe: not plain data (${proto?.constructor?.name ?? 'unknown'})`);
    }
    const out: Record<string, unknown> = {};
    // defineProperty: a key named `__proto__` is data, not the prototype.
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, terraformLiteral(k), { value: walk(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
