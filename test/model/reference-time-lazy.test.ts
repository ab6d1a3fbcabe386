/**
 * loadOrgFile's reference time is looked up in git (status + log, ~10 ms)
 * only when something reads it, and only a file with a duration bound
 * (timeBound.within, breakGlass) does: a file without one runs no git at
 * all. What is read is what the eager lookup (referenceTimeOf) gives, and a
 * bad ROLECALL_REFERENCE_TIME is still RC020 for every file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadOrgFile } from '../../src/model/load';
import { lazyReferenceTimeOf, REFERENCE_TIME_ENV, referenceTimeOf } from '../../src/model/reference-time';
import { compileOrgFile } from '../../src/plan/compile';
import { TWO_ACCOUNTS } from '../fixtures/people/two-accounts';
import { committedOrgFile } from '../helpers/git-repo';

const COMMITTED = '2026-01-05T06:00:00Z';

/** Guardrails and until, but no duration bound: the reference time is never needed. */
const UNBOUND = `${TWO_ACCOUNTS}functions:
  operations:
    access:
      - accounts: [production]
        permissions: admin
        until: "2026-01-05T17:00:00Z"
people:
  olga: { name: Olga, email: olga@acme.example, functions: [operations] }
guardrails:
  - name: production read at most
    functions: [operations]
    accounts: { environment: production }
    maxAccess: admin
`;

const BOUND = (within: string) => `${UNBOUND}    timeBound: { maxAccess: admin, within: ${within} }
`;

const BREAK_GLASS = `${TWO_ACCOUNTS}functions:
  incident:
    breakGlass: 12h
    access: { production: admin }
people:
  bob: { name: Bob, email: bob@acme.example, functions: [{ name: incident, until: "2026-01-05T17:00:00Z" }] }
`;

const dirs: string[] = [];
const saved = process.env[REFERENCE_TIME_ENV];
beforeEach(() => delete process.env[REFERENCE_TIME_ENV]);
afterEach(() => jest.restoreAllMocks());
afterAll(() => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  if (saved === undefined) delete process.env[REFERENCE_TIME_ENV];
  else process.env[REFERENCE_TIME_ENV] = saved;
});

/** A repository holding org.yaml, committed at COMMITTED. */
function repo(text: string): string {
  return committedOrgFile(text, COMMITTED, dirs, 'rolecall-reftime-lazy-');
}

/** The git commands run from now on, by their first argument. */
function gitCalls(): () => string[] {
  // The module object itself (an `import * as` namespace has read-only bindings): what reference-time.ts calls through.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const spy = jest.spyOn(require('child_process') as typeof import('child_process'), 'execFileSync');
  return () => spy.mock.calls.filter(([cmd]) => cmd === 'git').map(([, args]) => String((args as string[])[0]));
}

describe('the reference time is looked up only when read', () => {
  test('a file without a duration bound (guardrails and until aside) compiles without running git', () => {
    const file = repo(UNBOUND);
    const calls = gitCalls();
    const result = compileOrgFile(file);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(calls()).toEqual([]);
  });

  test('a file with a timeBound or a breakGlass runs git once, and reads its commit time', () => {
    for (const text of [BOUND('12h'), BREAK_GLASS]) {
      const file = repo(text);
      const calls = gitCalls();
      const result = compileOrgFile(file);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(calls()).toEqual(['status', 'log']);
      expect(result.model!.referenceTime).toMatchObject({ iso: COMMITTED, source: expect.stringMatching(/^the commit time of /) });
      jest.restoreAllMocks();
    }
  });

  test('what is read equals the eager lookup: committed, edited on top, outside git', () => {
    const committed = repo(UNBOUND);
    const edited = repo(UNBOUND);
    writeFileSync(edited, `${UNBOUND}# edited\n`);
    const plainDir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-reftime-lazy-plain-'));
    dirs.push(plainDir);
    const plain = path.join(plainDir, 'org.yaml');
    writeFileSync(plain, UNBOUND);
    const now = Date.parse('2026-06-01T00:00:00Z');
    for (const file of [committed, edited, plain]) {
      const lazy = lazyReferenceTimeOf(file, {}, now);
      expect({ file, ...lazy }).toEqual({ file, ...(referenceTimeOf(file, {}, now) as object) });
    }
    expect(lazyReferenceTimeOf(committed, {}, now)).toMatchObject({ iso: COMMITTED });
    expect(lazyReferenceTimeOf(edited, {}, now)).toMatchObject({ source: expect.stringMatching(/has uncommitted changes$/) });
  });

  test('ROLECALL_REFERENCE_TIME is read at load: a bad value is RC020 for a file without a bound too, and no git runs', () => {
    const file = repo(UNBOUND);
    process.env[REFERENCE_TIME_ENV] = 'yesterday';
    const calls = gitCalls();
    expect(loadOrgFile(file).diagnostics.map((d) => d.code)).toEqual(['RC020']);
    process.env[REFERENCE_TIME_ENV] = '2026-01-05T08:00:00Z';
    expect(loadOrgFile(file).model!.referenceTime).toEqual({
      ms: Date.parse('2026-01-05T08:00:00Z'),
      iso: '2026-01-05T08:00:00Z',
      source: REFERENCE_TIME_ENV,
    });
    expect(calls()).toEqual([]);
  });
});
