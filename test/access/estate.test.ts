/** The engine's input built from the plan: documents rolecall emits, plus the roles AWS and the deploy create. */
import * as path from 'path';
import { compileOrgFile } from '../../src/plan/compile';
import { estateFromPlan, planContext, ORGANIZATION_ACCESS_ROLE, ambientArn } from '../../src/access/from-plan';
import { managedDocument } from '../../src/access/estate';

const ROOT = path.join(__dirname, '..', '..');

function estateOf(file: string) {
  const c = compileOrgFile(path.join(ROOT, file));
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('\n'));
  return estateFromPlan(c.plan, planContext(c.model));
}

describe('estateFromPlan', () => {
  const estate = estateOf('config/org.yaml');

  test('people are users in the identity account with their groups, groups hold their documents', () => {
    const alice = estate.users.find((u) => u.name === 'alice')!;
    // rolecall's users live under /rolecall/ (issue 16 finding 8).
    expect(alice.arn).toBe('arn:aws:iam::111111111111:user/rolecall/alice');
    expect(alice.groups).toContain('RequireMFA');
    const group = estate.groups.find((g) => g.name === 'operations')!;
    expect(group.managed.length).toBeGreaterThan(0);
    for (const arn of group.managed) expect(managedDocument(estate, arn)).toBeDefined();
  });

  test('every member has OrganizationAccountAccessRole trusting the management root, with AdministratorAccess', () => {
    const members = estate.accounts.filter((a) => !a.management && a.id);
    for (const a of members) {
      const role = estate.roles.find((r) => r.account === a.name && r.name === ORGANIZATION_ACCESS_ROLE)!;
      expect(role.trust.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
      expect(role.managed).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    }
  });

  test('assume-role pipelines hold the management account ambient credentials, whatever their selector', () => {
    for (const p of estate.pipelines) expect(p.credentials.map((c) => c.principal)).toContain(ambientArn('111111111111'));
  });
});
