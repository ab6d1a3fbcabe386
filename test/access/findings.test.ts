/**
 * Issue 16, findings 2 to 5: valid org files that give real access the
 * matrix did not show. Each file is rebuilt from the description;
 * the matrix (and so explain and guardrails) must show the access, with the
 * chain that gives it.
 */
import { compileOrgText } from '../../src/plan/compile';
import { loadOrgText } from '../../src/model/load';
import { buildAccessMatrix } from '../../src/plan/access';
import { formatDiagnostic } from '../../src/model/diagnostics';

/** Identity in master (people under /rolecall/); operations administers production; developers read logs there. */
function org(extra: { permissions?: string; developers?: string; functions?: string; accounts?: string; tail?: string }): string {
  return `version: 1
organization:
  name: acme
  region: eu-west-1
  master: master
accounts:
  master:
    id: "111111111111"
  production:
    id: "222222222222"
    data: customer
    environment: production
  sandbox:
    id: "555555555555"
${extra.accounts ?? ''}
permissions:
  admin:
    managed: [AdministratorAccess]
  logs-read:
    managed: [CloudWatchLogsReadOnlyAccess]
${extra.permissions ?? ''}
functions:
  operations:
    access:
      production: admin
  developers:
    access:
      - accounts: "*"
        permissions: logs-read
${extra.developers ?? ''}
${extra.functions ?? ''}
people:
  alice:
    name: Alice
    email: alice@acme.example
    functions: [operations]
  dave:
    name: Dave
    email: dave@acme.example
    functions: [developers]
${extra.tail ?? ''}`;
}

function matrixOf(text: string) {
  const loaded = loadOrgText(text, 'org.yaml');
  if (!loaded.model) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return buildAccessMatrix(loaded.model);
}

const GUARDRAIL = `guardrails:
  - name: developers never change customer data
    functions: [developers]
    accounts: { data: customer }
    maxAccess: read
`;

describe('finding 2: self-scoped iam:AttachUserPolicy is self-escalation', () => {
  const text = org({
    permissions: `  self-policies:
    statements:
      - actions: ["iam:AttachUserPolicy"]
        resources: ["arn:aws:iam::111111111111:user/rolecall/\${aws:username}"]
`,
    developers: `    identityPermissions: [self-policies]`,
  });

  test('dave reaches admin on production, and the path names the escalation', () => {
    const cell = matrixOf(text).cell('dave', 'production');
    expect(cell.level).toBe('admin');
    const chain = cell.paths.find((p) => p.kind === 'chain');
    expect(chain).toBeDefined();
    expect(JSON.stringify(chain)).toContain('iam:AttachUserPolicy');
  });

  test('the guardrail fails', () => {
    const c = compileOrgText(text + GUARDRAIL, 'org.yaml');
    expect(c.ok).toBe(false);
    expect(c.diagnostics.map((d) => d.message).join('\n')).toMatch(/dave has admin on account production/);
  });

  test('PutUserPolicy alike', () => {
    expect(matrixOf(text.replace('iam:AttachUserPolicy', 'iam:PutUserPolicy')).cell('dave', 'production').level).toBe('admin');
  });
});

describe('finding 3: identityPermissions sts:AssumeRole on another function role', () => {
  const text = org({
    permissions: `  assume-operations:
    statements:
      - actions: ["sts:AssumeRole"]
        resources: ["arn:aws:iam::*:role/operations"]
`,
    developers: `    identityPermissions: [assume-operations]`,
  });

  test('dave holds the operations role in production (admin): every role trusts the identity account', () => {
    const cell = matrixOf(text).cell('dave', 'production');
    expect(cell.level).toBe('admin');
    const chain = cell.paths.find((p) => p.kind === 'chain');
    expect(JSON.stringify(chain)).toContain('role operations in production');
  });

  test('the guardrail fails', () => {
    const c = compileOrgText(text + GUARDRAIL, 'org.yaml');
    expect(c.ok).toBe(false);
  });
});

describe('finding 4: admin of the account holding a machine principal reaches what it reaches', () => {
  const text = org({
    accounts: `  tooling:
    id: "666666666666"
`,
    developers: `      - accounts: [tooling]
        permissions: admin`,
    functions: `  ci:
    principals: ["arn:aws:iam::666666666666:root"]
    access:
      production: admin`,
  });

  test('dave (admin of tooling) reaches the ci role in production: admin', () => {
    const m = matrixOf(text);
    expect(m.cell('dave', 'tooling').level).toBe('admin');
    const cell = m.cell('dave', 'production');
    expect(cell.level).toBe('admin');
    expect(JSON.stringify(cell.paths.find((p) => p.kind === 'chain'))).toContain('role ci in production');
  });
});

