/** The reference checks of functions: names, durations, access (grants), identityPermissions, principals, breakGlass. */
import type { KeyPath } from '../diagnostics';
import { durationSeconds } from '../duration';
import { LIMITS } from '../../limits';
import { GENERATED_NAMES, PRINCIPAL_ARN_PATTERN, ROLE_NAME_PATTERN } from './text';
import type { CheckContext } from './resolution';
import * as msg from '../reference-messages';

export function checkFunctions(c: CheckContext): void {
  const functions = c.s.functions;
  if (!functions) return;
  for (const [name, fn] of Object.entries(functions)) {
    const path: KeyPath = ['functions', name];
    c.checkName(path, 'function', name, { max: LIMITS.functionNameChars, why: 'it is the IAM role name' });
    const deployRole = c.s.deploy?.assumeRoleName;
    if (deployRole !== undefined && deployRole.toLowerCase() === name.toLowerCase()) {
      c.report(path, msg.deployRoleIsFunction(deployRole, name));
    } else {
      for (const [generated, what] of GENERATED_NAMES) {
        if (name.toLowerCase() === generated.toLowerCase()) c.report(path, msg.functionIsGeneratedName(name, generated, what));
      }
    }
    if (!fn) continue;
    if (fn.description !== undefined) c.checkDescription([...path, 'description'], `the description of function ${name}`, fn.description);
    c.grants[name] ??= {};
    c.checkDuration(
      [...path, 'mfaMaxAge'],
      'mfaMaxAge',
      fn.mfaMaxAge,
      LIMITS.mfaMaxAgeSeconds,
      '5m',
      '24h',
      'shorter cannot be used in practice; longer would trust an MFA prompt older than a working day',
    );
    c.checkDuration(
      [...path, 'sessionDuration'],
      'sessionDuration',
      fn.sessionDuration,
      LIMITS.sessionDurationSeconds,
      '1h',
      '12h',
      'the IAM limits of a role session',
    );
    const fnSession = durationSeconds(fn.sessionDuration);
    const access = fn.access;
    if (Array.isArray(access)) {
      if (access.length === 0) c.report([...path, 'access'], msg.functionGrantsNothing(name));
      access.forEach((grant, i) => {
        const entryPath: KeyPath = [...path, 'access', i];
        const accounts = c.resolveSelector([...entryPath, 'accounts'], grant.accounts);
        const sets = c.permissionList([...entryPath, 'permissions'], grant.permissions);
        const role = grant.role ?? name;
        if (grant.role !== undefined) checkRoleName(c, [...entryPath, 'role'], grant.role);
        let session = fnSession;
        if (grant.sessionDuration !== undefined) {
          c.checkDuration(
            [...entryPath, 'sessionDuration'],
            'sessionDuration',
            grant.sessionDuration,
            LIMITS.sessionDurationSeconds,
            '1h',
            '12h',
            'the IAM limits of a role session',
          );
          session = durationSeconds(grant.sessionDuration);
        }
        if (grant.until !== undefined) {
          c.checkUntil([...entryPath, 'until'], grant.until);
          // The end is on the identity side; a principal is trusted by the role itself and would keep it.
          if (fn.principals !== undefined) c.report([...entryPath, 'until'], msg.untilWithPrincipals(name));
        }
        for (const account of accounts) c.grant(name, account, sets, role, session, grant.until, entryPath);
      });
    } else {
      const entries = Object.entries(access);
      if (entries.length === 0) c.report([...path, 'access'], msg.functionGrantsNothing(name));
      for (const [account, value] of entries) {
        const entryPath: KeyPath = [...path, 'access', account];
        const known = c.reference(entryPath, 'account', account, c.s.accounts, 'accounts');
        const sets = c.permissionList(entryPath, value);
        if (known) c.grant(name, account, sets, name, fnSession, undefined, entryPath);
      }
    }
    if (fn.identityPermissions !== undefined) c.permissionList([...path, 'identityPermissions'], fn.identityPermissions);
    if (fn.principals !== undefined) checkPrincipals(c, [...path, 'principals'], fn.principals);
    if (fn.breakGlass !== undefined) {
      c.checkDuration(
        [...path, 'breakGlass'],
        'breakGlass',
        fn.breakGlass,
        LIMITS.breakGlassSeconds,
        '15m',
        '24h',
        'a break-glass membership is for an incident, not a standing grant',
      );
      if (fn.principals !== undefined) c.report([...path, 'principals'], msg.breakGlassWithPrincipals(name));
    }
  }
}

/** An explicit role name: IAM's rules, and never the deploy role's name (rolecall would take it over). */
function checkRoleName(c: CheckContext, path: KeyPath, role: string): void {
  if (!ROLE_NAME_PATTERN.test(role)) {
    c.report(path, msg.invalidRoleName(role));
    return;
  }
  const deployRole = c.s.deploy?.assumeRoleName ?? 'OrganizationAccountAccessRole';
  const taken = [deployRole, ...GENERATED_NAMES.map(([name]) => name)];
  if (taken.some((name) => name.toLowerCase() === role.toLowerCase())) c.report(path, msg.roleIsDeployRole(role));
}

/**
 * Machine principals: each an explicit IAM role or account root ARN, no
 * wildcard, never the identity account's root (that would let every
 * person there in without MFA), no repetition.
 */
function checkPrincipals(c: CheckContext, path: KeyPath, principals: string[]): void {
  const identityId = c.identity !== undefined ? c.s.accounts?.[c.identity]?.id : undefined;
  const seen = new Set<string>();
  principals.forEach((arn, i) => {
    const at: KeyPath = [...path, i];
    if (/[*?]/.test(arn)) {
      c.report(at, msg.principalWildcard(arn));
      return;
    }
    const match = PRINCIPAL_ARN_PATTERN.exec(arn);
    if (!match) {
      c.report(at, msg.invalidPrincipal(arn));
      return;
    }
    if (match[2] === 'root' && match[1] === identityId) {
      c.report(at, msg.principalIsIdentityRoot(arn, c.identity!));
      return;
    }
    if (seen.has(arn)) c.report(at, msg.duplicateInList('principal', arn));
    seen.add(arn);
  });
}
