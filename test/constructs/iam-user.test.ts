import { PersonUser } from '../../src/constructs/iam-user';
import { masterStack } from '../fixtures/plan';
import { only, synth } from './synth';

const userPlan = (key: string) => masterStack().users.find((u) => u.key === key)!;

describe('PersonUser', () => {
  it('renders a force-destroyable user; memberships belong to the groups', () => {
    const s = synth((scope) => new PersonUser(scope, 'user-bob', { user: userPlan('bob') }));
    expect(s.resource.aws_iam_user).toEqual({
      'user-bob': { name: 'bob', path: '/', force_destroy: true, tags: { Name: 'bob', Email: 'bob@acme.example' } },
    });
    expect(s.resource.aws_iam_user_group_membership).toBeUndefined();
    // No policy of its own, exclusively: anything attached by hand is drift.
    expect(only(s, 'aws_iam_user_policy_attachments_exclusive')).toEqual({ user_name: '${aws_iam_user.user-bob.name}', policy_arns: [] });
    expect(only(s, 'aws_iam_user_policies_exclusive')).toEqual({ user_name: '${aws_iam_user.user-bob.name}', policy_names: [] });
    expect(s.resource.aws_iam_group_membership).toBeUndefined();
    expect(s.resource.aws_iam_policy_attachment).toBeUndefined();
  });

  it('gives the login profile a PGP key and ignores changes that would reset the password', () => {
    const s = synth((scope) => new PersonUser(scope, 'user-bob', { user: userPlan('bob') }));
    expect(only(s, 'aws_iam_user_login_profile')).toMatchObject({
      pgp_key: 'keybase:bob',
      password_length: 24,
      password_reset_required: true,
      lifecycle: { ignore_changes: ['password_length', 'password_reset_required', 'pgp_key'] },
    });
    expect(s.resource.aws_iam_access_key).toBeUndefined();
  });

  it('encrypts the access key with the PGP key', () => {
    const s = synth((scope) => new PersonUser(scope, 'user-dave', { user: userPlan('dave') }));
    expect(only(s, 'aws_iam_access_key')).toMatchObject({ pgp_key: 'keybase:dave', user: '${aws_iam_user.user-dave.name}' });
    expect(s.resource.aws_iam_user_login_profile).toBeUndefined();
    expect(Object.keys(s.output).sort()).toEqual(['dave_access_key_id', 'dave_secret_encrypted', 'dave_secret_key_fingerprint']);
  });

  it('outputs only encrypted values, fingerprints and the access key id', () => {
    const s = synth((scope) => new PersonUser(scope, 'user-alice', { user: userPlan('alice') }));
    const values = Object.values(s.output).map((o) => o.value);
    const attributes = values.map((v) => /\.([a-z_]+)\}$/.exec(v)![1]).sort();
    expect(attributes).toEqual(['encrypted_password', 'encrypted_secret', 'id', 'key_fingerprint', 'key_fingerprint']);
    for (const v of values) expect(v).not.toMatch(/\.(password|secret|ses_smtp_password_v4)\}$/);
    expect(Object.keys(s.output).sort()).toEqual([
      'alice_access_key_id',
      'alice_password_encrypted',
      'alice_password_key_fingerprint',
      'alice_secret_encrypted',
      'alice_secret_key_fingerprint',
    ]);
  });

  it('renders only the user for a user without password or key', () => {
    const s = synth((scope) => new PersonUser(scope, 'user-x', { user: { ...userPlan('dave'), groups: [], accessKey: undefined } }));
    expect(Object.keys(s.resource).sort()).toEqual([
      'aws_iam_user',
      'aws_iam_user_policies_exclusive',
      'aws_iam_user_policy_attachments_exclusive',
    ]);
    expect(s.output).toEqual({});
  });
});
