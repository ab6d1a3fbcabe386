/**
 * Issue 16, finding 6: `diff --base` said "no person's level or paths
 * change" when the ids of production and development were swapped, though
 * the developers' admin role moved into the customer-data AWS account. The
 * matrix is keyed by account name; an account id change moves every role of
 * the name, so the diff compares each AWS account with itself, by id.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { buildAccessMatrix } from '../../src/plan/access';
import { compileOrgText } from '../../src/plan/compile';
import { diffEffectiveAccess, renderEffectiveDiff } from '../../src/report/access-diff';

const text = readFileSync(path.join(__dirname, '..', '..', 'config', 'org.yaml'), 'utf8');
const side = (t: string) => {
  const c = compileOrgText(t, 'org.yaml');
  if (!c.plan) throw new Error(c.diagnostics.map((d) => d.message).join('\n'));
  return { model: c.model!, plan: c.plan, matrix: buildAccessMatrix(c.model!) };
};
const PRODUCTION = '    id: "222222222222"';
const DEVELOPMENT = '    id: "444444444444"';
const swapped = text.replace(PRODUCTION, '@@').replace(DEVELOPMENT, PRODUCTION).replace('@@', DEVELOPMENT);

describe('finding 6: an account id change is an access change', () => {
  const base = side(text);
  const diff = diffEffectiveAccess(base, side(swapped));
  const out = renderEffectiveDiff(diff, 'main');

  it('the swap is a real edit of the example (both ids moved)', () => {
    expect(swapped).not.toBe(text);
    expect(side(swapped).model.org.accounts.production.id).toBe('444444444444');
    expect(side(swapped).model.org.accounts.development.id).toBe('222222222222');
  });

  it('reports both AWS accounts, per function and person, with the data class each had and has', () => {
    expect(diff.accountIds.map((c) => [c.id, c.before, c.after, c.data])).toEqual([
      ['222222222222', 'production', 'development', { before: 'customer', after: 'test' }],
      ['444444444444', 'development', 'production', { before: 'test', after: 'customer' }],
    ]);
    const customerAccount = diff.accountIds[0];
    // developers: read on production before; admin on development now, and development is AWS account 222222222222.
    expect(customerAccount.functions).toContainEqual({ function: 'developers', before: 'read', after: 'admin' });
    expect(customerAccount.people).toContainEqual({ person: 'dave', before: 'read', after: 'admin' });
    // And the other way in the other account.
    expect(diff.accountIds[1].functions).toContainEqual({ function: 'developers', before: 'admin', after: 'read' });
  });

  it('the summary says so, not "no person\'s level or paths change"', () => {
    expect(out).not.toContain("no person's level or paths change");
    expect(out.split('\n')[0]).toBe(
      'Access changes against main: no level or path changes by account name, but access moves between AWS accounts:',
    );
    expect(out.split('\n')[1]).toMatch(
      /^ {2}account ids change: AWS account 222222222222 \(production -> development\), AWS account 444444444444 \(development -> production\); \d+ person x AWS account level changes: /,
    );
    expect(out).toContain('  AWS account 222222222222 (production -> development), data: customer -> test:\n');
    expect(out).toContain('    function developers: read -> admin\n');
    expect(out).toContain('    dave: read -> admin\n');
  });

  it('a person gaining write on the AWS account that held customer data trips the customer-write gate', () => {
    expect(diff.customerWrite).toContain('dave gains admin on AWS account 222222222222 (production -> development) (data: customer)');
  });

  it('a new id for one account (no swap): its old and new AWS accounts both show', () => {
    const moved = diffEffectiveAccess(base, side(text.replace(PRODUCTION, '    id: "999999999999"')));
    expect(moved.accountIds.map((c) => [c.id, c.before, c.after])).toEqual([
      ['222222222222', 'production', undefined],
      ['999999999999', undefined, 'production'],
    ]);
    expect(moved.accountIds[0].people.every((p) => p.after === 'none' && p.before !== 'none')).toBe(true);
    expect(moved.accountIds[1].people.every((p) => p.before === 'none' && p.after !== 'none')).toBe(true);
  });

  it('no id change, no account id section (the check can fail both ways)', () => {
    const same = diffEffectiveAccess(base, side(text));
    expect(same.accountIds).toEqual([]);
    expect(renderEffectiveDiff(same, 'main')).toBe('No access changes against main.');
  });
});
