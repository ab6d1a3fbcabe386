/** What AWS accepts in the values the reference checks look at: tags, descriptions, names, pgp keys, principals. */
import { LIMITS } from '../../limits';

/** What AWS accepts in tag keys and values (IAM, Organizations): letters, digits, spaces and _ . : / = + - @. */
export const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** IAM role descriptions: tab, new lines, printable ASCII, U+00A1-U+00FF. */
export const DESCRIPTION_TEXT = /^[\t\n\r\x20-\x7e\xa1-\xff]*$/;

/** Names AWS or rolecall itself gives roles and groups, which a function (role and group name) must not take. */
export const GENERATED_NAMES: ReadonlyArray<[string, string]> = [
  ['RequireMFA', 'the group every person is in'],
  ['OrganizationAccountAccessRole', 'the role AWS Organizations creates in every new account'],
];

/** Why a tag key or value is refused, or undefined. */
export function tagProblem(text: string, isKey: boolean): string | undefined {
  if (isKey && text.length === 0) return 'is empty';
  const max = isKey ? LIMITS.tagKeyChars : LIMITS.tagValueChars;
  if (text.length > max) return `is ${text.length} characters long (at most ${max})`;
  if (!TAG_TEXT.test(text)) {
    const bad = [...text].find((c) => !TAG_TEXT.test(c));
    return `contains ${JSON.stringify(bad)}, which AWS does not accept in tags`;
  }
  if (isKey && /^aws:/i.test(text)) return 'starts with "aws:", which AWS reserves';
  return undefined;
}

/** A pgpKey AWS can use: `keybase:NAME`, or the base64 of a binary OpenPGP public key. */
export function pgpKeyValid(key: string): boolean {
  if (/^keybase:[A-Za-z0-9_]{2,16}$/.test(key)) return true;
  const compact = key.replace(/\s+/g, '');
  if (compact.length < 64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return false;
  // An OpenPGP packet header has its top bit set; a public key packet is tag 6.
  const first = Buffer.from(compact.slice(0, 8), 'base64')[0];
  const tag = first & 0x40 ? first & 0x3f : (first >> 2) & 0x0f;
  return (first & 0x80) !== 0 && tag === 6;
}

/** IAM role names: letters, digits and + = , . @ _ -, 1 to 64 characters. */
export const ROLE_NAME_PATTERN = /^[A-Za-z0-9+=,.@_-]{1,64}$/;

/** IAM CreateAccountAlias: 3-63 lowercase letters, digits and single hyphens, not starting or ending with one. */
export const ACCOUNT_ALIAS_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

/**
 * A machine principal a role may trust: an IAM role (any path) or an
 * account root, in a standard partition. Users are refused: a user's
 * long-term key is exactly what rolecall keeps out of trust policies.
 */
export const PRINCIPAL_ARN_PATTERN = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):(root|role\/(?:[\x21-\x7e]+\/)?[A-Za-z0-9+=,.@_-]{1,64})$/;

/**
 * The key under which two role names clash in one account: IAM role names
 * are unique case-insensitively, and construct ids drop every character but
 * letters, digits, "_" and "-".
 */
export function roleClashKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}
