/**
 * Issue 20: "admin on production only time-bound, at most 12 h" is one
 * guardrail (timeBound). Ends are relative to the real clock: the bound is
 * judged against the time validate runs.
 */
import { formatDiagnostic } from '../../src/model/diagnostics';
import { compileOrgText } from '../../src/plan/compile';
import { TWO_ACCOUNTS } from '../fixtures/people/two-accounts';

const iso = (ms: number) => new Date(Math.floor(ms / 60000) * 60000).toISOString().replace('.000Z', 'Z');
const SOON = iso(Date.now() + 2 * 3600 * 1000);
const FAR = iso(Date.now() + 3 * 24 * 3600 * 1000);

const ORG = (grant: string, bob: string) => `${TWO_ACCOUNTS}functions:
  operations:
    access:
      - accounts: [production]
        permissions: logs-read
        role: readonly
${grant}
  responders:
    breakGlass: 12h
    access:
      - accounts: [production]
        permissions: admin
        role: responder
people:
  olga: { name: Olga, email: olga@acme.example, functions: [operations] }
  bob: { name: Bob, email: bob@acme.example, functions: ${bob} }
guardrails:
  - name: admin on production only time-bound, at most 12 h
    functions: [operations, responders]
    accounts: { environment: production }
    maxAccess: read
    timeBound: { maxAccess: admin, within: 12h }
`;
const admin = (until?: string) =>
  `      - accounts: [production]\n        permissions: admin\n        role: operations-admin${until ? `\n        until: "${until}"` : ''}`;

const errors = (text: string) =>
  compileOrgText(text, 'org.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map(formatDiagnostic);

test('admin through a grant ending within 12 h, and read for good: no breach', () => {
  expect(errors(ORG(admin(SOON), '[operations]'))).toEqual([]);
});

test('a time-bound membership within 12 h admits the admin role too', () => {
  expect(errors(ORG('', `[operations, { name: responders, until: "${SOON}" }]`))).toEqual([]);
});

test('admin for good: the usual breach (RC501)', () => {
  const found = errors(ORG(admin(), '[operations]'));
  expect(found.length).toBeGreaterThan(0);
  expect(found.every((f) => /error RC501: guardrails\[0\]: /.test(f))).toBe(true);
});

test('admin until 3 days ahead: RC503 naming the person, the end and the bound, with a valid fix', () => {
  const found = errors(ORG(admin(FAR), '[operations]'));
  expect(found).toContainEqual(
    expect.stringMatching(
      new RegExp(
        `error RC503: guardrails\\[0\\]: guardrail "admin on production only time-bound, at most 12 h": olga holds admin on production through function operations until ${FAR}, more than 12h after \\S+ \\(now: read from text`,
      ),
    ),
  );
  const fix = /fix: until: "([^"]+)"/.exec(found.find((f) => f.includes('RC503'))!)![1];
  expect(errors(ORG(admin(fix), '[operations]'))).toEqual([]);
});

test('a break-glass function (breakGlass within the bound) with no members passes on its own; one of 24h does not', () => {
  expect(errors(ORG('', '[operations]'))).toEqual([]);
  const found = errors(ORG('', '[operations]').replace('breakGlass: 12h', 'breakGlass: 24h'));
  expect(found).toContainEqual(expect.stringMatching(/error RC501: .*function responders \(no members yet/));
});

test('above timeBound.maxAccess even time-bound: RC503', () => {
  const text = ORG(admin(SOON), '[operations]').replace('timeBound: { maxAccess: admin', 'timeBound: { maxAccess: write');
  expect(errors(text)).toContainEqual(
    expect.stringMatching(/error RC503: .*olga holds admin on production .* above its timeBound\.maxAccess write/),
  );
});
