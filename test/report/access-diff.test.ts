import { readFileSync } from 'fs';
import * as path from 'path';
import { buildAccessMatrix } from '../../src/plan/access';
import { compileOrgText } from '../../src/plan/compile';
import { diffAccess, renderAccessDiff } from '../../src/report/access-diff';

const text = readFileSync(path.join(__dirname, '..', '..', 'config', 'org.yaml'), 'utf8');
const matrixOf = (t: string) => buildAccessMatrix(compileOrgText(t, 'org.yaml').model!);

describe('access diff', () => {
  const before = matrixOf(text);

  test('no change, no lines', () => {
    expect(diffAccess(before, matrixOf(text))).toEqual([]);
  });

  test('a person leaving a function loses exactly that access, in words', () => {
    // dave leaves developers: he loses every account developers reach.
    const after = matrixOf(text.replace('    functions: [developers]\n    accessKey: true\n    pgpKey: keybase:dave', '    functions: []\n    accessKey: true\n    pgpKey: keybase:dave'));
    const lines = diffAccess(before, after).map((c) => c.summary);
    expect(lines).toEqual([
      'dave loses all access to development (was admin); -function developers',
      'dave loses all access to production (was read); -function developers',
      'dave loses all access to sandbox (was admin); -function developers',
      'dave loses all access to storage (was read); -function developers',
    ]);
    expect(renderAccessDiff(diffAccess(before, after), 'main')).toMatch(/^Access changes against main: 4 \(0 gains, 4 losses, 0 other\)/);
  });

  test('without a base every cell with access is a gain', () => {
    const changes = diffAccess(undefined, before);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.summary.includes(' gains '))).toBe(true);
  });
});
