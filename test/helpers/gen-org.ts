/**
 * Seeded, reproducible org files for the access oracle (test/access/oracle.test.ts):
 * random accounts (data, environment, services), functions with map and
 * selector grants, shared roles, identityPermissions, machine principals,
 * pipelines with changers and account selectors, every deploy credentials
 * mode, the identity account apart or not, the organization managed or not,
 * and IAM escalation primitives sprinkled in (self-scoped user policy writes,
 * group joins, policy versions, trust edits, PassRole with compute, and
 * sts:AssumeRole on `arn:aws:iam::*:role/<name>` from the identity account).
 *
 * `generateOrg(seed)` always returns the same text for the same seed; the
 * caller keeps only files that validate (and counts the others), so the
 * generator may produce the odd invalid one rather than re-implement checks.
 */
import { stringify } from 'yaml';

/** mulberry32: small, fast, good enough to spread choices; deterministic per seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Pick {
  int(min: number, max: number): number;
  chance(p: number): boolean;
  one<T>(items: readonly T[]): T;
  some<T>(items: readonly T[], min: number, max: number): T[];
}

function picker(seed: number): Pick {
  const next = rng(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    int,
    chance: (p) => next() < p,
    one: (items) => items[Math.floor(next() * items.length)],
    some: (items, min, max) => {
      const pool = [...items];
      const n = Math.min(pool.length, int(min, max));
      const out: (typeof items)[number][] = [];
      for (let i = 0; i < n; i++) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
      return out;
    },
  };
}

const MEMBER_NAMES = ['prod', 'storage', 'dev', 'sandbox', 'tooling', 'logs'];
const FUNCTION_NAMES = ['ops', 'devs', 'auditors', 'network', 'ci', 'helpers'];
const PEOPLE_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'];
const SERVICES = [['s3'], ['s3', 'logs'], ['ec2'], ['dynamodb', 's3']];
/** Outside every generated organisation (account ids start with 1 there). */
const EXTERNAL_ACCOUNT = '999999999999';

export interface GeneratedOrg {
  seed: number;
  text: string;
  /** What the seed chose, for messages: e.g. `identity apart, tfc-dynamic, managed`. */
  summary: string;
}

type Doc = Record<string, unknown>;

/** The permission sets every file may pick from; escalation primitives are built per file (they name account ids). */
function basePermissions(): Record<string, Doc> {
  return {
    admin: { managed: ['AdministratorAccess'] },
    'view-only': { managed: ['job-function/ViewOnlyAccess'] },
    'logs-read': { managed: ['CloudWatchLogsReadOnlyAccess'] },
    'iam-read': { managed: ['IAMReadOnlyAccess'] },
    'power-user': { managed: ['PowerUserAccess'] },
    's3-write': {
      statements: [
        { actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], resources: ['arn:aws:s3:::data-*', 'arn:aws:s3:::data-*/*'] },
      ],
    },
    'ec2-run': { statements: [{ actions: ['ec2:RunInstances', 'ec2:Describe*'] }] },
    'region-locked-write': {
      statements: [
        { actions: ['dynamodb:PutItem', 'dynamodb:GetItem'], conditions: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } },
      ],
    },
    'deny-iam': {
      statements: [{ actions: ['iam:*', 's3:*'] }, { effect: 'Deny', actions: ['iam:*'], resources: ['*'] }],
    },
  };
}

