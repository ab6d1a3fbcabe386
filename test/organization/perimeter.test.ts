/** The member identity perimeter in the plan: SCP statement, RCP document, and their quotas (issue 7, finding 3). */
import { formatDiagnostic } from '../../src/model/diagnostics';
import {
  DENIED_IDENTITY_PERIMETER_ACTIONS,
  MEMBER_PERIMETER_RCP,
  memberBaselineScp,
  memberPerimeterRcp,
} from '../../src/plan/organization';
import { MANAGED_TEXT, planOf } from '../fixtures/organization';
import { checkOrganization } from '../helpers/checks';

describe('member identity perimeter', () => {
  test('the baseline SCP denies new identity providers, Roles Anywhere and Identity Center to all but the deploy role', () => {
    const doc = memberBaselineScp('Deployer');
    const statement = doc.Statement.find((s) => s.Sid === 'DenyNewIdentityPerimeterExceptDeployRole')!;
    expect(statement.Action).toEqual(DENIED_IDENTITY_PERIMETER_ACTIONS);
    expect(DENIED_IDENTITY_PERIMETER_ACTIONS).toEqual(
      expect.arrayContaining([
        'iam:CreateOpenIDConnectProvider',
        'iam:CreateSAMLProvider',
        'rolesanywhere:CreateTrustAnchor',
        'sso:CreateInstance',
      ]),
    );
    expect(statement.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Deployer' } });
  });

  test('the RCP: organization id, AWS services and named principals are the only ways in', () => {
    expect(memberPerimeterRcp('o-abc123defg', []).Statement).toEqual([
      {
        Sid: 'DenyAssumeRoleFromOutsideTheOrganization',
        Effect: 'Deny',
        Principal: '*',
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
        Resource: '*',
        Condition: {
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
          StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc123defg' },
        },
      },
      // Issue 17: with no HCP Terraform, no named CI role and no Cognito opt-in, no web identity token gets in.
      { Sid: 'DenyWebIdentityFromOtherIssuers', Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRoleWithWebIdentity', Resource: '*' },
    ]);
    const named = memberPerimeterRcp('o-abc123defg', ['arn:aws:iam::888888888888:role/ci', 'arn:aws:iam::777777777777:root']).Statement[0];
    expect(named.Condition).toMatchObject({
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc123defg', 'aws:PrincipalAccount': ['777777777777'] },
      ArnNotLikeIfExists: { 'aws:PrincipalArn': ['arn:aws:iam::888888888888:role/ci'] },
    });
  });

  test('web identity: HCP Terraform of the named organisation and project, named CI roles, Cognito where opted in', () => {
    const rcp = memberPerimeterRcp('o-abc123defg', [], {
      tfc: { organization: 'acme', project: 'aws-iam' },
      namedRoles: ['arn:aws:iam::444444444444:role/github-actions/deploy'],
      cognitoAccountIds: ['555555555555'],
    });
    expect(rcp.Statement.slice(1)).toEqual([
      {
        Sid: 'DenyWebIdentityFromOtherIssuers',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sts:AssumeRoleWithWebIdentity',
        NotResource: ['arn:aws:iam::444444444444:role/github-actions/deploy'],
        Condition: { Null: { 'app.terraform.io:sub': 'true', 'cognito-identity.amazonaws.com:aud': 'true' } },
      },
      {
        Sid: 'DenyHcpTerraformOfOtherOrganizationsOrProjects',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Resource: '*',
        Condition: {
          Null: { 'app.terraform.io:sub': 'false' },
          StringNotLike: { 'app.terraform.io:sub': 'organization:acme:project:aws-iam:workspace:*' },
        },
      },
      {
        Sid: 'DenyCognitoOutsideOptedInAccounts',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Resource: '*',
        Condition: {
          Null: { 'cognito-identity.amazonaws.com:aud': 'false' },
          StringNotEquals: { 'aws:ResourceAccount': ['555555555555'] },
        },
      },
    ]);
  });

  test('an RCP over 5,120 characters is a located error', () => {
    const { model, org } = planOf(MANAGED_TEXT);
    const rcp = org.policies.find((p) => p.key === MEMBER_PERIMETER_RCP)!;
    const many = Array.from({ length: 150 }, (_, i) => `arn:aws:iam::8888888888${String(i).padStart(2, '0')}:role/ci-${i}`);
    rcp.document = memberPerimeterRcp('o-abc123defg', many);
    const errors = checkOrganization(model, org).map(formatDiagnostic);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /accounts: resource control policy "rolecall-member-perimeter": \d+ characters, over the AWS Organizations quota of 5120/,
    );
    expect(errors[0]).toMatch(/fix: name fewer external principals/);
  });

  test("RCPs count against their own 5 per target (RCPFullAWSAccess included), not the SCPs'", () => {
    const { model, org } = planOf(MANAGED_TEXT);
    const rcp = org.policies.find((p) => p.key === MEMBER_PERIMETER_RCP)!;
    expect(checkOrganization(model, org)).toEqual([]);
    for (let i = 0; i < 4; i++) org.policies.push({ ...rcp, key: `extra-${i}`, name: `extra-${i}`, targets: ['storage'] });
    const errors = checkOrganization(model, org).map(formatDiagnostic);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /account "storage" would carry 6 resource control policies \(RCPFullAWSAccess, rolecall-member-perimeter, extra-0/,
    );
  });
});
