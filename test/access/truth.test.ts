/**
 * Access truth (issue 8): each "what was seen" case, as a test that fails on
 * the code before it. Selectors leave the master and identity accounts out;
 * `admin` is its own level; access is transitive (join, management, pipeline
 * credentials) and guardrails see the closure; functions breach on their own.
 */
import { compileOrgText } from '../../src/plan/compile';
import { loadOrgText } from '../../src/model/load';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { buildAccessMatrix, type AccessMatrix } from '../../src/plan/access';
import { buildAccessReport } from '../../src/report/access-json';
import { renderAccessMarkdown } from '../../src/report/access-markdown';
import { renderExplain } from '../../src/report/explain';

/** A function's grants as account -> permission sets (roles are tested in test/model/real-orgs.test.ts). */
function setsOf(grants: Record<string, Array<{ permissionSets: string[] }>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(grants).map(([account, g]) => [account, g.flatMap((r) => r.permissionSets)]));
}

const ORG = (opts: {
  master?: string;
  extraSets?: string;
  extraFunctions?: string;
  people?: string;
  guardrails?: string;
  more?: string;
  organization?: string;
}) => `
version: 1
organization: { name: t, region: eu-west-1, master: master${opts.organization ?? ''} }
accounts:
  master: { id: "111111111111" }
  people: { id: "444444444444" }
  prod: { id: "222222222222", data: customer, environment: production }
  dev: { id: "333333333333", data: test }
permissions:
  admin: { managed: [AdministratorAccess] }
  logs: { managed: [CloudWatchLogsReadOnlyAccess] }
  writer: { statements: [{ actions: ["s3:PutObject"] }] }
${opts.extraSets ?? ''}
functions:
  developers: { access: { prod: logs, dev: admin } }
  operations: { access: { prod: writer } }
${opts.extraFunctions ?? ''}
people:
${opts.people ?? '  dan: { name: Dan, email: dan@example.com, functions: [developers, helpers] }\n  olga: { name: Olga, email: olga@example.com, functions: [operations] }'}
guardrails:
${opts.guardrails ?? '  - { name: developers never change customer data, functions: [developers], accounts: { data: customer }, maxAccess: read }'}
${opts.more ?? ''}
`;