describe("finding 4, a machine's side: a guardrail on a machine principal's function reads the machine's own chain", () => {
  // runner (a CI role in tooling) assumes ci there (admin of tooling), so holds the tooling root, which deploy's
  // production role trusts: the runner reaches production as admin, though ci holds nothing there.
  const text = org({
    accounts: `  tooling:
    id: "666666666666"
`,
    functions: `  ci:
    principals: ["arn:aws:iam::666666666666:role/runner"]
    access:
      tooling: admin
  deploy:
    principals: ["arn:aws:iam::666666666666:root"]
    access:
      production: admin`,
  });
  const guardrail = `guardrails:
  - name: ci stays out of customer data
    functions: [ci]
    accounts: { data: customer }
    maxAccess: read
`;

  test('the principal row on production comes from the engine, with its chain', () => {
    const row = matrixOf(text).principals.find((p) => p.principal.endsWith(':role/runner') && p.account === 'production');
    expect(row).toMatchObject({ function: 'ci', level: 'admin', role: '' });
    expect(row?.path).toMatch(/^chain .*role deploy in production/);
  });

  test('the guardrail fails, naming the principal', () => {
    const c = compileOrgText(text + guardrail, 'org.yaml');
    expect(c.ok).toBe(false);
    expect(c.diagnostics.map((d) => d.message).join('\n')).toMatch(
      /principal arn:aws:iam::666666666666:role\/runner has admin on account production/,
    );
  });
});

describe('finding 5: an assume-role pipeline reaches what the master credentials reach, whatever its selector', () => {
  const text = org({
    tail: `pipelines:
  sandbox-only:
    changers: [developers]
    accounts: [sandbox]
`,
  });

  test('changers of a sandbox-only pipeline hold admin on production (master credentials)', () => {
    const m = matrixOf(text);
    expect(m.cell('dave', 'sandbox').level).toBe('admin');
    expect(m.cell('dave', 'production').level).toBe('admin');
    expect(m.cell('dave', 'master').level).toBe('admin');
  });

  test('under tfc-dynamic the same selector stays narrow', () => {
    const dynamic = `${text}deploy:
  backend: cloud
  credentials: tfc-dynamic
  cloud: { organization: acme, project: aws-iam }
`;
    const m = matrixOf(dynamic);
    expect(m.cell('dave', 'sandbox').level).toBe('admin');
    expect(m.cell('dave', 'production').level).toBe('read');
  });
});

describe('identity account apart, under each credentials mode', () => {
  const apart = (deploy: string) => `version: 1
organization:
  name: acme
  region: eu-west-1
  master: management
  identity: people
accounts:
  management:
    id: "111111111111"
  people:
    id: "777777777777"
  production:
    id: "222222222222"
  sandbox:
    id: "555555555555"
permissions:
  admin:
    managed: [AdministratorAccess]
functions:
  operations:
    access:
      production: admin
  developers:
    access:
      sandbox: admin
people:
  dave:
    name: Dave
    email: dave@acme.example
    functions: [developers]
pipelines:
  everything:
    changers: [operations]
  sandbox-only:
    changers: [developers]
    accounts: [sandbox]
${deploy}`;
  const modes: Record<string, string> = {
    'assume-role': '',
    'tfc-dynamic': 'deploy:\n  backend: cloud\n  credentials: tfc-dynamic\n  cloud: { organization: acme, project: aws-iam }\n',
    environment: 'deploy:\n  credentials: environment\n',
  };

  for (const [mode, deploy] of Object.entries(modes)) {
    test(`${mode}: every credential a pipeline path names is a role the plan or AWS creates`, () => {
      const c = compileOrgText(apart(deploy), 'org.yaml');
      if (!c.ok) throw new Error(c.diagnostics.map(formatDiagnostic).join('\n'));
      const created = new Set([
        ...c.plan.stacks.flatMap((s) => s.roles.map((r) => r.arn)),
        ...(c.plan.bootstrapStack?.accounts.flatMap((a) => a.roles.map((r) => r.arn)) ?? []),
        // What AWS creates in every member for the management account (deploy.assumeRoleName by default).
        ...c.matrix.accounts.filter((a) => !a.master && a.id).map((a) => `arn:aws:iam::${a.id}:role/OrganizationAccountAccessRole`),
      ]);
      for (const pipeline of c.matrix.pipelines) {
        for (const cred of c.matrix.pipelineCredentials(pipeline)) if (cred.roleArn) expect(created).toContain(cred.roleArn);
      }
    });
  }

  test('tfc-dynamic: the identity account is applied by the identity stack, the management account by its account stack', () => {
    const c = compileOrgText(apart(modes['tfc-dynamic']), 'org.yaml');
    if (!c.ok) throw new Error(c.diagnostics.map(formatDiagnostic).join('\n'));
    const byAccount = new Map(c.matrix.pipelineCredentials('everything').map((x) => [x.account, x.role]));
    expect(byAccount.get('people')).toBe('rolecall-identity-apply');
    expect(byAccount.get('management')).toBe('rolecall-account-management-apply');
  });

  test('a sandbox-only pipeline: narrow under tfc-dynamic and environment, everything under assume-role', () => {
    const level = (mode: string, account: string) => {
      const c = compileOrgText(apart(modes[mode]), 'org.yaml');
      if (!c.ok) throw new Error(c.diagnostics.map(formatDiagnostic).join('\n'));
      return c.matrix.cell('dave', account).level;
    };
    expect(level('assume-role', 'production')).toBe('admin');
    expect(level('tfc-dynamic', 'sandbox')).toBe('admin');
    expect(level('tfc-dynamic', 'production')).toBe('none');
    expect(level('environment', 'sandbox')).toBe('admin');
    expect(level('environment', 'production')).toBe('none');
  });
});
