/**
 * The command line's own message texts: about arguments, not located in the
 * org file, so plain strings without a code (the org file's diagnostics
 * carry codes; see src/checks/catalogue.ts).
 */
import { didYouMean } from '../model/suggest';

/** `unknown person "bobb" (people: alice, bob); did you mean "bob"?` */
export function unknownArgument(kind: string, plural: string, value: string, names: readonly string[]): string {
  const fix = didYouMean(value, names);
  return `unknown ${kind} "${value}" (${plural}: ${names.join(', ')})${fix ? `; ${fix}` : ''}`;
}

/** A grant or membership past its `until` (validate only: it reads the clock). */
export function expiredGrant(what: string, until: string): { code: string; message: string; fix: string } {
  return {
    code: 'RC232',
    message: `${what} ended at ${until}: IAM refuses it now; it gives no access`,
    fix: 'remove it from the file (or, to renew it, write a new until and have the change reviewed)',
  };
}
