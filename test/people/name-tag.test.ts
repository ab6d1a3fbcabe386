/**
 * Issue 20, finding 3: a person's real name is never a validation error
 * (it was RC125). The Name tag is mapped into AWS's tag alphabet; the file
 * and the reports keep the real name.
 */
import { formatDiagnostic } from '../../src/model/diagnostics';
import { TAG_TEXT } from '../../src/model/references';
import { compileOrgText } from '../../src/plan/compile';
import { emailTag, nameTag } from '../../src/plan/tags';

const org = (name: string, email = 'dara@acme.example') => `version: 1
organization: { name: acme, region: eu-west-1, master: master }
accounts:
  master: { id: "111111111111" }
  production: { id: "222222222222" }
permissions:
  admin: { managed: [AdministratorAccess] }
functions:
  operations: { access: { production: admin } }
people:
  dara:
    name: ${JSON.stringify(name)}
    email: ${JSON.stringify(email)}
    functions: [operations]
`;

describe('a real name in the Name tag', () => {
  test.each([
    ["Dara O'Brien (Ops)", 'Dara OBrien Ops'],
    ['Zoë Ångström', 'Zoë Ångström'],
    ['Renée Dupont-Durand', 'Renée Dupont-Durand'],
    ['Smith, John <admin>', 'Smith John admin'],
    ['Jose\u0301 Nun\u0303ez', 'José Nuñez'],
    ['王 小明 (李)', '王 小明 李'],
    ['Alice Example', 'Alice Example'],
  ])('%s -> %s', (name, tag) => {
    expect(nameTag(name)).toBe(tag);
    expect(TAG_TEXT.test(nameTag(name))).toBe(true);
  });

  test('a name AWS accepts keeps its bytes, spaces included', () => {
    expect(nameTag('  Alice   Example ')).toBe('  Alice   Example ');
  });

  test('at most 256 characters, never a broken surrogate pair', () => {
    const tag = nameTag(`${'𝔄'.repeat(200)}'`);
    expect(tag.length).toBeLessThanOrEqual(256);
    expect(TAG_TEXT.test(tag)).toBe(true);
    expect(nameTag('x'.repeat(300) + '(')).toBe('x'.repeat(256));
  });

  test("\"Dara O'Brien (Ops)\" validates; the user's Name tag is mapped, the file's name is kept", () => {
    const result = compileOrgText(org("Dara O'Brien (Ops)"), 'org.yaml');
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    const user = result.plan!.stacks.find((s) => s.id === 'master')!.users.find((u) => u.key === 'dara')!;
    expect(user.tags.Name).toBe('Dara OBrien Ops');
    expect(result.model!.org.people.dara.name).toBe("Dara O'Brien (Ops)");
  });
});

describe('an e-mail in the Email tag (gap 5: it was RC125)', () => {
  test.each([
    ["dara.o'brien@acme.example", 'dara.obrien@acme.example'],
    ['ops!oncall#1@acme.example', 'ops_oncall_1@acme.example'],
    ['zoë@acme.example', 'zoë@acme.example'],
    ['a+b=c@acme.example', 'a+b=c@acme.example'],
    ['{x}&y@acme.example', '_x__y@acme.example'],
  ])('%s -> %s', (email, tag) => {
    expect(emailTag(email)).toBe(tag);
    expect(TAG_TEXT.test(emailTag(email))).toBe(true);
  });

  test('at most 256 characters', () => {
    expect(emailTag(`${'x'.repeat(300)}!@acme.example`)).toBe('x'.repeat(256));
  });

  test("an e-mail outside the tag alphabet validates; the Email tag is mapped, the file's address is kept", () => {
    const result = compileOrgText(org('Dara', "dara.o'brien@acme.example"), 'org.yaml');
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    const user = result.plan!.stacks.find((s) => s.id === 'master')!.users.find((u) => u.key === 'dara')!;
    expect(user.tags.Email).toBe('dara.obrien@acme.example');
    expect(result.model!.org.people.dara.email).toBe("dara.o'brien@acme.example");
  });
});
