/**
 * The transitive groups a report records per person and function (the
 * engine's chains) are read without the holder's cells unless a cell was
 * asked for first. Both must give the same groups: the report, explain and
 * diff read them without cells, guardrails and cells after.
 */
import * as path from 'path';
import { loadOrgFile } from '../../src/model/load';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { buildAccessMatrix } from '../../src/plan/access';
import type { Model } from '../../src/model/model';

const ROOT = path.join(__dirname, '..', '..');

function modelOf(loaded: ReturnType<typeof loadOrgFile>): Model {
  if (!loaded.model) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.model;
}

/** Every person's and function's groups, light first (a fresh matrix) and complete (a cell asked for first). */
function bothWays(model: Model) {
  const light = buildAccessMatrix(model);
  const complete = buildAccessMatrix(model);
  const account = complete.accounts[0].name;
  const out = { light: {} as Record<string, unknown>, complete: {} as Record<string, unknown> };
  for (const p of light.people) out.light[p.name] = light.transitive(p.name);
  for (const f of light.functions) out.light[`fn ${f.name}`] = light.functionTransitive(f.name);
  for (const p of complete.people) {
    complete.cell(p.name, account);
    out.complete[p.name] = complete.transitive(p.name);
  }
  for (const f of complete.functions) {
    complete.functionCell(f.name, account);
    out.complete[`fn ${f.name}`] = complete.functionTransitive(f.name);
  }
  return out;
}

describe('transitive groups: the light closure agrees with the complete one', () => {
  const files = [
    'config/org.yaml',
    'config/org-large-company.yaml',
    'config/org-managed.yaml',
    'test/fixtures/access/transitive.yaml',
    'test/fixtures/access/levels.yaml',
    'test/fixtures/access/holds.yaml',
  ];
  test.each(files)('%s', (file) => {
    const { light, complete } = bothWays(modelOf(loadOrgFile(path.join(ROOT, file))));
    expect(light).toEqual(complete);
  });

  test('the transitive fixture has chain paths (so the comparison above is not vacuous)', () => {
    const { light } = bothWays(modelOf(loadOrgFile(path.join(ROOT, 'test', 'fixtures', 'access', 'transitive.yaml'))));
    const groups = Object.values(light).flat() as Array<{ kind: string; targets: unknown[] }>;
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.every((g) => g.kind === 'chain' && g.targets.length > 0)).toBe(true);
  });
});