function matrixOf(text: string): AccessMatrix {
  const loaded = loadOrgText(text, 't.yaml');
  if (!loaded.model) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return buildAccessMatrix(loaded.model);
}
const errors = (text: string) =>
  compileOrgText(text, 't.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.message);
const notices = (text: string) =>
  loadOrgText(text, 't.yaml')
    .diagnostics.filter((d) => d.severity === 'notice')
    .map((d) => `${d.path.join('.')}: ${d.message}`);

describe('selectors never match the master nor the identity account', () => {
  // Seen: developers granted { environment: non-production } got AdministratorAccess in master (non-production by default), silently.
  const text = ORG({
    extraFunctions: '  broad: { access: [{ accounts: { environment: non-production }, permissions: admin }] }',
    people: '  dan: { name: Dan, email: dan@example.com, functions: [broad] }',
  });

  test('an object selector leaves the master out, with a notice where it would have matched', () => {
    const model = loadOrgText(text, 't.yaml').model!;
    expect(Object.keys(model.grants.broad)).toEqual(['dev', 'people']);
    expect(notices(text)).toContain(
      'functions.broad.access.0.accounts: selector { environment: non-production } leaves out master, the master (management) account: "*" and selector objects never select it',
    );
    expect(matrixOf(text).cell('dan', 'master').level).toBe('none');
  });

  test('with a separate identity account, "*" and objects leave it out too; naming it grants it', () => {
    const withIdentity = ORG({
      organization: ', identity: people',
      extraFunctions: '  broad: { access: [{ accounts: "*", permissions: logs }, { accounts: [people], permissions: admin }] }',
      people: '  dan: { name: Dan, email: dan@example.com, functions: [broad] }',
    });
    const model = loadOrgText(withIdentity, 't.yaml').model!;
    expect(setsOf(model.grants.broad)).toEqual({ dev: ['logs'], people: ['admin'], prod: ['logs'] });
    expect(notices(withIdentity)).toContain(
      'functions.broad.access.0.accounts: selector "*" leaves out people, the identity account, where people live: "*" and selector objects never select it',
    );
  });

  test('except removes named accounts; { except } alone is "*" less those; unknown names are located errors with a suggestion', () => {
    const ok = ORG({
      extraFunctions:
        '  broad: { access: [{ accounts: { environment: non-production, except: [people, master] }, permissions: admin }, { accounts: { except: [dev] }, permissions: logs }] }',
      people: '  dan: { name: Dan, email: dan@example.com, functions: [broad] }',
    });
    expect(setsOf(loadOrgText(ok, 't.yaml').model!.grants.broad)).toEqual({ dev: ['admin'], people: ['logs'], prod: ['logs'] });
    // except naming the master says it is left out on purpose: no notice.
    expect(notices(ok).filter((n) => n.includes('leaves out'))).toEqual([]);
    const bad = ORG({
      extraFunctions: '  broad: { access: [{ accounts: { data: test, except: [prd] }, permissions: admin }] }',
      people: '  dan: { name: Dan, email: dan@example.com, functions: [broad] }',
    });
    const found = loadOrgText(bad, 't.yaml')
      .diagnostics.filter((d) => d.severity === 'error')
      .map(formatDiagnostic);
    expect(found).toEqual([
      expect.stringMatching(
        /^t\.yaml:\d+:\d+: error RC201: functions\.broad\.access\[0\]\.accounts\.except\[0\]: unknown account "prd"[\s\S]*did you mean "prod"\?/,
      ),
    ]);
  });

  test('a guardrail bounds by attributes, the master included: a bound errs wide', () => {
    const text2 = ORG({
      extraFunctions: '  helpers: { access: { master: admin } }',
      people: '  hal: { name: Hal, email: hal@example.com, functions: [helpers] }',
      guardrails: '  - { name: helpers read internal, functions: [helpers], accounts: { data: none }, maxAccess: read }',
    });
    expect(
      errors(text2).some((e) =>
        e.startsWith('guardrail "helpers read internal" breached: hal has admin on account master through function helpers'),
      ),
    ).toBe(true);
  });
});

describe('transitive access: control of the identity or management account', () => {
  const helpers = (set: string, organization = '', account = 'master') =>
    ORG({ extraSets: `  helper: ${set}`, extraFunctions: `  helpers: { access: { ${account}: helper } }`, organization });

  // Seen: admin on master was reported as read on production, and "developers never change customer data" passed.
  // Issue 16: the hand-written join and management rules are the engine's chains now (intended change: a `chain`
  // path naming every hop instead of a `management` or `join` path; the levels are the same).
  const chainOf = (cell: { paths: Array<{ kind: string }> }) =>
    (cell.paths.find((p) => p.kind === 'chain') as { chain: Array<{ label: string; edge?: string; action?: string }> } | undefined)?.chain;
  test('admin on the management account is admin on every member account, and the guardrail sees it', () => {
    const text = helpers('{ managed: [AdministratorAccess] }');
    const cell = matrixOf(text).cell('dan', 'prod');
    expect(cell.level).toBe('admin');
    expect(chainOf(cell)).toEqual([
      { label: 'user dan' },
      { label: 'role helpers in master', edge: 'assume', action: 'sts:AssumeRole' },
      { label: 'role OrganizationAccountAccessRole in prod', edge: 'assume', action: 'sts:AssumeRole' },
    ]);
    expect(cell.paths.find((p) => p.kind === 'chain')).toMatchObject({
      role: 'OrganizationAccountAccessRole',
      roleArn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
      level: 'admin',
    });
    expect(errors(text)).toContain(
      'guardrail "developers never change customer data" breached: dan has admin on account prod through a chain of principals: user dan -> role helpers in master (sts:AssumeRole) -> role OrganizationAccountAccessRole in prod (sts:AssumeRole) (it holds admin there, e.g. iam:AddClientIDToOpenIDConnectProvider); the guardrail allows at most read',
    );
  });

  // Seen: only iam:AddUserToGroup on master: whoever controls group membership where people live holds every function's access.
  test('group-membership write where people live: every function is joinable (identity apart from master isolates the rule)', () => {
    const text = helpers(
      '{ statements: [{ actions: ["iam:AddUserToGroup"], resources: ["arn:aws:iam::444444444444:group/*"] }] }',
      ', identity: people',
      'people',
    );
    const matrix = matrixOf(text);
    const cell = matrix.cell('dan', 'prod');
    expect(cell.level).toBe('write');
    expect(chainOf(cell)).toEqual([
      { label: 'user dan' },
      { label: 'role helpers in people', edge: 'assume', action: 'sts:AssumeRole' },
      { label: 'admin of people', edge: 'admin-of-account', action: 'iam:AddUserToGroup' },
      { label: 'role operations in prod', edge: 'assume', action: 'sts:AssumeRole' },
    ]);
    // The identity account is not the management account: no OrganizationAccountAccessRole anywhere.
    expect(matrix.cell('dan', 'dev').paths.some((p) => p.kind === 'chain' && p.role === 'OrganizationAccountAccessRole')).toBe(false);
    expect(cell.evidence).toEqual({
      action: 's3:PutObject',
      level: 'write',
      path: 'chain user dan -> role helpers in people (sts:AssumeRole) -> admin of people (iam:AddUserToGroup) -> role operations in prod (sts:AssumeRole)',
    });
    expect(errors(text)).toEqual([
      'guardrail "developers never change customer data" breached: dan has write on account prod through a chain of principals: user dan -> role helpers in people (sts:AssumeRole) -> admin of people (iam:AddUserToGroup) -> role operations in prod (sts:AssumeRole) (it holds write there, e.g. s3:PutObject); the guardrail allows at most read',
    ]);
    const explained = renderExplain(matrix, cell);
    expect(explained).toContain('admin of people (iam:AddUserToGroup) -> role operations in prod (sts:AssumeRole)');
  });

  test('on the master (identity by default) group-membership write is both: joins, and admin on every member', () => {
    const text = helpers('{ statements: [{ actions: ["iam:AddUserToGroup"], resources: ["arn:aws:iam::111111111111:group/*"] }] }');
    const cell = matrixOf(text).cell('dan', 'prod');
    expect(cell.level).toBe('admin');
    expect(chainOf(cell)?.map((h) => h.label)).toEqual([
      'user dan',
      'role helpers in master',
      'admin of master',
      'role OrganizationAccountAccessRole in prod',
    ]);
  });

  // Seen: sts:AssumeRole on arn:aws:iam::*:role/OrganizationAccountAccessRole on master was reported as read on production.
  test('sts:AssumeRole on OrganizationAccountAccessRole (or the deploy role) from the management account is admin where it matches', () => {
    const text = helpers(
      '{ statements: [{ actions: ["sts:AssumeRole"], resources: ["arn:aws:iam::*:role/OrganizationAccountAccessRole"] }] }',
    );
    const matrix = matrixOf(text);
    expect(matrix.cell('dan', 'master').level).toBe('write'); // the grant itself
    for (const account of ['people', 'prod']) {
      expect(matrix.cell('dan', account).paths.find((p) => p.kind === 'chain')).toMatchObject({
        role: 'OrganizationAccountAccessRole',
        level: 'admin',
        chain: [
          { label: 'user dan' },
          { label: 'role helpers in master', edge: 'assume' },
          { label: `role OrganizationAccountAccessRole in ${account}`, edge: 'assume', action: 'sts:AssumeRole' },
        ],
      });
    }
    // On dev the function's own admin role says as much: no chain needed.
    expect(matrix.cell('dan', 'dev').level).toBe('admin');
    expect(errors(text)).toContain(
      'guardrail "developers never change customer data" breached: dan has admin on account prod through a chain of principals: user dan -> role helpers in master (sts:AssumeRole) -> role OrganizationAccountAccessRole in prod (sts:AssumeRole) (it holds admin there, e.g. iam:AddClientIDToOpenIDConnectProvider); the guardrail allows at most read',
    );
    // The deploy role by its configured name, on one account only.
    const deploy = ORG({
      extraSets:
        '  helper: { statements: [{ actions: ["sts:AssumeRole"], resources: ["arn:aws:iam::222222222222:role/rolecall-deploy"] }] }',
      extraFunctions: '  helpers: { access: { master: helper } }',
      more: 'deploy: { assumeRoleName: rolecall-deploy }',
    });
    const m2 = matrixOf(deploy);
    expect(m2.cell('dan', 'prod').paths.find((p) => p.kind === 'chain')).toMatchObject({ role: 'rolecall-deploy', level: 'admin' });
    expect(m2.cell('dan', 'people').level).toBe('none');
    // Other roles: no path (function roles trust people with MFA and their own session name only).
    const other = helpers('{ statements: [{ actions: ["sts:AssumeRole"], resources: ["arn:aws:iam::*:role/app-*"] }] }');
    expect(matrixOf(other).cell('dan', 'prod').level).toBe('read');
    // From a member account the same grant reaches nothing: those roles trust the management account.
    const fromMember = helpers('{ statements: [{ actions: ["sts:AssumeRole"], resources: ["*"] }] }', '', 'dev');
    expect(matrixOf(fromMember).cell('dan', 'prod').level).toBe('read');
  });

  test('self-scoped IAM writes on master are not admin, and give nothing transitive', () => {
    const text = helpers(
      '{ statements: [{ actions: ["iam:CreateAccessKey"], resources: ["arn:aws:iam::111111111111:user/${aws:username}"] }] }',
    );
    const matrix = matrixOf(text);
    expect(matrix.cell('dan', 'master').level).toBe('write');
    expect(matrix.cell('dan', 'prod').level).toBe('read');
    expect(errors(text)).toEqual([]);
  });

  test('the closure reaches a fixed point: admin on a separate identity account through the management account', () => {
    const text = helpers('{ managed: [AdministratorAccess] }', ', identity: people');
    const matrix = matrixOf(text);
    // master admin -> OrganizationAccountAccessRole in people (where the groups live) and in every member.
    expect(matrix.cell('dan', 'people').level).toBe('admin');
    expect(chainOf(matrix.cell('dan', 'people'))?.map((h) => h.label)).toEqual([
      'user dan',
      'role helpers in master',
      'role OrganizationAccountAccessRole in people',
    ]);
    expect(matrix.cell('dan', 'prod').level).toBe('admin');
  });
});

describe('pipelines reach what their credentials reach', () => {
  const pipeline = (accounts: string, deploy = '') =>
    ORG({
      people:
        '  dan: { name: Dan, email: dan@example.com, functions: [developers] }\n  olga: { name: Olga, email: olga@example.com, functions: [operations] }',
      guardrails: '  []',
      more: `pipelines:\n  ci: { changers: [developers]${accounts} }\n${deploy}`,
    });

  // Issue 16 finding 5 (this test said `read` on prod before): under assume-role every stack is applied with
  // the management account's credentials, and assume_role.role_arn is data the changers merge, so a
  // pipeline's selector does not narrow what its changers hold.
  test('applying member stacks only under assume-role: admin there, and through the master credentials everywhere', () => {
    const matrix = matrixOf(pipeline(', accounts: [dev]'));
    expect(matrix.cell('dan', 'dev').paths.find((p) => p.kind === 'pipeline')).toMatchObject({
      level: 'admin',
      credentials: { kind: 'deploy-role', role: 'OrganizationAccountAccessRole' },
    });
    const prod = matrix.cell('dan', 'prod');
    expect(prod.level).toBe('admin');
    expect(prod.paths.find((p) => p.kind === 'chain')).toMatchObject({ kind: 'chain', level: 'admin' });
  });

  test('applying member stacks only with tfc-dynamic: admin there through its apply role, nothing transitive', () => {
    const matrix = matrixOf(
      pipeline(
        ', accounts: [dev]',
        'deploy: { backend: cloud, credentials: tfc-dynamic, cloud: { organization: acme, project: aws-iam } }',
      ),
    );
    expect(matrix.cell('dan', 'dev').level).toBe('admin');
    expect(matrix.cell('dan', 'prod').level).toBe('read');
  });

  test('applying the master stack: everything the master reaches, joins included', () => {
    const matrix = matrixOf(pipeline(', accounts: [master]', 'deploy: { credentials: environment }'));
    expect(matrix.cell('dan', 'master').paths[0]).toMatchObject({ kind: 'pipeline', credentials: { kind: 'ambient' } });
    const prod = matrix.cell('dan', 'prod');
    expect(prod.level).toBe('admin');
    expect(prod.paths.find((p) => p.kind === 'chain')).toMatchObject({ level: 'admin', role: 'OrganizationAccountAccessRole' });
  });
});

describe('guardrails bound functions, members or not', () => {
  // Seen: a guardrail on a function with no members passed although the function itself breached it.
  const text = ORG({
    extraFunctions: '  contractors: { access: { prod: writer } }',
    people: '  olga: { name: Olga, email: olga@example.com, functions: [operations] }',
    guardrails:
      '  - { name: contractors only read customer data, functions: [contractors], accounts: { data: customer }, maxAccess: read }',
  });

  test('a member-less function breaching the guardrail fails validation, named as the function', () => {
    expect(errors(text)).toEqual([
      'guardrail "contractors only read customer data" breached: function contractors (no members yet, so on its own) has write on account prod through function contractors (permission set writer allows s3:PutObject, a write action); the guardrail allows at most read',
    ]);
  });

  test('notices: the guardrail selects nobody today, the function has no members, a set nobody grants', () => {
    const holds = text
      .replace('maxAccess: read', 'maxAccess: write')
      .replace('  logs: { managed', '  unused: { managed: [ReadOnlyAccess] }\n  logs: { managed');
    expect(notices(holds)).toEqual(
      expect.arrayContaining([
        'guardrails.0: guardrail "contractors only read customer data" selects nobody today: function contractors has no members and it names no person',
        'functions.contractors: function "contractors" has no members: its roles exist, but no person can assume them',
        'functions.developers: function "developers" has no members: its roles exist, but no person can assume them',
        'permissions.unused: permission set "unused" is granted by no function',
      ]),
    );
  });
});

describe('organisations described by roles: the function x account view', () => {
  const text = ORG({ people: '  {}', guardrails: '  []' }).replace('people:\n  {}', 'people: {}');

  test('without people the matrix still says what each function holds; the markdown shows only that view', () => {
    const matrix = matrixOf(text);
    expect(matrix.people).toEqual([]);
    expect(matrix.functions.map((f) => f.name)).toEqual(['developers', 'operations']);
    expect(matrix.functionCell('developers', 'dev')).toMatchObject({ function: 'developers', level: 'admin', functions: ['developers'] });
    expect(matrix.functionCell('operations', 'prod')).toMatchObject({
      level: 'write',
      evidence: { action: 's3:PutObject', level: 'write', path: 'function operations' },
    });
    const md = renderAccessMarkdown(buildAccessReport(matrix));
    expect(md).not.toContain('## People x accounts');
    expect(md).toContain('## Functions x accounts');
    expect(md).toContain('| operations | (none) | none | none | none | **write** |');
    // No per-function "no members" notice: with no people at all the file describes roles on purpose.
    expect(notices(text).filter((n) => n.includes('no members'))).toEqual([]);
  });
});
