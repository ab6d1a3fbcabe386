/**
 * The render boundary's one escaping rule (issue 7, finding 1): no string from
 * the org file reaches Terraform as anything but itself. Fast property tests
 * here; test/e2e/injection.test.ts runs the same model against real Terraform.
 */
import { Testing, TerraformStack, Token } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { TEMPLATE_BREAK, terraformLiteral, terraformSafe } from '../../src/constructs/terraform-literal';
import { interpretedFragment } from '../../src/model/terraform-text';
import { evaluateLiteral, hostileString, numberTokenText, random } from '../helpers/template';

/** A stack with real tokens in it (references, numbers), and a user whose tags are `tags` as given. */
function synthTags(makeTags: (numberToken: string) => Record<string, string>): { tags: Record<string, string>; numberToken: string } {
  let numberToken = '';
  const json = Testing.synthScope((scope) => {
    for (let i = 0; i < 20; i++) {
      const role = new IamRole(scope, `r${i}`, { assumeRolePolicy: '{}', name: `r${i}` });
      numberToken = String(role.maxSessionDuration); // a real number token's text
      void Token.asString(role.arn);
    }
    new IamUser(scope, 'u', { name: 'u', tags: makeTags(numberToken) });
  });
  return { tags: JSON.parse(json).resource.aws_iam_user.u.tags, numberToken };
}

describe('terraformLiteral', () => {
  it('escapes Terraform templates (the strings of the issue)', () => {
    expect(terraformLiteral('${base64encode(file(pathexpand("~/.aws/credentials")))}')).toBe(
      '$${base64encode(file(pathexpand("~/.aws/credentials")))}',
    );
    expect(terraformLiteral('%{ if true }ran%{ endif }')).toBe('%%{ if true }ran%%{ endif }');
    expect(terraformLiteral('${aws:username} $x %y')).toBe('$${aws:username} $x %y');
  });

  it('breaks CDKTF token texts, which escaping alone leaves resolvable', () => {
    expect(terraformLiteral('${TfToken[TOKEN.5]}')).toBe(`$\${TfToken${TEMPLATE_BREAK}[TOKEN.5]}`);
    expect(terraformLiteral('#{TfToken[TOKEN.5]}')).toBe(`#{TfToken${TEMPLATE_BREAK}[TOKEN.5]}`);
    expect(terraformLiteral('String Map Token Value')).toBe(`String Map Token Value${TEMPLATE_BREAK}`);
    const n = numberTokenText(7);
    expect(terraformLiteral(`x${n}`)).not.toContain(n);
    expect(evaluateLiteral(terraformLiteral(`x${n}`))).toBe(`x${n}`);
    // Ordinary numbers and e-mails stay readable.
    expect(terraformLiteral('1e5 bob.e.smith@x.example -3.5e+10')).toBe('1e5 bob.e.smith@x.example -3.5e+10');
  });

  it('the old escaping (`${` -> `$${` only) let cdktf resolve a token text: the attack is real', () => {
    const stack = Testing.synthScope((scope) => {
      const role = new IamRole(scope, 'victim', { assumeRolePolicy: '{}', name: 'victim' });
      const text = Token.asString(role.arn); // e.g. ${TfToken[TOKEN.12]}
      new IamUser(scope, 'u', { name: 'u', tags: { Name: text.replace(/\$\{/g, '$${') } });
    });
    expect(JSON.parse(stack).resource.aws_iam_user.u.tags.Name).toContain('aws_iam_role.victim.arn');
  });

  it('property: for 3,000 seeded hostile strings, Terraform reads back exactly the input', () => {
    const next = random(7);
    for (let i = 0; i < 3000; i++) {
      const input = hostileString(next);
      const rendered = terraformLiteral(input);
      expect(evaluateLiteral(rendered)).toBe(input);
      // Nothing CDKTF or Terraform would interpret is left, apart from the break itself.
      // (each break and escape stands in for a character no pattern contains).
      const rest = rendered.split(TEMPLATE_BREAK).join('¦').split('$${').join('¦').split('%%{').join('¦');
      expect(interpretedFragment(rest)).toBeUndefined();
    }
  });

  it('property: cdktf synthesis leaves rendered strings (keys and values) untouched, with real tokens in the stack', () => {
    const next = random(11);
    const tags: Record<string, string> = {};
    for (let i = 0; i < 400; i++) tags[`k${i}-${hostileString(next)}`] = hostileString(next);
    // Guessable texts of the tokens this very stack holds.
    for (let i = 0; i < 300; i++) tags[`t${i}`] = `\${TfToken[TOKEN.${i}]}|#{TfToken[TOKEN.${i}]}|${numberTokenText(i)}`;
    expect(synthTags(() => terraformSafe(tags)).tags).toEqual(terraformSafe(tags));
    // The text of a number token that exists in the stack: resolved to a reference unless broken.
    const raw = synthTags((n) => ({ n: `x${n}` }));
    expect(raw.tags.n).toMatch(/max_session_duration/);
    const safe = synthTags((n) => terraformSafe({ n: `x${n}` }));
    expect(evaluateLiteral(safe.tags.n)).toBe(`x${safe.numberToken}`);
  });

  it('terraformSafe escapes keys and values at any depth and keeps `__proto__` a plain key', () => {
    const input = JSON.parse('{"a":{"${k}":["%{x}",1,true]},"__proto__":{"v":"${y}"}}');
    const out = terraformSafe(input) as Record<string, unknown>;
    expect(out.a).toEqual({ '$${k}': ['%%{x}', 1, true] });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ v: '$${y}' });
    expect(() => terraformSafe({ x: new TerraformStack(Testing.app(), 's') })).toThrow(/not plain data/);
  });
});

describe('the render boundary covers every stack', () => {
  it('each TerraformStack in src/stacks escapes its whole plan on entry', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('fs') as typeof import('fs');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const path = require('path') as typeof import('path');
    const dir = path.join(__dirname, '..', '..', 'src', 'stacks');
    const stacks = fs.readdirSync(dir).filter((f) => /extends TerraformStack/.test(fs.readFileSync(path.join(dir, f), 'utf8')));
    expect(stacks.length).toBeGreaterThanOrEqual(2);
    for (const file of stacks) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      expect([file, /const plan = terraformSafe\(props\.plan\);/.test(text)]).toEqual([file, true]);
    }
  });
});
