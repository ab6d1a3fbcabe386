/**
 * Suggestions that lead somewhere (issue 19, item 7): an action under the
 * wrong service prefix is found by its name in the service that has it, a
 * suggestion is never itself invalid, and near-miss durations get the one
 * the schema takes.
 */
import { checkAction } from '../../src/model/references';
import { suggestDuration } from '../../src/model/duration';
import { loadOrgText } from '../../src/model/load';
import { formatDiagnostic } from '../../src/model/diagnostics';

const suggestionFor = (action: string): string | undefined => {
  const fix = checkAction(action)?.fix;
  return fix === undefined ? undefined : /did you mean "([^"]+)"/.exec(fix)?.[1];
};

test.each([
  ['cloudwatchlogs:GetLogEvents', 'logs:GetLogEvents'], // no such service: found by action name
  ['cloudwatch:GetLogEvents', 'logs:GetLogEvents'], // a real service without the action: the one that has it
  ['s3:GetObjct', 's3:GetObject'], // a typo in the action: the service's closest
  ['s4:GetObject', 's3:GetObject'], // several services have GetObject: the prefix closest to the one written
  ['ec2:DescribeInstancez', 'ec2:DescribeInstances'],
])('%s -> %s, which is itself valid', (action, expected) => {
  expect(suggestionFor(action)).toBe(expected);
  expect(checkAction(expected)).toBeUndefined();
});

test('no suggestion chain: following a suggestion ends at a valid action in one step', () => {
  for (const action of ['cloudwatchlogs:GetLogEvents', 'cloudwatch:GetLogEvents', 'iamm:CreateUser', 'logs:GetLogEvent']) {
    const next = suggestionFor(action);
    expect([action, next !== undefined && checkAction(next) === undefined]).toEqual([action, true]);
  }
});

test.each([
  ['1h30m', '90m'],
  ['1.5h', '90m'],
  ['90 min', '90m'],
  ['2h', undefined], // already valid
  [3600, '1h'],
  [900, '15m'],
  [45, undefined], // 45 s is below every duration field's minimum: no suggestion that would be refused in turn
  [15, undefined],
  [330, '330s'],
  ['soon', undefined],
  [0, undefined],
])('duration %p -> %p', (value, expected) => {
  expect(suggestDuration(value)).toBe(expected);
});

test('the validator prints them', () => {
  const text = [
    'version: 1',
    'organization: { name: acme, master: master, region: eu-west-1 }',
    'accounts:',
    '  master: { id: "111111111111" }',
    'functions:',
    '  ops:',
    '    mfaMaxAge: 1h30m',
    '    sessionDuration: 3600',
    '    access: { master: read-only }',
    'people: {}',
    '',
  ].join('\n');
  const out = loadOrgText(text, 'org.yaml').diagnostics.map(formatDiagnostic).join('\n');
  expect(out).toContain(
    'functions.ops.mfaMaxAge: invalid value "1h30m"\n  expected: a duration such as 15m, 1h or 12h\n  fix: did you mean "90m"?',
  );
  expect(out).toContain(
    'functions.ops.sessionDuration: expected a duration such as 15m, 1h or 12h, got a number\n  fix: did you mean "1h"?',
  );
});
