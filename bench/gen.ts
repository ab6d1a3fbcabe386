/**
 * A large, deterministic org file for the benchmark: 300 member accounts,
 * 20 functions each granted in about a third of them, 2,000 people in 1-3
 * functions, permission sets mixing AWS managed policies and statements.
 * Same seed, same file, byte for byte.
 */
import { Document, isScalar, isSeq, visit } from 'yaml';

export interface GenOptions {
  accounts: number;
  functions: number;
  people: number;
  seed: number;
}

export const DEFAULT_GEN: GenOptions = { accounts: 300, functions: 20, people: 2000, seed: 20240601 };

/** mulberry32: small, fast, seeded; good enough to spread grants evenly (tests reuse it for hostile strings). */
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

const FUNCTION_NAMES = [
  'operations',
  'developers',
  'auditors',
  'network',
  'dba',
  'data-eng',
  'ml',
  'security',
  'support',
  'billing',
  'qa',
  'sre',
  'platform',
  'analytics',
  'release',
  'incident',
  'frontend',
  'backend',
  'mobile',
  'oncall',
];

const PERMISSIONS: Record<string, unknown> = {
  admin: { managed: ['AdministratorAccess'] },
  'power-user': { managed: ['PowerUserAccess'] },
  'read-only': { managed: ['ReadOnlyAccess'] },
  'view-only': { managed: ['job-function/ViewOnlyAccess'] },
  'logs-read': { managed: ['CloudWatchLogsReadOnlyAccess'] },
  's3-read': { managed: ['AmazonS3ReadOnlyAccess'] },
  'security-audit': { managed: ['SecurityAudit'] },
  'app-data': {
    statements: [
      {
        sid: 'Tables',
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
        resources: ['arn:aws:dynamodb:*:*:table/app-*'],
      },
      {
        sid: 'Objects',
        actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
        resources: ['arn:aws:s3:::app-*', 'arn:aws:s3:::app-*/*'],
      },
    ],
  },
  queues: {
    statements: [{ actions: ['sqs:SendMessage', 'sqs:ReceiveMessage'], resources: ['arn:aws:sqs:*:*:app-*'] }],
  },
  'secrets-read': {
    statements: [
      {
        sid: 'AppSecrets',
        actions: ['secretsmanager:GetSecretValue', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:ResourceTag/app': 'bench' } },
      },
    ],
  },
  sessions: {
    managed: ['AmazonEC2ReadOnlyAccess'],
    statements: [
      {
        sid: 'StartSessions',
        actions: ['ssm:StartSession'],
        resources: ['arn:aws:ec2:*:*:instance/*'],
        conditions: { StringEquals: { 'ssm:resourceTag/access': 'bench' } },
      },
    ],
  },
  'deploy-services': {
    managed: ['AWSCloudFormationReadOnlyAccess'],
    statements: [{ sid: 'Deploy', actions: ['ecs:UpdateService', 'ecr:BatchGetImage', 'lambda:InvokeFunction'], resources: ['*'] }],
  },
};

/** Which permission sets each function draws its grants from. */
const PALETTES: string[][] = [
  ['admin', 'power-user'],
  ['logs-read', 'app-data', 'queues', 'power-user'],
  ['logs-read', 's3-read'], // auditors: read only, guarded below
  ['view-only', 'sessions'],
  ['app-data', 'secrets-read', 'logs-read'],
  ['s3-read', 'app-data', 'queues'],
  ['app-data', 's3-read', 'sessions'],
  ['security-audit', 'read-only', 'secrets-read'],
  ['view-only', 'logs-read', 'sessions'],
  ['view-only'],
];

/** The function the guardrail bounds (its holders hold nothing else), and the one that can change the pipeline. */
const GUARDED = 'auditors';
const CHANGER = 'sre';

export function generateOrg(options: GenOptions = DEFAULT_GEN): Record<string, unknown> {
  const random = rng(options.seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];

  const accounts: Record<string, unknown> = { master: { id: '100000000000', data: 'internal', environment: 'production' } };
  const memberNames: string[] = [];
  for (let i = 1; i <= options.accounts; i++) {
    const production = random() < 0.4;
    const name = `${production ? 'prod' : 'dev'}-${String(i).padStart(3, '0')}`;
    memberNames.push(name);
    const account: Record<string, unknown> = {
      id: String(100000000000 + i * 7919),
      email: `aws+${name}@bench.example`,
      ou: production ? 'Workloads/Production' : 'Workloads/Development',
      data: production ? (random() < 0.6 ? 'customer' : 'internal') : random() < 0.5 ? 'test' : 'none',
      environment: production ? 'production' : 'non-production',
      tags: { 'cost-center': `cc-${1 + Math.floor(random() * 12)}` },
    };
    if (random() < 0.1) account.services = ['s3'];
    accounts[name] = account;
  }

  const functionNames = FUNCTION_NAMES.slice(0, options.functions);
  const functions: Record<string, unknown> = {};
  functionNames.forEach((fn, index) => {
    const palette = PALETTES[index % PALETTES.length];
    const granted = memberNames.filter(() => random() < 1 / 3);
    const setsFor = (): string[] => {
      const first = pick(palette);
      const second = pick(palette);
      return random() < 0.35 && second !== first ? [first, second].sort() : [first];
    };
    let access: unknown;
    if (index % 7 === 3) {
      // list form: accounts grouped by the permission sets they get
      const byKey = new Map<string, string[]>();
      for (const account of granted) {
        const key = setsFor().join(',');
        byKey.set(key, [...(byKey.get(key) ?? []), account]);
      }
      access = [...byKey.entries()].sort().map(([key, list]) => ({ accounts: list, permissions: key.split(',') }));
    } else {
      const map: Record<string, string | string[]> = {};
      for (const account of granted) {
        const sets = setsFor();
        map[account] = sets.length === 1 ? sets[0] : sets;
      }
      access = map;
    }
    functions[fn] = {
      description: `Benchmark function ${fn}`,
      mfaMaxAge: pick(['1h', '4h', '12h']),
      sessionDuration: pick(['1h', '2h', '4h']),
      access,
    };
  });

  const people: Record<string, unknown> = {};
  for (let i = 1; i <= options.people; i++) {
    const key = `user${String(i).padStart(4, '0')}`;
    const count = 1 + Math.floor(random() * 3);
    const held = new Set<string>();
    while (held.size < count) held.add(pick(functionNames));
    // The guardrail bounds a holder's whole access: auditors hold nothing else.
    if (held.has(GUARDED)) {
      held.clear();
      held.add(GUARDED);
    }
    const console = random() < 0.7;
    const accessKey = random() < 0.3;
    const person: Record<string, unknown> = {
      name: `Bench User ${i}`,
      email: `${key}@bench.example`,
      functions: [...held].sort(),
    };
    if (console) person.console = true;
    if (accessKey) person.accessKey = true;
    if (console || accessKey) person.pgpKey = `keybase:${key}`;
    people[key] = person;
  }

  return {
    version: 1,
    organization: {
      name: 'bench',
      region: 'eu-west-1',
      master: 'master',
      rolePath: '/',
      manage: false,
      // People in bounded stacks (issue 12): about 60 people (~300 resources) per shard on average keeps
      // the largest shard under ~500 resources at both bench sizes (34 shards at 2,000 people, 84 at 5,000).
      ...(benchShardCount(options.people) > 1 ? { peopleShards: benchShardCount(options.people) } : {}),
    },
    accounts,
    permissions: PERMISSIONS,
    functions,
    people,
    guardrails: functionNames.includes(GUARDED)
      ? [{ name: `${GUARDED} never change customer data`, functions: [GUARDED], accounts: { data: 'customer' }, maxAccess: 'read' }]
      : [],
    pipelines: functionNames.includes(CHANGER) ? { 'terraform-cloud': { changers: [CHANGER], accounts: '*' } } : {},
    deploy: { backend: 'local', credentials: 'assume-role', assumeRoleName: 'OrganizationAccountAccessRole' },
  };
}

/** organization.peopleShards of the generated org: one shard per 60 people. */
export function benchShardCount(people: number): number {
  return Math.ceil(people / 60);
}

export function generateOrgYaml(options: GenOptions = DEFAULT_GEN): string {
  return orgToYaml(generateOrg(options), options.seed);
}

/**
 * The bench file as a typical pull request changes it: the first person
 * outside the guarded function (so the guardrail still holds) joins `mobile`,
 * and the `queues` permission set gains sqs:DeleteMessage. For `diff`.
 */
export function generateChangedOrgYaml(options: GenOptions = DEFAULT_GEN): { yaml: string; person: string } {
  const org = generateOrg(options) as {
    people: Record<string, { functions: string[] }>;
    permissions: Record<string, { statements?: Array<{ actions: string[] }> }>;
  };
  const person = Object.keys(org.people).find(
    (p) => !org.people[p].functions.includes(GUARDED) && !org.people[p].functions.includes('mobile'),
  );
  if (person === undefined) throw new Error('no person to change');
  org.people[person].functions = [...org.people[person].functions, 'mobile'].sort();
  org.permissions.queues.statements![0].actions = [...org.permissions.queues.statements![0].actions, 'sqs:DeleteMessage'];
  return { yaml: orgToYaml(org, options.seed), person };
}

function orgToYaml(org: unknown, seed: number): string {
  const doc = new Document(org);
  // Lists of plain values in flow style (`functions: [a, b]`), as people write them.
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node) && node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return `# Generated by bench/gen.ts (seed ${seed}); do not edit.\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}
