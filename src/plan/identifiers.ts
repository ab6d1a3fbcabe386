/**
 * Every identifier rolecall derives from a key of the org file, after every
 * normalisation it goes through, so one check (RC229) can refuse two keys
 * that would become one thing: one IAM user for two people, one Terraform
 * address, one output name, one IAM policy name.
 *
 * An identifier lives in a space (where it must be unique) and has an owner
 * (the key path that derives it). Spaces:
 * - Terraform logical ids of hash-less resources (a top-level construct's
 *   `Default` child: users, groups): cdktf drops every character but
 *   letters, digits, "_" and "-" (names.ts logicalIdText). Other ids carry a
 *   hash of the full, unnormalised construct path, so distinct keys keep
 *   them distinct.
 * - Terraform output names (names.ts personOutputName).
 * - IAM names, case-insensitive within an account: customer managed policy
 *   names (`<fn>-assume-roles-<n>`, `<fn>-identity-<set>` and a time-bound
 *   membership's `<person>-<fn>-until-<n>` can meet).
 * - Stacks: the stack id names the directory, the local state file, the S3
 *   key and the HCP Terraform workspace (case-insensitive there).
 * People are one space across the identity account's stacks (identity and
 * people shards): a person moves between shards keeping their addresses.
 *
 * Covered elsewhere, at the point of the same rule: IAM user names that
 * differ only in case (RC123) and role names of one account that IAM or the
 * construct tree take for one (RC227, src/model/references.ts roleClashKey).
 * OU construct ids escape every other character injectively
 * (organization-stack.ts ouConstructId); AWS managed policy attachment ids
 * are distinct over the whole policy catalog (test/plan/identifiers.test.ts).
 */
import type { KeyPath } from '../model/diagnostics';
import { REQUIRE_MFA_GROUP, groupConstructId, logicalIdText, personConstructId, personOutputName, PERSON_OUTPUT_SUFFIXES } from './names';
import type { OrgPlan, StackPlan } from './types';

export interface DerivedIdentifier {
  /** Where it must be unique, in words: `Terraform address aws_iam_user.* (identity account)`. */
  space: string;
  /** The identifier after every normalisation (lower case where the space ignores case). */
  value: string;
  /** The key that derives it. */
  owner: KeyPath;
  /** The owner as written and what it is: `person "bob.smith"`. */
  label: string;
}

/** Every identifier the plan derives from keys, in plan order. */
export function derivedIdentifiers(plan: OrgPlan): DerivedIdentifier[] {
  const out: DerivedIdentifier[] = [];
  for (const stack of plan.stacks) {
    // People stacks share one space per resource kind: the identity account's.
    const home = stack.kind === 'account' ? `stack ${stack.id}` : 'identity account';
    for (const user of stack.users) {
      const owner: KeyPath = ['people', user.key];
      const label = `person "${user.key}"`;
      out.push({ space: `Terraform address aws_iam_user.* (${home})`, value: logicalIdText(personConstructId(user.key)), owner, label });
      const suffixes = [
        ...(user.loginProfile ? PERSON_OUTPUT_SUFFIXES.loginProfile : []),
        ...(user.accessKey ? PERSON_OUTPUT_SUFFIXES.accessKey : []),
      ];
      for (const suffix of suffixes) {
        out.push({ space: `Terraform output name (${home})`, value: personOutputName(user.key, suffix), owner, label });
      }
      // Time-bound memberships' policies (`<person>-<function>-until-<n>`) share the account's policy names with the groups'.
      for (const policy of user.policies ?? []) {
        out.push({
          space: `IAM policy name in account ${stack.account.name}`,
          value: policy.name.toLowerCase(),
          owner,
          label: `${label} (policy ${policy.name})`,
        });
      }
    }
    for (const group of stack.groups) {
      const owner: KeyPath = group.key === REQUIRE_MFA_GROUP ? ['people'] : ['functions', group.key];
      const label = group.key === REQUIRE_MFA_GROUP ? `group ${REQUIRE_MFA_GROUP}` : `function "${group.key}"`;
      out.push({ space: `Terraform address aws_iam_group.* (${home})`, value: logicalIdText(groupConstructId(group.key)), owner, label });
      for (const policy of group.policies) {
        out.push({
          space: `IAM policy name in account ${stack.account.name}`,
          value: policy.name.toLowerCase(),
          owner,
          label: `${label} (policy ${policy.name})`,
        });
      }
    }
    out.push(...stackIdentifiers(stack));
  }
  return out;
}

function stackIdentifiers(stack: StackPlan): DerivedIdentifier[] {
  const owner: KeyPath = stack.kind === 'account' ? ['accounts', stack.account.name] : ['people'];
  const label = `stack ${stack.id}`;
  const ids: DerivedIdentifier[] = [{ space: 'stack id (output directory, state file)', value: stack.id.toLowerCase(), owner, label }];
  if (stack.backend.kind === 'cloud')
    ids.push({ space: 'HCP Terraform workspace name', value: stack.backend.workspace.toLowerCase(), owner, label });
  if (stack.backend.kind === 's3') ids.push({ space: `S3 state key in ${stack.backend.bucket}`, value: stack.backend.key, owner, label });
  return ids;
}

/** One identifier two or more keys map to. */
export interface IdentifierClash {
  space: string;
  value: string;
  /** The distinct owners, in plan order. */
  owners: DerivedIdentifier[];
}

/** Identifiers with more than one owner. Linear in the number of identifiers. */
export function identifierClashes(ids: DerivedIdentifier[]): IdentifierClash[] {
  const bySpace = new Map<string, Map<string, DerivedIdentifier[]>>();
  for (const id of ids) {
    let values = bySpace.get(id.space);
    if (!values) bySpace.set(id.space, (values = new Map()));
    const owners = values.get(id.value) ?? [];
    if (!owners.some((o) => sameOwner(o, id))) owners.push(id);
    values.set(id.value, owners);
  }
  const clashes: IdentifierClash[] = [];
  for (const [space, values] of bySpace) {
    for (const [value, owners] of values) if (owners.length > 1) clashes.push({ space, value, owners });
  }
  return clashes;
}

function sameOwner(a: DerivedIdentifier, b: DerivedIdentifier): boolean {
  return a.owner.length === b.owner.length && a.owner.every((part, i) => part === b.owner[i]);
}

/** The forms a person key takes in the spaces above, lower case: what another key must not meet. */
export function personKeyForms(key: string): string[] {
  return [key, logicalIdText(key), personOutputName(key, 'x')].map((form) => form.toLowerCase());
}

/**
 * A person key that meets no other person's (`taken`: personKeyForms of
 * every key): the key with every character construct ids drop made "-",
 * then "-2", "-3"... until free. What RC229 suggests, so the fix is itself valid.
 */
export function freePersonKey(key: string, taken: ReadonlySet<string>): string {
  const base = key.replace(/[^A-Za-z0-9_-]/g, '-');
  const free = (candidate: string) => personKeyForms(candidate).every((form) => !taken.has(form));
  if (base !== key && free(base)) return base;
  for (let n = 2; ; n++) if (free(`${base}-${n}`)) return `${base}-${n}`;
}
