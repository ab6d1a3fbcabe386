import { Testing } from 'cdktf';
import { FunctionRole, managedPolicyId } from '../../src/constructs/iam-role';
import { productionStack } from '../fixtures/plan';
import { only, parsePolicy, synth } from './synth';

const roles = () => productionStack().roles;
const byKey = (key: string) => roles().find((r) => r.key === key)!;

describe('FunctionRole', () => {
  it('renders the role with the trust policy of the plan, unchanged', () => {
    const plan = byKey('developers');
    const s = synth((scope) => new FunctionRole(scope, 'role-developers', { role: plan }));
    const role = only(s, 'aws_iam_role');
    expect(parsePolicy(role.assume_role_policy)).toEqual(plan.trustPolicy);
    expect(role).toMatchObject({ name: 'developers', path: '/', max_session_duration: 3600, tags: { Function: 'developers' } });
    // Exclusive role arguments would fight the attachment resources.
    expect(role).not.toHaveProperty('managed_policy_arns');
    expect(role).not.toHaveProperty('inline_policy');
    expect(Object.keys(s.resource.aws_iam_role)).toEqual(['role-developers']);
  });

  it('attaches each managed policy ARN with its own attachment', () => {
    const plan = byKey('operations');
    const s = synth((scope) => new FunctionRole(scope, 'role-operations', { role: plan }));
    const attachments = Object.values(s.resource.aws_iam_role_policy_attachment);
    expect(attachments.map((a) => a.policy_arn)).toEqual(plan.managedPolicyArns);
    for (const a of attachments) expect(a.role).toBe('${aws_iam_role.role-operations.name}');
    expect(s.resource.aws_iam_role_policy).toBeUndefined();
    expect(
      Testing.toHaveResourceWithProperties(s.json, 'aws_iam_role_policy_attachment', {
        policy_arn: 'arn:aws:iam::aws:policy/job-function/NetworkAdministrator',
      }),
    ).toBe(true);
  });

  it('renders one inline policy per permission set with statements', () => {
    const plan = byKey('auditors');
    const s = synth((scope) => new FunctionRole(scope, 'role-auditors', { role: plan }));
    const inline = only(s, 'aws_iam_role_policy');
    expect(inline.name).toBe('audit-buckets');
    expect(parsePolicy(inline.policy)).toEqual(plan.inlinePolicies[0].document);
    expect(Object.keys(s.resource.aws_iam_role_policy)[0]).toMatch(/^role-auditors_inline-audit-buckets_[0-9A-F]{8}$/);
  });

  it('derives attachment ids from the ARN only', () => {
    expect(managedPolicyId('arn:aws:iam::aws:policy/AdministratorAccess')).toBe('managed-aws-AdministratorAccess');
    expect(managedPolicyId('arn:aws:iam::aws:policy/job-function/NetworkAdministrator')).toBe(
      'managed-aws-job-function-NetworkAdministrator',
    );
    expect(managedPolicyId('arn:aws:iam::111111111111:policy/x/y')).toBe('managed-111111111111-x-y');
  });
});

describe('FunctionRole exclusive ownership', () => {
  it('lists exactly the rolecall managed policy ARNs and inline policy names, after creating them', () => {
    const plan = byKey('operations');
    const s = synth((scope) => new FunctionRole(scope, 'role-operations', { role: plan }));
    const exclusive = only(s, 'aws_iam_role_policy_attachments_exclusive');
    expect(exclusive.role_name).toBe('${aws_iam_role.role-operations.name}');
    expect(exclusive.policy_arns).toEqual(plan.managedPolicyArns);
    expect((exclusive.depends_on as string[]).length).toBe(plan.managedPolicyArns.length);
    expect(only(s, 'aws_iam_role_policies_exclusive')).toMatchObject({
      role_name: '${aws_iam_role.role-operations.name}',
      policy_names: [],
    });
    expect(s.resource.aws_iam_policy_attachment).toBeUndefined();

    const auditors = byKey('auditors');
    const a = synth((scope) => new FunctionRole(scope, 'role-auditors', { role: auditors }));
    expect(only(a, 'aws_iam_role_policies_exclusive').policy_names).toEqual(auditors.inlinePolicies.map((p) => p.name));
    expect(Object.keys(a.resource.aws_iam_role_policies_exclusive)[0]).toMatch(/^role-auditors_inline-exclusive_[0-9A-F]{8}$/);
  });
});
