/**
 * Issue 20, gap 1: the Markdown and HTML access reports show `until` in each
 * cell and path it bounds ("admin until 2026-12-10T18:00:00Z"), as JSON,
 * explain and diff do. The end is read from the plan's emitted documents
 * (the group's assume statement, the person's own policy: DateLessThan
 * aws:CurrentTime) through the access engine, never from the file's `until`:
 * a plan whose documents say another date makes the reports say that date.
 */
import { formatDiagnostic } from '../../src/model/diagnostics';
import { compileOrgText } from '../../src/plan/compile';
import { timeBoundOrg } from '../fixtures/people/two-accounts';
import { buildAccessMatrix } from '../../src/plan/access';
import type { OrgPlan } from '../../src/plan/types';
import { buildAccessReport } from '../../src/report/access-json';
import { renderAccessHtml } from '../../src/report/access-html';
import { renderAccessMarkdown } from '../../src/report/access-markdown';
import { diffEffectiveAccess, renderEffectiveDiff } from '../../src/report/access-diff';

const UNTIL = '2026-12-10T18:00:00Z';
const OTHER = '2026-12-11T09:30:00Z';

const ORG = timeBoundOrg(
  UNTIL,
  `  olga: { name: Olga, email: olga@acme.example, functions: [operations] }
  bob: { name: Bob, email: bob@acme.example, functions: [{ name: breakglass, until: "${UNTIL}" }] }
  eve: { name: Eve, email: eve@acme.example, functions: [breakglass] }
`,
);

function compile() {
  const result = compileOrgText(ORG, 'org.yaml');
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return result;
}

/** The row of a markdown table whose first cell is `first`. */
const rowOf = (text: string, first: string) => text.split('\n').find((l) => l.startsWith(`| ${first} |`)) ?? '';

describe('until in the Markdown report', () => {
  const md = renderAccessMarkdown(buildAccessReport(compile().matrix));

  test('people x accounts: a cell held only until then says so, and what remains after', () => {
    expect(rowOf(md, 'olga (Olga)')).toContain(`**admin** until ${UNTIL} (then read): operations`);
    // A time-bound membership ends the whole function for that person.
    expect(rowOf(md, 'bob (Bob)')).toContain(`**admin** until ${UNTIL} (then none): breakglass`);
    // Held for good: no until.
    expect(rowOf(md, 'eve (Eve)')).toContain('**admin**: breakglass');
    expect(rowOf(md, 'eve (Eve)')).not.toContain('until');
  });

  test('functions x accounts: the time-bound grant; a function held for good has none (its time-bound member is theirs)', () => {
    expect(rowOf(md, 'operations')).toContain(`**admin** until ${UNTIL} (then read)`);
    expect(rowOf(md, 'breakglass')).not.toContain('until');
  });

  test('evidence: each path it bounds says until', () => {
    const evidence = md.slice(md.indexOf('## Evidence'));
    expect(rowOf(evidence, 'olga').length).toBeGreaterThan(0);
    const olga = evidence.split('\n').filter((l) => l.startsWith('| olga |'));
    expect(olga).toContainEqual(
      expect.stringContaining(`function operations (until ${UNTIL}) | arn:aws:iam::222222222222:role/operations-admin`),
    );
    expect(olga).toContainEqual(expect.stringMatching(/function operations \| arn:aws:iam::222222222222:role\/readonly/));
    const bob = evidence.split('\n').filter((l) => l.startsWith('| bob |'));
    expect(bob).toEqual([expect.stringContaining(`function breakglass (until ${UNTIL}) | arn:aws:iam::222222222222:role/breakglass`)]);
  });

  test('who holds write or more names the grant end', () => {
    expect(rowOf(md, 'production')).toContain(`operations (admin until ${UNTIL}, 1 member)`);
  });
});

describe('until in the HTML report', () => {
  const html = renderAccessHtml(buildAccessReport(compile().matrix));

  test('the cell and the path', () => {
    expect(html).toContain(`<span class="level">admin</span><span class="until">until ${UNTIL} (then read)</span>`);
    expect(html).toContain(`<span class="until">until ${UNTIL} (then none)</span>`);
    expect(html).toContain(`function operations (group operations) (until ${UNTIL})`);
    expect(html).toContain(`function breakglass (group breakglass) (until ${UNTIL})`);
  });
});

describe('read from the emitted documents, not from the file', () => {
  /** The plan with every DateLessThan aws:CurrentTime of the identity documents moved to OTHER. */
  function moved(plan: OrgPlan): OrgPlan {
    const copy = JSON.parse(JSON.stringify(plan)) as OrgPlan;
    for (const stack of copy.stacks) {
      const docs = [
        ...stack.groups.flatMap((g) => g.policies.map((p) => p.document)),
        ...stack.users.flatMap((u) => (u.policies ?? []).map((p) => p.document)),
      ];
      for (const doc of docs)
        for (const s of doc.Statement)
          if (s.Condition?.DateLessThan?.['aws:CurrentTime']) s.Condition.DateLessThan['aws:CurrentTime'] = OTHER;
    }
    return copy;
  }

  test('the reports (and the JSON) follow the plan', () => {
    const { model, plan } = compile();
    const report = buildAccessReport(buildAccessMatrix(model, moved(plan)));
    expect(report.roles.find((r) => r.role === 'operations-admin')?.until).toBe(OTHER);
    expect(report.people.find((p) => p.name === 'bob')?.until).toEqual({ breakglass: OTHER });
    const md = renderAccessMarkdown(report);
    expect(rowOf(md, 'olga (Olga)')).toContain(`**admin** until ${OTHER} (then read)`);
    expect(rowOf(md, 'bob (Bob)')).toContain(`**admin** until ${OTHER} (then none)`);
    expect(md).not.toContain(UNTIL);
  });

  test('a plan whose documents end nothing: no until anywhere, whatever the file says', () => {
    const { model, plan } = compile();
    const copy = JSON.parse(JSON.stringify(plan)) as OrgPlan;
    for (const stack of copy.stacks) {
      for (const g of stack.groups) for (const p of g.policies) for (const s of p.document.Statement) delete s.Condition?.DateLessThan;
      for (const u of stack.users) for (const p of u.policies ?? []) for (const s of p.document.Statement) delete s.Condition?.DateLessThan;
    }
    const md = renderAccessMarkdown(buildAccessReport(buildAccessMatrix(model, copy)));
    expect(md).not.toContain('until');
  });

  test('the access diff too: its "until" lines are the plan\'s', () => {
    const { model, plan } = compile();
    const tampered = moved(plan);
    const text = renderEffectiveDiff(
      diffEffectiveAccess(undefined, { model, plan: tampered, matrix: buildAccessMatrix(model, tampered) }),
      'HEAD',
    );
    expect(text).toContain(`bob gains breakglass until ${OTHER}`);
    expect(text).toContain(`function operations gains role operations-admin on production until ${OTHER}`);
    expect(text).not.toContain(UNTIL);
  });
});
