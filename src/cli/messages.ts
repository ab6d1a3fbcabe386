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
