/**
 * Tag values rolecall derives from people's real names. A person's name is
 * never a validation error: the `Name` tag is rolecall's choice, so a name
 * AWS's tag alphabet cannot hold is mapped into it, deterministically; the
 * file and the reports keep the real name (docs/org-file.md#people).
 */
import { LIMITS } from '../limits';
import { TAG_TEXT } from '../model/references';

/** Apostrophes and quotation marks: dropped, so "O'Brien" reads "OBrien". */
const QUOTES = /['"`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033]/gu;
/** Combining marks left after NFC composition (AWS refuses \p{M}): dropped, the base letter stays. */
const MARKS = /\p{M}/gu;
/** One character AWS refuses in a tag value (TAG_TEXT's alphabet, negated). */
const REFUSED = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;

/**
 * The `Name` tag value for a real name. A name AWS accepts as it is stays
 * byte for byte. Otherwise: NFC, quotes and combining marks dropped, every
 * other refused character becomes a space, runs of spaces collapse, ends
 * trimmed, at most 256 characters. "Dara O'Brien (Ops)" -> "Dara OBrien Ops".
 */
export function nameTag(name: string): string {
  if (TAG_TEXT.test(name) && name.length <= LIMITS.tagValueChars) return name;
  const mapped = name
    .normalize('NFC')
    .replace(QUOTES, '')
    .replace(MARKS, '')
    .replace(REFUSED, ' ')
    .replace(/\p{Z}+/gu, ' ')
    .trim();
  return cut(mapped).trimEnd();
}

/**
 * The `Email` tag value for a person's e-mail (the address is used in that
 * tag alone: IAM users have no e-mail attribute; Identity Center's user
 * e-mail takes it as written). An address AWS accepts as it is stays byte
 * for byte. Otherwise as nameTag, except that a refused character becomes
 * `_` (an address has no spaces): NFC, quotes and combining marks dropped,
 * every other refused character `_`, at most 256 characters.
 * "dara.o'brien@acme.example" -> "dara.obrien@acme.example",
 * "ops+oncall!@acme.example" -> "ops+oncall_@acme.example".
 */
export function emailTag(email: string): string {
  if (TAG_TEXT.test(email) && email.length <= LIMITS.tagValueChars) return email;
  return cut(email.normalize('NFC').replace(QUOTES, '').replace(MARKS, '').replace(REFUSED, '_'));
}

/** At most 256 characters: cut at a code point, never inside a surrogate pair; counted in UTF-16 units, as the model's check counts. */
function cut(text: string): string {
  let out = '';
  for (const c of text) {
    if (out.length + c.length > LIMITS.tagValueChars) break;
    out += c;
  }
  return out;
}
