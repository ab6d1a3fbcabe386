/**
 * Issue 9 ("what was seen"): one file with an unknown function, a bad OU
 * path and a guardrail breach reported only the unknown function; the other
 * two appeared after it was fixed. Now the plan-level rules run over the
 * salvaged model (the unknown function dropped) in the same run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { compileOrgText } from '../../src/plan/compile';

const BREACH = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'access', 'breach-direct.yaml'), 'utf8');

/** breach-direct.yaml, managed (so OU paths are checked), with the given edits. */
function variant(edits: Array<[string, string]>): string {
  let text = BREACH.replace('  master: master\n', '  master: master\n  manage: true\n  id: o-abc123defg\n  rootId: r-ab12\n')
    .replace('    id: "222222222222"\n', '    id: "222222222222"\n    email: aws+production@example.com\n')
    .replace('    id: "555555555555"\n', '    id: "555555555555"\n    email: aws+sandbox@example.com\n');
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  return text;
}

const BROKEN: Array<[string, string]> = [
  ['    data: none\n', '    data: none\n    ou: "Sandbox/"\n'],
  ['    email: dan@example.com\n    functions: [developers]', '    email: dan@example.com\n    functions: [developers, testers]'],
];

function codes(text: string): string[] {
  return compileOrgText(text, 'org.yaml').diagnostics.map((d) => `${d.code} ${d.path.join('.')}`);
}

describe('one run reports every error it can', () => {
  it('the managed base file breaches only its guardrail (the fixture works)', () => {
    expect(codes(variant([]))).toEqual(['RC501 guardrails.0']);
  });

  it('an unknown function, a bad OU path and a guardrail breach: all three in the first run', () => {
    const result = compileOrgText(variant(BROKEN), 'org.yaml');
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => `${d.code} ${d.path.join('.')}`)).toEqual([
      'RC310 accounts.sandbox.ou',
      'RC202 people.dan.functions.1',
      'RC501 guardrails.0',
    ]);
    const printed = result.diagnostics.map(formatDiagnostic).join('\n');
    expect(printed).toMatch(/^org\.yaml:\d+:\d+: error RC202: people\.dan\.functions\[1\]: unknown function "testers"/m);
    expect(printed).toMatch(/^org\.yaml:\d+:\d+: error RC310: accounts\.sandbox\.ou: invalid OU path "Sandbox\/"/m);
    expect(printed).toMatch(
      /^org\.yaml:\d+:\d+: error RC501: guardrails\[0\]: guardrail "developers never change customer data" breached: dan has write/m,
    );
  });

  it('salvage never invents errors: nothing is reported through a dropped reference', () => {
    // dan holds only the unknown function: without it he holds nothing, so no breach names him
    // (the guarded function, now without members, still breaches on its own, as it would once fixed).
    const text = variant([
      ['    email: dan@example.com\n    functions: [developers]', '    email: dan@example.com\n    functions: [developerz]'],
    ]);
    const result = compileOrgText(text, 'org.yaml');
    expect(result.diagnostics.map((d) => `${d.code} ${d.path.join('.')}`)).toContain('RC202 people.dan.functions.0');
    const breaches = result.diagnostics.filter((d) => d.code === 'RC501').map((d) => d.message);
    expect(breaches.length).toBeGreaterThan(0);
    expect(breaches.filter((m) => m.includes('dan'))).toEqual([]);
  });

  it('no salvage when the organization itself is broken: the loader errors only, no cascade', () => {
    const found = codes(variant([...BROKEN, ['  master: master\n  manage', '  master: mastr\n  manage']]));
    expect(found).toContain('RC201 organization.master');
    expect(found.filter((c) => c.startsWith('RC3') || c.startsWith('RC5'))).toEqual([]);
  });

  it('notices of the plan rules are not repeated beside errors', () => {
    const result = compileOrgText(variant(BROKEN), 'org.yaml');
    expect(result.diagnostics.filter((d) => d.severity === 'notice')).toEqual([]);
  });
});
