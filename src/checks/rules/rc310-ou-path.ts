/**
 * One rule, five codes: an OU path is checked once and reports its first
 * problem, in this order. Each later test assumes the earlier ones passed
 * (an empty OU name or a stray "/" makes the depth and the names meaningless),
 * so five independent rules would report one typo as several errors.
 */
import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { ORGANIZATIONS_QUOTAS } from '../../limits';
import { memberAccountNames, OU_SEGMENT_PATTERN } from '../../plan/organization';
import type { Rule } from '../rule';

const LIMITS = ORGANIZATIONS_QUOTAS;

function ouPathExpected(): string {
  return `an OU path such as Workloads/Production: names of 1-${LIMITS.ouNameChars} letters, digits, spaces and . _ & + ( ) -, separated by "/", at most ${LIMITS.ouDepth} levels`;
}

/** `suggestion`: the path without its leading and trailing "/" (empty: no suggestion). */
export function ouPathEdgeSlash(path: string, suggestion: string): Message {
  return {
    code: 'RC310',
    message: `invalid OU path ${JSON.stringify(path)}: it starts or ends with "/"`,
    expected: ouPathExpected(),
    fix: suggestion ? `did you mean "${suggestion}"?` : undefined,
  };
}

/** `suggestion`: the path without its empty OU names (empty: no suggestion). */
export function ouPathEmptyName(path: string, suggestion: string): Message {
  return {
    code: 'RC311',
    message: `invalid OU path ${JSON.stringify(path)}: it has an empty OU name`,
    expected: ouPathExpected(),
    fix: suggestion ? `did you mean "${suggestion}"?` : undefined,
  };
}

export function ouNameTooLong(name: string): Message {
  return {
    code: 'RC312',
    message: `invalid OU path: the OU name "${name.slice(0, 20)}..." is ${name.length} characters long`,
    expected: ouPathExpected(),
  };
}

export function ouNameBadCharacters(path: string, name: string): Message {
  return {
    code: 'RC313',
    message: `invalid OU path ${JSON.stringify(path)}: the OU name ${JSON.stringify(name)} has characters rolecall does not accept`,
    expected: ouPathExpected(),
  };
}

export function ouPathTooDeep(path: string, depth: number): Message {
  return {
    code: 'RC314',
    message: `invalid OU path ${JSON.stringify(path)}: ${depth} levels deep`,
    expected: ouPathExpected(),
  };
}

/** The first problem of an OU path, or undefined when AWS Organizations (and rolecall) accept it. */
export function ouPathProblem(path: string): Message | undefined {
  if (path.startsWith('/') || path.endsWith('/')) {
    return ouPathEdgeSlash(path, path.replace(/^\/+|\/+$/g, ''));
  }
  const segments = path.split('/');
  if (segments.some((s) => s === '')) {
    return ouPathEmptyName(path, segments.filter((s) => s !== '').join('/'));
  }
  const long = segments.find((s) => s.length > LIMITS.ouNameChars);
  if (long !== undefined) return ouNameTooLong(long);
  const bad = segments.find((s) => !OU_SEGMENT_PATTERN.test(s));
  if (bad !== undefined) return ouNameBadCharacters(path, bad);
  if (segments.length > LIMITS.ouDepth) return ouPathTooDeep(path, segments.length);
  return undefined;
}

/** Member accounts' `ou` (the master's is rule master-in-ou's), only when the organization stack is emitted. */
export const rule: Rule<never> = {
  id: 'ou-path',
  code: 'RC310',
  otherCodes: ['RC311', 'RC312', 'RC313', 'RC314'],
  title: 'Every OU path is one AWS Organizations accepts',
  needs: [],
  check: ({ model }) => {
    const { org } = model;
    if (!org.organization.manage) return [];
    return memberAccountNames(org).flatMap((name) => {
      const ou = org.accounts[name].ou;
      const problem = ou === undefined ? undefined : ouPathProblem(ou);
      return problem ? [errorAt(model, ['accounts', name, 'ou'], problem)] : [];
    });
  },
};
