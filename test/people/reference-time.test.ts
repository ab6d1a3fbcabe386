/**
 * Issue 20, gap 2: duration bounds (timeBound.within, breakGlass) are
 * measured from the change's reference time: the committer time of the org
 * file's last commit when the file is committed with nothing on top, else
 * the clock; ROLECALL_REFERENCE_TIME overrides both; never later than the
 * clock. Each case is a temporary git repository with a commit dated by
 * GIT_COMMITTER_DATE.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { REFERENCE_TIME_ENV, referenceTimeOf } from '../../src/model/reference-time';
import { compileOrgFile } from '../../src/plan/compile';
import { runCli } from '../helpers/cli';
import { TWO_ACCOUNTS, operationsUntil } from '../fixtures/people/two-accounts';
import { committedOrgFile } from '../helpers/git-repo';

// A commit long past: with the clock as reference, an until near it is far behind (and passes).
const COMMITTED = '2026-01-05T06:00:00Z';
const WITHIN = '2026-01-05T17:00:00Z'; // 11 h after the commit
const BEYOND = '2026-01-05T19:00:00Z'; // 13 h after the commit

const ORG = (incident: string, grant: string) => `${TWO_ACCOUNTS}functions:
${operationsUntil(grant)}  incident:
    breakGlass: 12h
    access:
      - accounts: [production]
        permissions: admin
people:
  olga: { name: Olga, email: olga@acme.example, functions: [operations] }
  bob: { name: Bob, email: bob@acme.example, functions: [{ name: incident, until: "${incident}" }] }
guardrails:
  - name: admin on production only time-bound, at most 12 h
    functions: [operations]
    accounts: { environment: production }
    maxAccess: read
    timeBound: { maxAccess: admin, within: 12h }
`;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const saved = process.env[REFERENCE_TIME_ENV];
beforeEach(() => delete process.env[REFERENCE_TIME_ENV]);
afterAll(() => {
  if (saved === undefined) delete process.env[REFERENCE_TIME_ENV];
  else process.env[REFERENCE_TIME_ENV] = saved;
});

/** A repository holding org.yaml, committed at `date`. */
function repo(text: string, date = COMMITTED): string {
  return committedOrgFile(text, date, dirs);
}

const errors = (file: string) =>
  compileOrgFile(file)
    .diagnostics.filter((d) => d.severity === 'error')
    .map(formatDiagnostic);

describe('the reference time of duration bounds', () => {
  test('a committed file: its last commit time; ends within the bound of it pass', () => {
    const file = repo(ORG(WITHIN, WITHIN));
    const ref = referenceTimeOf(file);
    expect(ref).toMatchObject({ iso: COMMITTED, source: expect.stringMatching(/^the commit time of .*org\.yaml \([0-9a-f]{7,}\)$/) });
    expect(errors(file)).toEqual([]);
  });

  test('a committed file: ends more than the bound after its commit fail (RC234, RC503), naming the commit time', () => {
    // With the clock as reference (before gap 2) these ends, long past, passed.
    const found = errors(repo(ORG(BEYOND, BEYOND)));
    expect(found).toEqual([
      expect.stringMatching(
        new RegExp(
          `error RC234: people\\.bob\\.functions\\[0\\]\\.until: .* ends at ${BEYOND}, more than 12h after ${COMMITTED} \\(the commit time`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `error RC503: .*olga holds admin on production through function operations until ${BEYOND}, more than 12h after ${COMMITTED} \\(the commit time of .*org\\.yaml \\([0-9a-f]+\\)\\)`,
        ),
      ),
    ]);
    // The fixes name the latest end the commit admits, and are valid.
    expect(found.join('\n')).toContain('fix: until: "2026-01-05T18:00:00Z"');
    expect(errors(repo(ORG('2026-01-05T18:00:00Z', '2026-01-05T18:00:00Z')))).toEqual([]);
  });

  test('uncommitted changes on top: the clock (the change is being made now)', () => {
    const file = repo(ORG(BEYOND, BEYOND));
    appendFileSync(file, '# edited\n');
    expect(referenceTimeOf(file)).toMatchObject({ source: expect.stringMatching(/^now: .*org\.yaml has uncommitted changes$/) });
    expect(errors(file)).toEqual([]);
  });

  test('outside a git checkout, or never committed: the clock', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-reftime-plain-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'org.yaml'), ORG(BEYOND, BEYOND));
    expect(referenceTimeOf(path.join(dir, 'org.yaml'))).toMatchObject({ source: 'now: not in a git checkout' });
    expect(errors(path.join(dir, 'org.yaml'))).toEqual([]);
  });

  test('a commit dated ahead of the clock is the clock: a forged date never loosens the bound', () => {
    const file = repo(ORG('2099-01-01T11:00:00Z', '2099-01-01T11:00:00Z'), '2099-01-01T00:00:00Z');
    expect(referenceTimeOf(file)).toMatchObject({ source: expect.stringMatching(/dated ahead of the clock/) });
    expect(errors(file).map((e) => /error (RC\d+)/.exec(e)![1])).toEqual(['RC234', 'RC503']);
  });

  test('ROLECALL_REFERENCE_TIME overrides the commit (CI), "now" is the clock, and a bad value is RC020', () => {
    const file = repo(ORG(BEYOND, BEYOND));
    process.env[REFERENCE_TIME_ENV] = '2026-01-05T08:00:00Z';
    expect(referenceTimeOf(file)).toMatchObject({ iso: '2026-01-05T08:00:00Z', source: REFERENCE_TIME_ENV });
    expect(errors(file)).toEqual([]);
    process.env[REFERENCE_TIME_ENV] = 'now';
    expect(errors(file)).toEqual([]);
    process.env[REFERENCE_TIME_ENV] = 'yesterday';
    expect(errors(file)).toEqual([
      expect.stringMatching(/error RC020: .*ROLECALL_REFERENCE_TIME="yesterday" is not an instant: expected YYYY-MM-DDTHH:MM:SSZ/),
    ]);
  });

  test('validate says which reference time it used', async () => {
    const file = repo(ORG(WITHIN, WITHIN));
    const { code, out } = await runCli(['validate', '--config', file]);
    expect(code).toBe(0);
    expect(out).toMatch(
      new RegExp(
        `Duration bounds \\(timeBound\\.within, breakGlass\\) count from ${COMMITTED} \\(the commit time of .*org\\.yaml \\([0-9a-f]+\\)\\)\\.`,
      ),
    );
  });
});
