/** Suggestions and message texts. */
import { closest, didYouMean, editDistance, listNames, unknownKey, wrongType } from '../../src/model/messages';
import { quotaExceeded } from '../../src/checks/iam-quotas';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('counts a swap of neighbours as one edit (Damerau)', () => {
    expect(editDistance('fucntions', 'functions')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });
});

describe('closest / didYouMean', () => {
  const functions = ['operations', 'developers', 'auditors', 'network'];

  it('suggests the nearest name within max(2, len/3)', () => {
    expect(didYouMean('operatons', functions)).toBe('did you mean "operations"?');
    expect(closest('develpoers', functions)).toBe('developers');
  });

  it('prefers a case-insensitive match', () => {
    expect(closest('Operations', functions)).toBe('operations');
    expect(closest('administratoraccess', ['AdministratorAccess', 'AdministratorAccess-Amplify'])).toBe('AdministratorAccess');
  });

  it('suggests nothing when nothing is close', () => {
    expect(didYouMean('payroll', functions)).toBeUndefined();
    expect(closest('x', ['s3', 'ec2'])).toBeUndefined();
    expect(closest('operations', functions.filter((f) => f !== 'operations').concat('operations'))).toBeUndefined();
  });

  it('breaks ties alphabetically, so output is stable', () => {
    expect(closest('cat', ['cot', 'bat'])).toBe('bat');
  });
});

describe('texts', () => {
  it('lists allowed keys and suggests one for an unknown key', () => {
    expect(unknownKey('acess', ['access', 'description'])).toEqual({
      code: 'RC101',
      message: 'unknown key "acess"',
      expected: 'one of access, description',
      fix: 'did you mean "access"?',
    });
  });

  it('shortens long lists', () => {
    expect(listNames(['a', 'b', 'c'], 2)).toBe('a, b, ... (1 more)');
    expect(listNames([])).toBe('(none)');
  });

  it('suggests quoting only with a quotable value', () => {
    expect(wrongType('a string', 12, '012')).toEqual({ code: 'RC103', message: 'expected a string, got a number', fix: 'quote it: "012"' });
    expect(wrongType('a string', 12)).toEqual({ code: 'RC103', message: 'expected a string, got a number', fix: undefined });
  });

  it('words quota breaches for the plan layer', () => {
    expect(quotaExceeded('RC499', 'role name', 70, 64, 'use a shorter function name')).toEqual({
      code: 'RC499',
      message: 'role name: 70, over the IAM quota of 64',
      expected: 'at most 64',
      fix: 'use a shorter function name',
    });
  });
});