/** Escalation primitives (issue 16, findings 2 and 3). `identity`: the identity account's id. */
function escalationPermissions(identity: string, functions: string[]): Record<string, Doc> {
  const target = functions[0] ?? 'ops';
  return {
    'self-attach': { statements: [{ actions: ['iam:AttachUserPolicy'], resources: [`arn:aws:iam::${identity}:user/\${aws:username}`] }] },
    'self-put': {
      statements: [{ actions: ['iam:PutUserPolicy', 'iam:GetUser'], resources: [`arn:aws:iam::${identity}:user/\${aws:username}`] }],
    },
    'join-groups': { statements: [{ actions: ['iam:AddUserToGroup'], resources: [`arn:aws:iam::${identity}:group/*`] }] },
    'policy-version': { statements: [{ actions: ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], resources: ['*'] }] },
    'trust-edit': { statements: [{ actions: ['iam:UpdateAssumeRolePolicy', 'iam:GetRole'], resources: ['*'] }] },
    'pass-lambda': { statements: [{ actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'] }] },
    'assume-named': { statements: [{ actions: ['sts:AssumeRole'], resources: [`arn:aws:iam::*:role/${target}`] }] },
    'assume-org-role': { statements: [{ actions: ['sts:AssumeRole'], resources: ['arn:aws:iam::*:role/OrganizationAccountAccessRole'] }] },
    'other-keys': {
      statements: [{ actions: ['iam:CreateAccessKey', 'iam:CreateLoginProfile'], resources: [`arn:aws:iam::${identity}:user/*`] }],
    },
  };
}

const ESCALATIONS = [
  'self-attach',
  'self-put',
  'join-groups',
  'policy-version',
  'trust-edit',
  'pass-lambda',
  'assume-named',
  'assume-org-role',
  'other-keys',
] as const;
const IDENTITY_SAFE = ['iam-read', 'logs-read', 's3-write'];

export function generateOrg(seed: number): GeneratedOrg {
  const p = picker(seed * 7919 + 17);
  const apart = p.chance(0.5);
  const manage = p.chance(0.4);
  const credentials = p.one(['assume-role', 'tfc-dynamic', 'environment'] as const);
  const members = p.some(MEMBER_NAMES, 2, 4).sort();
  const accounts: Record<string, Doc> = { master: { id: '100000000001', data: 'internal', environment: 'production' } };
  if (apart) accounts.identity = { id: '100000000002', data: 'internal', environment: 'production' };
  members.forEach((name, i) => {
    const account: Doc = { id: String(100000000010 + i) };
    const data = p.one(['customer', 'internal', 'test', 'none']);
    if (data !== 'none') account.data = data;
    if (p.chance(0.5)) account.environment = p.one(['production', 'non-production']);
    if (p.chance(0.25)) account.services = p.one(SERVICES);
    if (manage) account.email = `aws+${name}@gen.example`;
    if (p.chance(0.3)) account.tags = { team: p.one(['a', 'b']) };
    accounts[name] = account;
  });
  if (manage) {
    for (const name of Object.keys(accounts)) if (name !== 'master') accounts[name].email = `aws+${name}@gen.example`;
  }
  const identityId = apart ? '100000000002' : '100000000001';
  const functionNames = p.some(FUNCTION_NAMES, 2, 5).sort();
  const permissions = { ...basePermissions(), ...escalationPermissions(identityId, functionNames) };
  const setNames = Object.keys(basePermissions());
  const all = ['master', ...(apart ? ['identity'] : []), ...members];

  const functions: Record<string, Doc> = {};
  for (const fn of functionNames) {
    const f: Doc = {};
    if (p.chance(0.3)) f.mfaMaxAge = p.one(['15m', '1h', '12h']);
    if (p.chance(0.5)) {
      // Map form: a few named accounts.
      const access: Record<string, string | string[]> = {};
      for (const account of p.some(all, 1, 3)) {
        const sets = p.some(account === 'master' || account === 'identity' ? [...setNames, ...ESCALATIONS] : setNames, 1, 2);
        access[account] = sets.length === 1 ? sets[0] : sets;
      }
      f.access = access;
    } else {
      const grants: Doc[] = [];
      const n = p.int(1, 3);
      for (let i = 0; i < n; i++) {
        const kind = p.int(0, 3);
        const accountsSel =
          kind === 0
            ? '*'
            : kind === 1
              ? { environment: (accounts[p.one(members)].environment as string | undefined) ?? 'non-production' }
              : kind === 2
                ? dataSelector(accounts[p.one(members)], members, p)
                : p.some(all, 1, 2);
        const grant: Doc = { accounts: accountsSel, permissions: p.one(setNames) };
        // Expiring grants (DateLessThan aws:CurrentTime), far in the future: still in force today.
        if (i === 0 && p.chance(0.15)) Object.assign(grant, { until: '2099-01-01T00:00:00Z', role: `${fn}-until` });
        grants.push(grant);
      }
      // Several roles for one function on one account (a least-privileged one and an admin one).
      if (p.chance(0.15)) {
        const account = p.one(members);
        grants.push({ accounts: [account], permissions: 'view-only', role: `${fn}-read` });
        grants.push({ accounts: [account], permissions: 'admin', role: `${fn}-admin` });
      }
      f.access = grants;
    }
    if (p.chance(0.35)) {
      const sets = p.some([...ESCALATIONS, ...IDENTITY_SAFE], 1, 2);
      f.identityPermissions = sets.length === 1 ? sets[0] : sets;
    }
    if (p.chance(0.25)) {
      const inOrg = members.includes('tooling') ? accounts.tooling.id : (accounts[members[0]].id as string);
      f.principals = [
        p.one([`arn:aws:iam::${inOrg}:root`, `arn:aws:iam::${inOrg}:role/ci-runner`, `arn:aws:iam::${EXTERNAL_ACCOUNT}:role/deployer`]),
      ];
    }
    functions[fn] = f;
  }
  // A shared role: two functions of their own naming the same role with the same sets on one member.
  if (p.chance(0.3)) {
    const grant = { accounts: [p.one(members)], permissions: p.one(setNames), role: 'shared' };
    functions['share-a'] = { access: [grant] };
    functions['share-b'] = { access: [grant], ...(p.chance(0.5) ? { identityPermissions: p.one(ESCALATIONS) } : {}) };
    functionNames.push('share-a', 'share-b');
  }

  const people: Record<string, Doc> = {};
  for (const name of p.some(PEOPLE_NAMES, 2, 5).sort()) {
    // Now and then a time-bound membership (the person's own policy, not a group membership).
    const memberships: Array<string | Doc> = p.some(functionNames, 0, 2).sort();
    if (memberships.length > 0 && p.chance(0.15)) memberships[0] = { name: memberships[0] as string, until: '2099-01-01T00:00:00Z' };
    people[name] = { name: `Person ${name}`, email: `${name}@gen.example`, functions: memberships };
  }

  const pipelines: Record<string, Doc> = {};
  const pipelineCount = p.int(0, 2);
  for (let i = 0; i < pipelineCount; i++) {
    const pipeline: Doc = { changers: p.some(functionNames, 1, 1) };
    const kind = p.int(0, 3);
    if (kind === 1) pipeline.accounts = p.some(members, 1, 2);
    if (kind === 2) pipeline.accounts = '*';
    if (kind === 3) pipeline.accounts = { environment: 'non-production' };
    pipelines[`pipe-${i + 1}`] = pipeline;
  }

  const organization: Doc = { name: `gen${seed}`, region: 'eu-west-1', master: 'master' };
  if (apart) organization.identity = 'identity';
  if (manage) Object.assign(organization, { manage: true, id: 'o-gen1234567', rootId: 'r-gen1' });
  const deploy: Doc = { credentials };
  if (credentials === 'tfc-dynamic') Object.assign(deploy, { backend: 'cloud', cloud: { organization: 'gen', project: 'rolecall' } });
  else if (p.chance(0.2)) deploy.assumeRoleName = 'rolecall-deploy';

  const doc: Doc = { version: 1, organization, accounts, permissions, functions, people };
  if (Object.keys(pipelines).length > 0) doc.pipelines = pipelines;
  doc.deploy = deploy;
  const summary = [apart ? 'identity apart' : 'identity = master', credentials, manage ? 'managed' : 'unmanaged'].join(', ');
  return {
    seed,
    text: `# generated by test/helpers/gen-org.ts, seed ${seed}: ${summary}\n${stringify(doc, { aliasDuplicateObjects: false })}`,
    summary,
  };
}

/** A data selector that matches at least the account it was drawn from (the model refuses a selector matching nothing). */
function dataSelector(account: Doc, members: string[], p: Pick): Doc {
  const selector: Doc = { data: (account.data as string | undefined) ?? 'none' };
  const others = members.filter((m) => m !== members[0]);
  if (others.length > 0 && p.chance(0.3) && account !== undefined) selector.except = [p.one(others)];
  return selector;
}
