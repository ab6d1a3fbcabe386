/**
 * Message texts of the access checks (guardrail breaches). Kept apart from
 * src/model/messages.ts while that file was being written; same shape
 * (Message), so they can move there unchanged.
 */
import type { Message } from '../model/messages';
import type { AccessLevel } from '../model/schema';
import { compareAccessLevel } from '../iam/actions';
import type { AccessPath } from './access';

export interface Breach {
  guardrail: string;
  maxAccess: AccessLevel;
  person: string;
  account: string;
  path: AccessPath;
}

/** "a write action", "a permissions action"; `an` should a level ever start with a vowel. */
function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/**
 * One person's path breaching a guardrail on one account:
 *   guardrail "developers never change customer data" breached: dave has write on account storage
 *   through function developers (permission set admin allows s3:AbortMultipartUpload, a write action);
 *   the guardrail allows at most read
 */
export function guardrailBreach(b: Breach): Message {
  const head = `guardrail "${b.guardrail}" breached: ${b.person} has ${b.path.level} on account ${b.account}`;
  const tail = `the guardrail allows at most ${b.maxAccess}`;
  if (b.path.kind === 'function') {
    const fn = b.path.function;
    const culprit = b.path.permissionSets.find((s) => s.action === b.path.action && s.level === b.path.level);
    const over = b.path.permissionSets.filter((s) => levelAbove(s.level, b.maxAccess)).map((s) => s.name);
    return {
      message: `${head} through function ${fn} (permission set ${culprit?.name ?? '?'} allows ${b.path.action}, ${article(b.path.level)} ${b.path.level} action); ${tail}`,
      expected: `at most ${b.maxAccess} for everyone the guardrail selects, through every function and pipeline`,
      fix: `grant function ${fn} no more than ${b.maxAccess} on ${b.account} (now: ${over.join(', ')}), or take ${b.person} out of ${fn}`,
    };
  }
  return {
    message: `${head} through pipeline ${b.path.pipeline} (as a member of changer function ${b.path.changer.name}; changers hold what its apply role holds, e.g. ${b.path.action}, ${article(b.path.level)} ${b.path.level} action); ${tail}`,
    expected: `at most ${b.maxAccess} for everyone the guardrail selects, through every function and pipeline`,
    fix: `remove ${b.path.changer.name} from pipelines.${b.path.pipeline}.changers, or leave ${b.account} out of the pipeline's accounts`,
  };
}

/** More breaches than are worth printing one by one. */
export function moreBreaches(guardrail: string, shown: number, total: number, people: number, accounts: number): Message {
  return {
    message: `guardrail "${guardrail}": ${total - shown} more breaches not shown (${total} in all, by ${people} people on ${accounts} accounts)`,
    fix: 'run `npx rolecall access` or `npx rolecall explain PERSON ACCOUNT` to see every path',
  };
}

function levelAbove(a: AccessLevel, b: AccessLevel): boolean {
  return compareAccessLevel(a, b) > 0;
}
