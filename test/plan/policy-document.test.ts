/**
 * src/plan/policy-document.ts: the one module that normalises, serialises,
 * measures and splits policy documents (issue 16).
 */
import {
  fileStatementsDocument,
  largestStatement,
  normaliseStatement,
  overLimit,
  policiesSize,
  policyDocument,
  policyJson,
  policySize,
  splitToFit,
} from '../../src/plan/policy-document';
import { permissionSetDocument } from '../../src/plan/policies';
import { customScpDocument } from '../../src/plan/organization';
import { assumePolicyParts, MANAGED_POLICY_MAX_CHARS } from '../../src/plan/build';
import { PLAN_LIMITS } from '../../src/limits';

describe('normalise', () => {
  test("a file statement becomes IAM's: keys in IAM's order, lists sorted and unique, condition values as text", () => {
    const out = normaliseStatement({
      sid: 'Reads',
      effect: 'Allow',
      actions: ['s3:List*', 's3:GetObject', 's3:List*'],
      resources: ['b', 'a'],
      conditions: { StringEquals: { 'b:key': 'x', 'a:key': ['1', '2'] }, Bool: { 'aws:SecureTransport': true } },
    });
    expect(JSON.stringify(out)).toBe(
      '{"Sid":"Reads","Effect":"Allow","Action":["s3:GetObject","s3:List*"],"Resource":["a","b"],' +
        '"Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"a:key":["1","2"],"b:key":"x"}}}',
    );
  });

  test('no resources means "*", notResources replaces Resource, an empty condition is left out', () => {
    expect(normaliseStatement({ effect: 'Deny', notActions: ['iam:*'], conditions: {} })).toEqual({
      Effect: 'Deny',
      NotAction: ['iam:*'],
      Resource: ['*'],
    });
    expect(normaliseStatement({ effect: 'Deny', actions: ['*'], notResources: ['y', 'x'] })).toEqual({
      Effect: 'Deny',
      Action: ['*'],
      NotResource: ['x', 'y'],
    });
  });

  test('permission sets and custom SCPs are normalised by the same function', () => {
    const statements = [{ effect: 'Allow' as const, actions: ['ec2:Describe*'], resources: ['*'], sid: 'A' }];
    expect(permissionSetDocument(statements)).toEqual(fileStatementsDocument(statements));
    expect(customScpDocument(statements)).toEqual(fileStatementsDocument(statements));
  });
});

describe('measure', () => {
  const doc = policyDocument([
    { Sid: 'Small', Effect: 'Allow', Action: 'a:b', Resource: '*' },
    { Effect: 'Deny', Action: ['a:c', 'a:d', 'a:e', 'a:f', 'a:g'], Resource: '*' },
  ]);

  test('the size is the length of the JSON the stacks emit', () => {
    expect(policySize(doc)).toBe(policyJson(doc).length);
    expect(policiesSize([doc, doc])).toBe(2 * policySize(doc));
  });

  test('the largest statement is named by its Sid, or its position', () => {
    expect(largestStatement(doc).name).toBe('statement 2');
  });

  test('overLimit gives the size only when over', () => {
    expect(overLimit(doc, policySize(doc))).toBeUndefined();
    expect(overLimit(doc, policySize(doc) - 1)).toBe(policySize(doc));
    expect(overLimit([doc, doc], policySize(doc))).toBe(2 * policySize(doc));
  });
});

describe('split', () => {
  test('parts keep the order, each within the limit; an item alone over it gets its own part', () => {
    const items = [5, 5, 5, 12, 1, 1];
    const parts = splitToFit(items, 11, 1, () => (n) => n);
    expect(parts).toEqual([[5, 5], [5], [12], [1, 1]]);
    expect(parts.flat()).toEqual(items);
    expect(splitToFit([], 10, 0, () => (n: number) => n)).toEqual([]);
  });

  test("a function group's assume-role policy splits into parts that each fit the quota less the margin", () => {
    const roles = Array.from({ length: 400 }, (_, i) => ({
      arn: `arn:aws:iam::${String(100000000000 + i)}:role/developers`,
      ...(i % 3 === 0 ? { until: '2030-01-01T00:00:00Z' } : {}),
    }));
    const parts = assumePolicyParts('developers', roles, 3600);
    expect(parts.length).toBeGreaterThan(1);
    for (const statements of parts) {
      expect(policySize(policyDocument(statements))).toBeLessThanOrEqual(
        MANAGED_POLICY_MAX_CHARS - PLAN_LIMITS.managedPolicySplitMarginChars,
      );
    }
    const arns = parts.flatMap((statements) => statements.flatMap((s) => s.Resource as string[]));
    expect([...arns].sort()).toEqual(roles.map((r) => r.arn).sort());
  });
});
