/**
 * The people backend (SPEC sections 1 and 5b): IAM users in the identity
 * account (`iam-users`, the default), IAM Identity Center
 * (`identity-center`), or both while people move from one to the other
 * (docs/identity-center.md). This file answers "which backend" for every
 * layer, and holds the reference checks only Identity Center needs.
 */
import type { KeyPath } from './diagnostics';
import type { Message } from './messages';
import type { ReferenceResult, Report, Sections } from './references';
import type { Organization, PeopleBackend } from './schema';
import { unknownReference } from './reference-messages';
import { durationSeconds } from './duration';

/** The backends a file uses, in the file's order; absent = IAM users. */
export function peopleBackends(organization: Pick<Organization, 'people'> | undefined): PeopleBackend[] {
  const value = organization?.people;
  if (value === undefined) return ['iam-users'];
  return typeof value === 'string' ? [value] : [...new Set(value)];
}

export function usesIamUsers(organization: Pick<Organization, 'people'> | undefined): boolean {
  return peopleBackends(organization).includes('iam-users');
}

export function usesIdentityCenter(organization: Pick<Organization, 'people'> | undefined): boolean {
  return peopleBackends(organization).includes('identity-center');
}

/** The account administering Identity Center: identityCenter.account, else the master. */
export function identityCenterAccountName(organization: Organization): string {
  return organization.identityCenter?.account ?? organization.master;
}

// ---------------------------------------------------------------------------
// Messages (codes RC7xx, src/checks/catalogue.ts)

const INSTANCE_FIX =
  'add organization.identityCenter: { instanceArn: arn:aws:sso:::instance/ssoins-0123456789abcdef, identityStoreId: d-0123456789 } (the values `aws sso-admin list-instances` prints)';

export function identityCenterMissing(): Message {
  return {
    code: 'RC701',
    message: 'people: identity-center needs the Identity Center instance rolecall writes to',
    expected: 'organization.identityCenter with instanceArn and identityStoreId (plans need no look-up)',
    fix: INSTANCE_FIX,
  };
}

export function identityCenterUnused(): Message {
  return {
    code: 'RC702',
    message: 'organization.identityCenter is set but organization.people does not name identity-center: nothing is written to it',
    fix: 'add people: identity-center (or [iam-users, identity-center] while people move), or remove identityCenter',
  };
}

export function backendTwice(backend: string): Message {
  return {
    code: 'RC703',
    message: `people backend "${backend}" is listed twice`,
    expected: 'iam-users, identity-center, or [iam-users, identity-center]',
    fix: 'list each backend once',
  };
}

export function administeringAccountWithoutId(account: string): Message {
  return {
    code: 'RC704',
    message: `the account administering Identity Center, "${account}", has no id`,
    expected: 'an account with its 12-digit id: its stack holds the permission sets and account assignments',
    fix: `write accounts.${account}.id, or administer Identity Center from the master (remove identityCenter.account)`,
  };
}

export function externalGroupMissing(fn: string): Message {
  return {
    code: 'RC705',
    message: `function ${fn} has no group id in identityCenter.groups: with an external IdP every function's group comes from it`,
    expected: 'one identity store group id (a UUID) per function',
    fix: `add ${fn}: <the group id the IdP provisions> to identityCenter.groups (\`aws identitystore list-groups --identity-store-id ...\`)`,
  };
}

export function iamUserSetting(what: string, instead: string): Message {
  return {
    code: 'RC706',
    message: `${what} is an IAM-user setting: with people: identity-center alone there are no IAM users or groups to give it`,
    expected: 'settings Identity Center has an equivalent for',
    fix: instead,
  };
}

export function timeBoundOnIdentityCenter(what: string): Message {
  return {
    code: 'RC707',
    message: `${what}: Identity Center account assignments and memberships have no end, so access would outlast it`,
    expected: 'no until or breakGlass while organization.people names identity-center',
    fix: 'remove the end and the access when it is due (a reviewed change), or keep this access on people: iam-users',
  };
}

export function instanceMustEnforce(maxAge: string | undefined, external: boolean): Message {
  const mfa = maxAge === undefined ? 'MFA at every sign-in' : `MFA at every sign-in (functions ask for MFA at most ${maxAge} old)`;
  return {
    code: 'RC708',
    message: `Identity Center settings Terraform cannot set: the instance must require ${mfa}; its access portal session duration bounds how long a sign-in lasts${external ? '; the external IdP decides who is in each group' : ''}`,
    fix: 'check them as docs/identity-center.md#what-the-instance-must-enforce shows',
  };
}

export function managementAssignmentOfOwnGroup(fn: string, master: string): Message {
  return {
    code: 'RC709',
    message: `function ${fn} is granted on the management account ${master}, but its group is created in the delegated administrator's stack: the management stack cannot name it without a look-up`,
    expected:
      'grants on the management account for functions whose group id is in the file (identityCenter.groups), or Identity Center administered from the management account',
    fix: `add ${fn}'s group id to identityCenter.groups, remove identityCenter.account, or grant ${master} to another function`,
  };
}

export function sessionsDiffer(role: string, account: string, seconds: number, firstAccount: string, firstSeconds: number): Message {
  return {
    code: 'RC710',
    message: `role ${role} has the same permission sets on ${account} (session ${seconds / 3600}h) as on ${firstAccount} (session ${firstSeconds / 3600}h): on Identity Center they are one permission set, with one session duration`,
    expected: 'one sessionDuration per role and permission sets',
    fix: `write the same sessionDuration on both, or give one of them its own role (role: ...)`,
  };
}

// ---------------------------------------------------------------------------
// The checks

