/**
 * The access engine against an independent oracle (issue 16): for every
 * person x account of every example, fixture and generated org file, the
 * matrix's level must be at least the level of the principal graph that
 * @cloud-copilot/iam-simulate decides (test/helpers/oracle.ts), and equal
 * wherever no condition the simulator cannot decide is involved. The report
 * errs high, never low.
 *
 * Generated files (test/helpers/gen-org.ts) are seeded: a failure names its
 * seed, and `node bin/run-ts.js` on gen-org.ts's generateOrg(seed) rebuilds it.
 * Files that do not validate are dropped and counted.
 */
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { compileOrgText } from '../../src/plan/compile';
import { ACCESS_LEVELS, type AccessLevel } from '../../src/model/schema';
import { generateOrg } from '../helpers/gen-org';
import { buildOracle, type OracleCell } from '../helpers/oracle';

const ROOT = path.join(__dirname, '..', '..');
/** How many generated files: about 0.12 s of one core each; the whole file takes about 35 s of one core. */
export const GENERATED_FILES = 200;

interface Case {
  name: string;
  text: string;
}

function cases(): Case[] {
  const files = [
    ...readdirSync(path.join(ROOT, 'config'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => path.join('config', f)),
    ...readdirSync(path.join(ROOT, 'test', 'fixtures', 'access'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => path.join('test', 'fixtures', 'access', f)),
  ].sort();
  const out: Case[] = files.map((f) => ({ name: f, text: readFileSync(path.join(ROOT, f), 'utf8') }));
  for (let seed = 1; seed <= GENERATED_FILES; seed++) out.push({ name: `seed ${seed}`, text: generateOrg(seed).text });
  return out;
}

interface Difference {
  case: string;
  person: string;
  account: string;
  engine: AccessLevel;
  oracle: OracleCell;
}

const index = (level: AccessLevel) => ACCESS_LEVELS.indexOf(level);
const describePath = (cell: OracleCell) => cell.path.map((step) => `${step.via} -> ${step.node}`).join('; ');

describe('the access engine errs high, never low, against an iam-simulate oracle', () => {
  const lower: Difference[] = [];
  /** tfc-dynamic: apply roles the matrix names that the bootstrap stack does not create. */
  const unknownApplyRoles: string[] = [];
  const higherDecided: Difference[] = [];
  let compared = 0;

  beforeAll(async () => {
    let equal = 0;
    let higher = 0;
    let dropped = 0;
    let invalidFixtures = 0;
    let simulations = 0;
    let screened = 0;
    let files = 0;
    for (const c of cases()) {
      const compiled = compileOrgText(c.text, c.name);
      if (!compiled.ok) {
        // Guardrail-breach fixtures do not compile on purpose; a generated file that does not validate is dropped.
        if (c.name.startsWith('seed ')) dropped++;
        else invalidFixtures++;
        continue;
      }
      files++;
      if (compiled.plan.deploy.credentials === 'tfc-dynamic') {
        const created = new Set((compiled.plan.bootstrapStack?.accounts ?? []).flatMap((a) => a.roles.map((r) => r.arn)));
        for (const pipeline of compiled.matrix.pipelines) {
          for (const credential of compiled.matrix.pipelineCredentials(pipeline)) {
            if (credential.roleArn !== undefined && !created.has(credential.roleArn)) {
              unknownApplyRoles.push(`${c.name}: pipeline ${pipeline} on ${credential.account}: ${credential.roleArn}`);
            }
          }
        }
      }
      const oracle = await buildOracle(compiled);
      simulations += oracle.simulations;
      screened += oracle.screened;
      // Accounts without an id have no roles yet: the matrix shows what their grants will give.
      const withId = new Set(Object.keys(compiled.model.org.accounts).filter((a) => compiled.model.org.accounts[a].id));
      for (const person of oracle.people) {
        for (const account of oracle.accounts) {
          const engine = compiled.matrix.cell(person, account).level;
          const cell = oracle.cell(person, account);
          compared++;
          const d = index(engine) - index(cell.level);
          const difference = { case: c.name, person, account, engine, oracle: cell };
          if (d === 0) equal++;
          else if (d > 0) {
            higher++;
            if (!cell.undecidable && withId.has(account)) higherDecided.push(difference);
          } else lower.push(difference);
        }
      }
    }
    // One line of evidence per run: ROLECALL_TEST_VERBOSE=1 prints it (npm test stays quiet).
    if (process.env.ROLECALL_TEST_VERBOSE)
      console.log(
        `oracle: ${files} files (${GENERATED_FILES} generated, ${dropped} dropped as invalid, ${invalidFixtures} fixtures refused on purpose), ` +
          `${simulations} simulations (${screened} candidates ruled out by the matcher); cells compared ${compared}, equal ${equal}, engine higher ${higher} ` +
          `(${higherDecided.length} without an undecidable condition), engine lower ${lower.length}`,
      );
  });

  test('the fast path decides every request as the public runSimulation does', async () => {
    // config/org-managed.yaml: SCPs and RCPs; the tfc-dynamic fixture: apply roles; seed 18: self-scoped policies.
    const texts = [
      ['config/org-managed.yaml', readFileSync(path.join(ROOT, 'config', 'org-managed.yaml'), 'utf8')],
      [
        'identity-apart-tfc-dynamic.yaml',
        readFileSync(path.join(ROOT, 'test', 'fixtures', 'access', 'identity-apart-tfc-dynamic.yaml'), 'utf8'),
      ],
      ['seed 18', generateOrg(18).text],
    ];
    let checked = 0;
    for (const [name, text] of texts) {
      const compiled = compileOrgText(text, name);
      if (!compiled.ok) throw new Error(`${name} does not compile`);
      const oracle = await buildOracle(compiled, { crossCheck: true });
      expect(oracle.disagreements).toEqual([]);
      checked += oracle.simulations;
    }
    expect(checked).toBeGreaterThan(300);
  });

  test('compares thousands of cells, some of them above none', () => {
    expect(compared).toBeGreaterThan(1000);
  });

  test('tfc-dynamic: every apply role a pipeline path names is one the bootstrap stack creates', () => {
    expect(unknownApplyRoles).toEqual([]);
  });

  test('no cell where the engine is lower than the oracle', () => {
    const asserted = lower;
    expect(
      asserted.map(
        (d) => `${d.case}: ${d.person} on ${d.account}: engine ${d.engine}, oracle ${d.oracle.level} via ${describePath(d.oracle)}`,
      ),
    ).toEqual([]);
  });
});
