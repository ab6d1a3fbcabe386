import { FunctionGroup } from '../../src/constructs/iam-group';
import { masterStack } from '../fixtures/plan';
import { only, parsePolicy, synth } from './synth';

describe('FunctionGroup', () => {
  it('renders the group, its customer managed policy and a non-exclusive attachment', () => {
    const plan = masterStack().groups.find((g) => g.key === 'RequireMFA')!;
    const s = synth((scope) => new FunctionGroup(scope, 'group-RequireMFA', { group: plan }));
    expect(s.resource.aws_iam_group).toEqual({ 'group-RequireMFA': { name: 'RequireMFA', path: '/' } });
    const policy = only(s, 'aws_iam_policy');
    expect(policy).toMatchObject({ name: 'RequireMFA-SelfManageCredentials', path: '/', description: plan.policies[0].description });
    // The self-service statements name `${aws:username}` literally.
    expect(String(policy.policy)).toContain('user/$${aws:username}');
    expect(parsePolicy(policy.policy)).toEqual(plan.policies[0].document);
    const attachment = only(s, 'aws_iam_group_policy_attachment');
    expect(attachment.group).toBe('${aws_iam_group.group-RequireMFA.name}');
    expect(String(attachment.policy_arn)).toMatch(/^\$\{aws_iam_policy\.group-RequireMFA_policy-RequireMFA-SelfManageCredentials_[0-9A-F]{8}\.arn\}$/);
    expect(s.resource.aws_iam_policy_attachment).toBeUndefined();
  });

  it('renders a group without policies as the bare group', () => {
    const s = synth((scope) => new FunctionGroup(scope, 'group-x', { group: { key: 'x', name: 'x', path: '/', policies: [] } }));
    expect(Object.keys(s.resource)).toEqual(['aws_iam_group']);
  });
});
