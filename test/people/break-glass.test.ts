/**
 * Issue 20: break-glass (a normally empty function whose every membership
 * is time-bound within `breakGlass`), loud in the access diff; the diff
 * and explain show "until".
 */
import { formatDiagnostic } from '../../src/model/diagnostics';
import { compileOrgText } from '../../src/plan/compile';
import { diffEffectiveAccess, renderEffectiveDiff, type DiffSide } from '../../src/report/access-diff';
import { renderExplain } from '../../src/report/explain';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
// Ends relative to the real clock: the break-glass bound is checked against the time validate runs.
const SOON = iso(Math.floor(Date.now() / 60000) * 60000 + 2 * 3600 * 1000);
const FAR = iso(Date.now() + 30 * 24 * 3600 * 1000).replace(/\.\d+Z$/, 'Z');

const ORG = (bob: string, extra = '') => `version: 1
organization: { name: acme, region: eu-west-1, master: master }
accounts:
  master: { id: "111111111111" }
  production: { id: "222222222222", environment: production, data: customer }
permissions:
  admin: { managed: [AdministratorAccess] }
  logs-read: { managed: [CloudWatchLogsReadOnlyAccess] }
functions:
  developers:
    access: { production: logs-read }
  breakglass:
    description: Emergency admin on production
    breakGlass: 12h
    access:
      - accounts: [production]
        permissions: admin
        role: breakglass${extra}
people:
  bob: { name: Bob, email: bob@acme.example, functions: ${bob} }
`;

function compile(text: string) {
  const result = compileOrgText(text, 'org.yaml');
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  if (errors.length > 0 || !result.ok) throw new Error(errors.join('\n'));
  return result;
}
const side = (text: string): DiffSide => {
  const r = compile(text);
  return { model: r.model, plan: r.plan, matrix: r.matrix };
};
const errors = (text: string) =>
  compileOrgText(text, 'org.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map(formatDiagnostic);

describe('a break-glass function', () => {
  test('normally empty: valid, and no "function nobody holds" notice', () => {
    const result = compile(ORG('[developers]'));
    expect(result.diagnostics.map((d) => d.code)).not.toContain('RC216');
  });

  test('a membership within the bound is valid', () => {
    expect(errors(ORG(`[developers, { name: breakglass, until: "${SOON}" }]`))).toEqual([]);
  });

  test('a membership without until: RC233 at the membership, with a valid fix', () => {
    const found = errors(ORG('[developers, breakglass]'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/error RC233: people\.bob\.functions\[1\]: bob is a member of break-glass function breakglass without an end/);
    const fix = /fix: write (\{ name: breakglass, until: "[^"]+" \})/.exec(found[0])![1];
    expect(errors(ORG(`[developers, ${fix}]`))).toEqual([]);
  });

  test('a membership ending further ahead than the bound: RC234 at its until', () => {
    const found = errors(ORG(`[developers, { name: breakglass, until: "${FAR}" }]`));
    expect(found).toEqual([
      expect.stringMatching(/error RC234: people\.bob\.functions\[1\]\.until: .* more than 12h after \S+ \(now: read from text/),
    ]);
  });

  test('a breakGlass bound over a day, and machine principals, are refused', () => {
    expect(errors(ORG('[developers]').replace('breakGlass: 12h', 'breakGlass: 48h'))).toEqual([
      expect.stringMatching(/functions\.breakglass\.breakGlass: /),
    ]);
    const withPrincipal = ORG('[developers]').replace(
      'breakGlass: 12h',
      'breakGlass: 12h\n    principals: ["arn:aws:iam::333333333333:role/ci"]',
    );
    expect(errors(withPrincipal)).toEqual([expect.stringMatching(/error RC235: functions\.breakglass\.principals: /)]);
  });

  test('its use is loud in the diff: first, marked, with what it gives and until when', () => {
    const diff = diffEffectiveAccess(side(ORG('[developers]')), side(ORG(`[developers, { name: breakglass, until: "${SOON}" }]`)));
    expect(diff.breakGlass).toEqual([`bob gains breakglass until ${SOON}: admin on production (role breakglass until ${SOON})`]);
    const text = renderEffectiveDiff(diff, 'main');
    expect(text.split('\n').slice(0, 2)).toEqual([
      '!!! BREAK-GLASS (1): emergency access, needs the approval docs/break-glass.md names',
      `!!!   bob gains breakglass until ${SOON}: admin on production (role breakglass until ${SOON})`,
    ]);
  });

  test('explain shows the end of a time-bound membership, and that no group holds it', () => {
    const result = compile(ORG(`[developers, { name: breakglass, until: "${SOON}" }]`));
    const text = renderExplain(result.matrix, { ...result.matrix.cell('bob', 'production'), person: 'bob' });
    expect(text).toContain("    group: none: a time-bound membership of breakglass, a policy of bob's own");
    expect(text).toContain(`    until: ${SOON} (time-bound membership; IAM refuses the assume after it, applied or not)`);
  });
});

test('a time-bound grant on an access entry shows in the diff with its end', () => {
  const UNTIL = '2030-06-30T18:00:00Z';
  const before = side(ORG('[developers]'));
  const after = side(
    ORG(
      '[developers]',
      `\n      - accounts: [production]\n        permissions: logs-read\n        role: oncall\n        until: "${UNTIL}"`,
    ),
  );
  const diff = diffEffectiveAccess(before, after);
  expect(diff.timeBound).toEqual([`function breakglass gains role oncall on production until ${UNTIL}: read; affects: no members`]);
  expect(renderEffectiveDiff(diff, 'main')).toContain(
    `Time-bound (IAM ends them at until, applied or not):\n  function breakglass gains role oncall on production until ${UNTIL}: read; affects: no members`,
  );
});
