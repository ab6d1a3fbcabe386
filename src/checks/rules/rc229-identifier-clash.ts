import { errorAt, type Diagnostic } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { derivedIdentifiers, freePersonKey, identifierClashes, personKeyForms, type IdentifierClash } from '../../plan/identifiers';
import type { Rule } from '../rule';

export function identifierClash(clash: IdentifierClash, fix: string): Message {
  const who = clash.owners.map((o) => o.label);
  return {
    code: 'RC229',
    message: `${who.slice(0, -1).join(', ')} and ${who[who.length - 1]} map to the same identifier "${clash.value}" (${clash.space}): rolecall would make them one`,
    expected:
      'keys that stay distinct after every normalisation rolecall applies (construct ids keep only letters, digits, "_" and "-"; output names turn the rest into "_"; IAM names ignore case)',
    fix,
  };
}

/**
 * Two keys that become one identifier (src/plan/identifiers.ts): two people
 * would be one IAM user (the second one's functions and keys landing on the
 * first), or Terraform would refuse the stack. Reported at every key
 * involved; the fix renames all but the first to names free in every space.
 */
/** A person key every space keeps as it is. */
function plain(owner: readonly (string | number)[]): boolean {
  return owner[0] !== 'people' || (owner.length === 2 && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(owner[1])));
}

export const rule: Rule<'plan'> = {
  id: 'identifier-clash',
  code: 'RC229',
  title: 'No two keys map to one construct id, Terraform address, output name or IAM name',
  needs: ['plan'],
  check: ({ model, plan }) => {
    const clashes = identifierClashes(derivedIdentifiers(plan));
    if (clashes.length === 0) return [];
    const taken = new Set(Object.keys(model.org.people ?? {}).flatMap(personKeyForms));
    const found: Diagnostic[] = [];
    const seen = new Set<string>();
    for (const clash of clashes) {
      // Keep the key that needs no normalisation; suggest renaming the others.
      const owners = [...clash.owners].sort((a, b) => Number(!plain(a.owner)) - Number(!plain(b.owner)));
      // The same keys meeting in several spaces: one report is enough.
      const who = JSON.stringify(owners.map((o) => o.owner));
      if (seen.has(who)) continue;
      seen.add(who);
      const [first, ...rest] = owners;
      let fix: string;
      if (rest.every((o) => o.owner[0] === 'people' && o.owner.length === 2)) {
        const renames = rest.map((o) => {
          const key = String(o.owner[1]);
          const to = freePersonKey(key, taken);
          personKeyForms(to).forEach((form) => taken.add(form));
          return `"${key}" to "${to}"`;
        });
        fix = `rename person ${renames.join(', ')} (everywhere the file names them), or remove the duplicate if ${first.label} is the same person`;
      } else {
        fix = `rename ${rest.map((o) => o.label).join(', ')} so that its ${clash.space} differs from ${first.label}'s`;
      }
      for (const owner of owners) found.push(errorAt(model, owner.owner, identifierClash({ ...clash, owners }, fix)));
    }
    return found;
  },
};
