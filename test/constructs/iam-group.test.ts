import { FunctionGroup } from '../../src/constructs/iam-group';
import { terraformSafe } from '../../src/constructs/terraform-literal';
import { masterStack } from '../fixtures/plan';
import { only, parsePolicy, synth } from './synth';

describe('FunctionGroup', () => {
  it('renders the group, its customer managed policy and its attachment', () => {
    const plan = masterStack().groups.find((g) => g.key === 'RequireMFA')!;
    const s = synth((scope) => new FunctionGroup(scope, 'group-RequireMFA', { group: terraformSafe(plan), members: ['alice'] }));
    expect(s.resource.aws_iam_group).toEqual({ 'group-RequireMFA': { name: 'RequireMFA', path: '/' } });
    const policy = only(s, 'aws_iam_policy');
    expect(policy).toMatchObject({ name: 'RequireMFA-SelfManageCredentials', path: '/', description: plan.policies[0].description });
    // The self-service statements name `${aws:username}` literally.
    expect(String(policy.policy)).toContain('user/$${aws:username}');
    expect(parsePolicy(policy.policy)).toEqual(plan.policies[0].document);
    const attachment = only(s, 'aws_iam_group_policy_attachment');
    expect(attachment.group).toBe('${aws_iam_group.group-RequireMFA.name}');
    expect(String(attachment.policy_arn)).toMatch(
      /^\$\{aws_iam_policy\.group-RequireMFA_policy-RequireMFA-SelfManageCredentials_[0-9A-F]{8}\.arn\}$/,
    );
    expect(s.resource.aws_iam_policy_attachment).toBeUndefined();
  });

  it('owns its policies exclusively: the exclusive resources list exactly the rolecall policies', () => {
    const plan = masterStack().groups.find((g) => g.key === 'RequireMFA')!;
    const s = synth((scope) => new FunctionGroup(scope, 'group-RequireMFA', { group: plan, members: [] }));
    const attachment = only(s, 'aws_iam_group_policy_attachment');
    const exclusive = only(s, 'aws_iam_group_policy_attachments_exclusive');
    expect(exclusive.group_name).toBe('${aws_iam_group.group-RequireMFA.name}');
    expect(exclusive.policy_arns).toEqual([attachment.policy_arn]);
    // Runs after the attachments, so creating the group never detaches its own policy.
    expect((exclusive.depends_on as string[]).length).toBe(1);
    expect(only(s, 'aws_iam_group_policies_exclusive')).toEqual({ group_name: '${aws_iam_group.group-RequireMFA.name}', policy_names: [] });
  });

  it('owns its member list: one aws_iam_group_membership with exactly the members given', () => {
    const plan = masterStack().groups.find((g) => g.key === 'developers')!;
    const members = ['${aws_iam_user.user-alice.name}', '${aws_iam_user.user-bob.name}'];
    const s = synth((scope) => new FunctionGroup(scope, 'group-developers', { group: plan, members }));
    expect(only(s, 'aws_iam_group_membership')).toEqual({
      name: 'rolecall-developers-members',
      group: '${aws_iam_group.group-developers.name}',
      users: members,
    });
    expect(Object.keys(s.resource.aws_iam_group_membership)[0]).toMatch(/^group-developers_members_[0-9A-F]{8}$/);
  });

  it('renders a group without policies or members with empty exclusive lists: anything added by hand is drift', () => {
    const s = synth(
      (scope) => new FunctionGroup(scope, 'group-x', { group: { key: 'x', name: 'x', path: '/', policies: [] }, members: [] }),
    );
    expect(Object.keys(s.resource).sort()).toEqual([
      'aws_iam_group',
      'aws_iam_group_membership',
      'aws_iam_group_policies_exclusive',
      'aws_iam_group_policy_attachments_exclusive',
    ]);
    expect(only(s, 'aws_iam_group_policy_attachments_exclusive').policy_arns).toEqual([]);
    expect(only(s, 'aws_iam_group_membership').users).toEqual([]);
  });
});
