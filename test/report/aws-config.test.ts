import { readFileSync } from 'fs';
import * as path from 'path';
import { compileOrgFile, compileOrgText } from '../../src/plan/compile';
import { renderAwsConfig, roleProfiles } from '../../src/report/aws-config';
import { timeBoundOrg } from '../fixtures/people/two-accounts';
import type { OrgPlan } from '../../src/plan/types';

const EXAMPLE = path.join(__dirname, '..', '..', 'config', 'org.yaml');
const plan = compileOrgFile(EXAMPLE).plan!;

/** The example plus nina, who has a function but neither console nor access key. */
function withNina(): OrgPlan {
  const text = readFileSync(EXAMPLE, 'utf8').replace(
    '\nguardrails:',
    '  nina:\n    name: Nina Nokey\n    email: nina@acme.example\n    functions: [auditors]\n\nguardrails:',
  );
  const result = compileOrgText(text, 'org.yaml');
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.plan;
}

describe('aws-config', () => {
  test('one profile per role the person may assume, and none other', () => {
    expect(roleProfiles(plan, 'alice').map((p) => p.profile)).toEqual([
      'acme-development-operations',
      'acme-production-operations',
      'acme-sandbox-operations',
      'acme-storage-operations',
    ]);
    expect(roleProfiles(plan, 'nobody')).toEqual([]);
  });

  test('each role profile carries role_arn, source_profile, mfa_serial, the session name the trust demands and the role session length', () => {
    const text = renderAwsConfig(plan, 'alice');
    expect(text).toContain(
      [
        '[profile acme-production-operations]',
        'role_arn = arn:aws:iam::222222222222:role/operations',
        'source_profile = acme',
        'mfa_serial = arn:aws:iam::111111111111:mfa/alice',
        'role_session_name = alice',
        'duration_seconds = 3600',
      ].join('\n'),
    );
    expect(text).toContain('https://signin.aws.amazon.com/switchrole?roleName=operations&account=222222222222');
  });

  test('duration_seconds is the function sessionDuration (developers: 4h), so CLI sessions are not cut to 1 h', () => {
    expect(renderAwsConfig(plan, 'dave')).toContain(
      'role_arn = arn:aws:iam::444444444444:role/developers\nsource_profile = acme\nmfa_serial = arn:aws:iam::111111111111:mfa/dave\nrole_session_name = dave\nduration_seconds = 14400',
    );
  });

  test('key only (dave): the credentials file and profiles, no console links', () => {
    const text = renderAwsConfig(plan, 'dave');
    expect(text).toContain('# Put your access key into ~/.aws/credentials under [acme].');
    expect(text).toContain('[profile acme-production-developers]');
    expect(text).not.toContain('switchrole');
    expect(text).not.toContain('signin.aws.amazon.com/console');
    expect(text).toContain('# No console links: dave has no console password');
  });

  test('console only (bob): sign-in page and switch-role links, no credentials file advice, no profiles', () => {
    const text = renderAwsConfig(plan, 'bob');
    expect(text).not.toContain('~/.aws/credentials');
    expect(text).not.toContain('[profile');
    expect(text).toContain('# Console: sign in at https://111111111111.signin.aws.amazon.com/console (with MFA), then switch role:');
    expect(text).toContain('#   production/developers: https://signin.aws.amazon.com/switchrole?roleName=developers&account=222222222222');
    expect(text).toContain('# No AWS CLI profiles: bob has no access key');
  });

  test('both (alice): profiles and links', () => {
    const text = renderAwsConfig(plan, 'alice');
    expect(text).toContain('~/.aws/credentials');
    expect(text).toContain('[profile acme-storage-operations]');
    expect(text).toContain('#   storage/operations: https://signin.aws.amazon.com/switchrole?');
  });

  test('neither (nina): a note that she cannot sign in at all, and no config to paste', () => {
    const text = renderAwsConfig(withNina(), 'nina');
    expect(text).toContain('# nina has neither console access nor an access key, so nina cannot sign in at all,');
    expect(text).toContain('# Roles nina would reach: master/auditors, development/auditors');
    expect(text).not.toContain('[profile');
    expect(text).not.toContain('switchrole');
    expect(text).not.toContain('~/.aws/credentials');
  });
});

describe('aws-config: time-bound access (issue 20 gap 3)', () => {
  const UNTIL = '2026-12-10T18:00:00Z';
  const ORG = timeBoundOrg(
    UNTIL,
    `  olga: { name: Olga, email: olga@acme.example, functions: [operations], accessKey: true, console: true, pgpKey: "keybase:olga" }
  bob: { name: Bob, email: bob@acme.example, functions: [{ name: breakglass, until: "${UNTIL}" }], accessKey: true, console: true, pgpKey: "keybase:bob" }
`,
  );
  const result = compileOrgText(ORG, 'org.yaml');
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  const timed = result.plan;

  test('a time-bound member (no group, a policy of their own) gets the function role profile, marked with its until', () => {
    const profiles = roleProfiles(timed, 'bob');
    expect(profiles.map((p) => [p.profile, p.until])).toEqual([['acme-production-breakglass', UNTIL]]);
    const text = renderAwsConfig(timed, 'bob');
    expect(text).not.toContain('there is no role to assume');
    expect(text).toContain(`# role breakglass on production, through function breakglass, until ${UNTIL} (time-bound`);
    expect(text).toContain('[profile acme-production-breakglass]\nrole_arn = arn:aws:iam::222222222222:role/breakglass');
    expect(text).toContain(`#   production/breakglass (until ${UNTIL}): https://signin.aws.amazon.com/switchrole?`);
  });

  test('a time-bound grant: its profile says until, the role held for good does not', () => {
    const profiles = roleProfiles(timed, 'olga');
    expect(profiles.map((p) => [p.role, p.until])).toEqual([
      ['operations-admin', UNTIL],
      ['readonly', undefined],
    ]);
  });
});
