/** Org files for scale tests. */

/** An org with `count` member accounts and one function granted in all of them. */
export function bigOrg(count: number): string {
  const accounts = Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    return `  acct-${n}:\n    id: "${String(100000000000 + i + 1)}"\n`;
  });
  return [
    'version: 1',
    'organization: { name: big, region: eu-west-1, master: master, rolePath: /people-roles/ }',
    'accounts:',
    '  master:\n    id: "999999999999"',
    ...accounts,
    'permissions:\n  logs: { managed: [CloudWatchLogsReadOnlyAccess] }',
    'functions:\n  everywhere:\n    access:\n      - accounts: "*"\n        permissions: logs',
    'people:\n  ann: { name: Ann, email: ann@big.example, functions: [everywhere] }',
    '',
  ].join('\n');
}