/** Runs after the reference checks; reports through the same `report`. */
export function checkIdentityCenter(s: Sections, report: Report, grants: ReferenceResult['grants'] = {}): void {
  const org = s.organization;
  if (!org) return;
  const raw = org.people;
  if (Array.isArray(raw)) {
    const seen = new Set<string>();
    raw.forEach((b, i) => {
      if (seen.has(b)) report(['organization', 'people', i], backendTwice(b));
      seen.add(b);
    });
  }
  const idc = usesIdentityCenter(org);
  const center = org.identityCenter;
  if (!idc) {
    if (center !== undefined) report(['organization', 'identityCenter'], identityCenterUnused(), 'notice');
    return;
  }
  if (center === undefined) {
    report(['organization', 'people'], identityCenterMissing());
    return;
  }
  const accounts = s.accounts ?? {};
  const functions = s.functions ?? {};
  if (center.account !== undefined) {
    const known = Object.keys(accounts);
    if (!Object.prototype.hasOwnProperty.call(accounts, center.account))
      report(['organization', 'identityCenter', 'account'], unknownReference('account', center.account, known, 'accounts'));
    else if (!accounts[center.account]?.id)
      report(['organization', 'identityCenter', 'account'], administeringAccountWithoutId(center.account));
  }
  const external = center.groups !== undefined;
  if (center.groups !== undefined) {
    const names = Object.keys(functions);
    for (const fn of Object.keys(center.groups)) {
      if (!Object.prototype.hasOwnProperty.call(functions, fn))
        report(['organization', 'identityCenter', 'groups', fn], unknownReference('function', fn, names, 'functions'));
    }
    for (const fn of names) {
      if (!Object.prototype.hasOwnProperty.call(center.groups, fn)) report(['functions', fn], externalGroupMissing(fn));
    }
  }
  const alone = !usesIamUsers(org);
  let strictest: { text: string; seconds: number } | undefined;
  for (const [name, fn] of Object.entries(functions)) {
    if (!fn) continue;
    const path: KeyPath = ['functions', name];
    const seconds = durationSeconds(fn.mfaMaxAge);
    if (strictest === undefined || seconds < strictest.seconds) strictest = { text: fn.mfaMaxAge, seconds };
    if (fn.breakGlass !== undefined) report([...path, 'breakGlass'], timeBoundOnIdentityCenter(`break-glass function ${name}`));
    if (Array.isArray(fn.access)) {
      fn.access.forEach((g, i) => {
        if (g.until !== undefined)
          report([...path, 'access', i, 'until'], timeBoundOnIdentityCenter(`function ${name}'s grant ends at ${g.until}`));
      });
    }
    if (alone && fn.principals !== undefined)
      report(
        [...path, 'principals'],
        iamUserSetting(`functions.${name}.principals`, 'let the machines assume a role of their own account stack'),
      );
    if (alone && fn.identityPermissions !== undefined)
      report(
        [...path, 'identityPermissions'],
        iamUserSetting(`functions.${name}.identityPermissions`, `grant the administering account by name in functions.${name}.access`),
      );
  }
  for (const [key, person] of Object.entries(s.people ?? {})) {
    if (!person) continue;
    const path: KeyPath = ['people', key];
    for (const [fn, until] of Object.entries(person.until ?? {})) {
      const index = person.functions.indexOf(fn);
      report([...path, 'functions', index, 'until'], timeBoundOnIdentityCenter(`${key}'s membership of ${fn} ends at ${until}`));
    }
    if (!alone) continue;
    for (const flag of ['console', 'accessKey'] as const) {
      if (person[flag])
        report([...path, flag], iamUserSetting(`people.${key}.${flag}`, 'remove it: people sign in through the AWS access portal'));
    }
    for (const flag of ['pgpKey', 'accessKeyId'] as const) {
      if (person[flag] !== undefined) report([...path, flag], iamUserSetting(`people.${key}.${flag}`, 'remove it'));
    }
  }
  if (alone && org.peopleShards !== undefined)
    report(['organization', 'peopleShards'], iamUserSetting('organization.peopleShards', 'remove it'));
  if (alone && s.deploy?.adopt !== undefined)
    report(['deploy', 'adopt'], iamUserSetting('deploy.adopt', 'remove it (Identity Center makes its roles itself)'));
  const master = org.master;
  const admin = center.account ?? master;
  // Only for a known administering account: an unknown one is already an error (RC201).
  if (admin !== master && Object.prototype.hasOwnProperty.call(accounts, admin)) {
    for (const [name, fn] of Object.entries(functions)) {
      if (!fn || external) continue;
      const grantsMaster = Array.isArray(fn.access)
        ? fn.access.some((g) => Array.isArray(g.accounts) && g.accounts.includes(master))
        : master in fn.access;
      if (grantsMaster) report(['functions', name, 'access'], managementAssignmentOfOwnGroup(name, master));
    }
  }
  // One permission set per (role, permission sets): its session duration must be one.
  const sessions = new Map<string, { seconds: number; fn: string; account: string }>();
  for (const fn of Object.keys(grants).sort()) {
    for (const account of Object.keys(grants[fn]).sort()) {
      for (const g of grants[fn][account]) {
        const key = [g.role, ...g.permissionSets].join('--');
        const first = sessions.get(key);
        if (first === undefined) sessions.set(key, { seconds: g.sessionDuration, fn, account });
        else if (first.seconds !== g.sessionDuration)
          report(['functions', fn, 'access'], sessionsDiffer(g.role, account, g.sessionDuration, first.account, first.seconds));
      }
    }
  }
  report(['organization', 'people'], instanceMustEnforce(strictest?.text, external), 'notice');
}
