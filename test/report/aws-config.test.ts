import * as path from 'path';
import { compileOrgFile } from '../../src/plan/compile';
import { renderAwsConfig, roleProfiles } from '../../src/report/aws-config';

const plan = compileOrgFile(path.join(__dirname, '..', '..', 'config', 'org.yaml')).plan!;

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

  test('each role profile carries role_arn, source_profile, mfa_serial and the session name the trust demands', () => {
    const text = renderAwsConfig(plan, 'alice');
    expect(text).toContain(
      [
        '[profile acme-production-operations]',
        'role_arn = arn:aws:iam::222222222222:role/operations',
        'source_profile = acme',
        'mfa_serial = arn:aws:iam::111111111111:mfa/alice',
        'role_session_name = alice',
      ].join('\n'),
    );
    expect(text).toContain('https://signin.aws.amazon.com/switchrole?roleName=operations&account=222222222222');
  });
});
