/**
 * Issue 20, finding 2: grants and memberships that end by AWS's own clock.
 * `until` on an access entry puts DateLessThan aws:CurrentTime on the
 * group's assume statement for those roles; `until` on a membership makes
 * the person no group member but the holder of a policy of their own with
 * that condition. The simulator (aws:CurrentTime given) allows before,
 * denies after. Synth output never depends on the clock.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { compileOrgText } from '../../src/plan/compile';
import { timeBoundOrg } from '../fixtures/people/two-accounts';
import { synthesizeApp } from '../../src/stacks/app';
import { readSynthesizedIam, simulateAssumeRole, type SynthIam } from '../helpers/simulate';
import { runCli } from '../helpers/cli';

const UNTIL = '2026-12-10T18:00:00Z';
const BEFORE = '2026-12-10T17:59:59Z';
const AFTER = '2026-12-10T18:00:01Z';

const ORG = timeBoundOrg(
  UNTIL,
  `  olga: { name: Olga, email: olga@acme.example, functions: [operations] }
  bob: { name: Bob, email: bob@acme.example, functions: [{ name: breakglass, until: "${UNTIL}" }] }
  eve: { name: Eve, email: eve@acme.example, functions: [breakglass] }
`,
);

function compile(text: string) {
  const result = compileOrgText(text, 'org.yaml');
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  if (errors.length > 0 || !result.ok) throw new Error(errors.join('\n'));
  return result;
}

function errors(text: string): string[] {
  return compileOrgText(text, 'org.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map(formatDiagnostic);
}

/** Every synthesized file's bytes, by path. */
function synthBytes(text: string): Record<string, string> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-until-bytes-'));
  try {
    synthesizeApp(compile(text).plan, outdir);
    const stacks = path.join(outdir, 'stacks');
    return Object.fromEntries(readdirSync(stacks).map((s) => [s, readFileSync(path.join(stacks, s, 'cdk.tf.json'), 'utf8')]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('until on an access entry', () => {
  const result = compile(ORG);
  const group = () => result.plan.stacks.find((s) => s.id === 'master')!.groups.find((g) => g.key === 'operations')!;

  test("the group's policy: the readonly role for good, operations-admin only before until", () => {
    expect(group().policies.map((p) => p.key)).toEqual(['operations-assume-roles-1']);
    const statements = group().policies[0].document.Statement;
    expect(statements.map((s) => [s.Sid, s.Resource, s.Condition?.DateLessThan])).toEqual([
      ['AssumeOperationsRoles', ['arn:aws:iam::222222222222:role/readonly'], undefined],
      ['AssumeOperationsRolesUntil20261210T180000Z', ['arn:aws:iam::222222222222:role/operations-admin'], { 'aws:CurrentTime': UNTIL }],
    ]);
    // The MFA conditions stay on the time-bound statement too.
    expect(statements[1].Condition?.Bool).toEqual({ 'aws:MultiFactorAuthPresent': 'true' });
  });

  test('the access matrix carries the end on the path', () => {
    const paths = result.matrix.cell('olga', 'production').paths;
    expect(paths.map((p) => (p.kind === 'function' ? `${p.role} ${p.until ?? '-'}` : ''))).toEqual([
      `operations-admin ${UNTIL}`,
      'readonly -',
    ]);
  });
});

describe('until on a membership', () => {
  const result = compile(ORG);
  const master = () => result.plan.stacks.find((s) => s.id === 'master')!;

  test('bob is no member of the breakglass group; eve (no until) is', () => {
    expect(master().users.find((u) => u.key === 'bob')!.groups).toEqual(['RequireMFA']);
    expect(master().users.find((u) => u.key === 'eve')!.groups).toEqual(['RequireMFA', 'breakglass']);
  });

  test('bob holds a policy of his own: the breakglass roles, only before until', () => {
    const bob = master().users.find((u) => u.key === 'bob')!;
    expect(bob.policies!.map((p) => p.name)).toEqual(['bob-breakglass-until-1']);
    expect(bob.policies![0].document.Statement).toEqual([
      expect.objectContaining({
        Action: 'sts:AssumeRole',
        Resource: ['arn:aws:iam::222222222222:role/breakglass'],
        Condition: expect.objectContaining({ DateLessThan: { 'aws:CurrentTime': UNTIL } }),
      }),
    ]);
  });
});

describe('the simulator, with aws:CurrentTime', () => {
  let iam: SynthIam;
  beforeAll(() => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-until-'));
    try {
      synthesizeApp(compile(ORG).plan, outdir);
      iam = readSynthesizedIam(outdir);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
  const role = (name: string) => iam.roles.find((r) => r.arn === `arn:aws:iam::222222222222:role/${name}`)!;
  const at = (currentTime: string) => ({ mfa: true, mfaAgeSeconds: 300, currentTime });

  test.each([
    ['olga', 'operations-admin', BEFORE, 'Allowed'],
    ['olga', 'operations-admin', AFTER, 'ImplicitlyDenied'],
    ['olga', 'readonly', AFTER, 'Allowed'],
    ['bob', 'breakglass', BEFORE, 'Allowed'],
    ['bob', 'breakglass', AFTER, 'ImplicitlyDenied'],
    ['eve', 'breakglass', AFTER, 'Allowed'],
    ['bob', 'operations-admin', BEFORE, 'ImplicitlyDenied'],
  ])('%s assumes %s at %s: %s', async (person, name, time, decision) => {
    expect(await simulateAssumeRole(iam, person, role(name), at(time))).toBe(decision);
  });
});

test('synth output never depends on the clock: the same file, the same bytes, before and after until', () => {
  jest.useFakeTimers({ now: Date.parse(BEFORE) });
  const before = synthBytes(ORG);
  jest.setSystemTime(Date.parse('2031-01-01T00:00:00Z'));
  const after = synthBytes(ORG);
  jest.useRealTimers();
  expect(after).toEqual(before);
  expect(before.master).toContain(UNTIL);
});

describe('errors', () => {
  test('an until that is no RFC 3339 UTC instant: a schema error at the key', () => {
    const found = errors(ORG.replace(`until: "${UNTIL}"\n  breakglass`, 'until: "10 Dec 2026"\n  breakglass'));
    expect(found).toEqual([
      expect.stringMatching(
        /error RC106: functions\.operations\.access\[1\]\.until: invalid value "10 Dec 2026"\n {2}expected: an RFC 3339 UTC instant/,
      ),
    ]);
  });

  test('a real-looking but impossible instant: RC231', () => {
    const found = errors(ORG.replace(`until: "${UNTIL}"\n  breakglass`, 'until: "2026-02-30T18:00:00Z"\n  breakglass'));
    expect(found).toEqual([
      expect.stringMatching(/error RC231: functions\.operations\.access\[1\]\.until: until "2026-02-30T18:00:00Z" is not a real instant/),
    ]);
  });

  test('two entries naming one role with different ends: RC230 at the later one', () => {
    const text = ORG.replace(
      `        role: readonly\n`,
      `        role: readonly\n      - accounts: [production]\n        permissions: logs-read\n        role: readonly\n        until: "${UNTIL}"\n`,
    );
    expect(errors(text)).toEqual([
      expect.stringMatching(
        /error RC230: functions\.operations\.access\[1\]: function "operations" grants role "readonly" on account production until 2026-12-10T18:00:00Z here and no end at functions\.operations\.access\[0\]/,
      ),
    ]);
  });

  test('a membership until that is no instant: located at the membership', () => {
    const found = errors(ORG.replace(`{ name: breakglass, until: "${UNTIL}" }`, '{ name: breakglass, until: "2026-13-01T00:00:00Z" }'));
    expect(found).toEqual([expect.stringMatching(/error RC231: people\.bob\.functions\[0\]\.until: /)]);
  });
});

describe('validate: grants past their until', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-until-validate-'));
  const file = path.join(dir, 'org.yaml');
  // Ended long ago: the test reads the real clock, and 2020 is behind it on any day it runs.
  writeFileSync(file, ORG.split(UNTIL).join('2020-01-01T00:00:00Z'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a notice per expired grant and membership, located; exit 0', async () => {
    const { code, out } = await runCli(['validate', '--config', file]);
    expect(code).toBe(0);
    expect(out).toContain(
      `${file}:18:9: notice RC232: functions.operations.access[1].until: function operations's grant of role operations-admin ended at 2020-01-01T00:00:00Z: IAM refuses it now; it gives no access`,
    );
    expect(out).toMatch(/notice RC232: people\.bob\.functions\[0\]\.until: bob's membership of breakglass ended at 2020-01-01T00:00:00Z/);
  });

  test('--fail-on expired: exit 1 while any remains', async () => {
    const { code, err } = await runCli(['validate', '--fail-on', 'expired', '--config', file]);
    expect(code).toBe(1);
    expect(err).toContain('rolecall validate: --fail-on expired: 2 grants past their until; remove them from the file');
  });

  test('--fail-on expired passes a file whose ends are all ahead', async () => {
    const ahead = path.join(dir, 'ahead.yaml');
    writeFileSync(ahead, ORG.split(UNTIL).join('2999-01-01T00:00:00Z'));
    const { code, out } = await runCli(['validate', '--fail-on', 'expired', '--config', ahead]);
    expect(code).toBe(0);
    expect(out).not.toContain('RC232');
  });
});
