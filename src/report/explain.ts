/**
 * `npx rolecall explain PERSON ACCOUNT` as text: every path from the person
 * to the account (group in master, role there, permission sets with their
 * levels and evidence; pipelines the person can change), then the result.
 * Machine principals that reach the account are listed after the paths:
 * they are not the person's, but a reader of "who can get in" needs them.
 */
import type { AccessCell, AccessMatrix } from '../plan/access';

export function renderExplain(matrix: AccessMatrix, cell: AccessCell): string {
  const account = matrix.accounts.find((a) => a.name === cell.account)!;
  const identity = matrix.accounts.find((a) => a.identity);
  const out: string[] = [];
  out.push(`${cell.person} -> ${account.name}${account.id ? ` (${account.id})` : ' (no account id yet)'}: ${cell.level}`);
  if (cell.paths.length === 0) {
    out.push(`  no path: ${cell.person} holds no function granted on ${account.name} and changes no pipeline applying to it.`);
    return out.join('\n');
  }
  cell.paths.forEach((path, i) => {
    out.push('');
    if (path.kind === 'function') {
      out.push(`  path ${i + 1}: function ${path.function}: ${path.level}`);
      out.push(`    group: ${path.group} in ${identity ? `${identity.name} (${identity.id ?? 'no id'})` : 'the identity account'}`);
      if (path.groupPolicy) out.push('    role:  none: the group\'s own policies in the identity account (identityPermissions)');
      else out.push(`    role:  ${path.roleArn ?? `${path.role} (created once the account has an id)`}`);
      if (path.roleFunctions) out.push(`    shared: role ${path.role} is shared by functions ${path.roleFunctions.join(', ')}`);
      out.push('    permission sets:');
      const width = Math.max(...path.permissionSets.map((s) => s.name.length));
      for (const s of path.permissionSets) {
        out.push(`      ${s.name.padEnd(width)}  ${s.level.padEnd(11)}  ${s.action ?? '(allows nothing)'}`);
      }
    } else {
      const changer = `a member of changer function ${path.changer.name}`;
      out.push(`  path ${i + 1}: pipeline ${path.pipeline}: ${path.level}`);
      out.push(`    as ${changer}: changers hold what the pipeline's apply role holds on ${account.name} (e.g. ${path.action})`);
    }
  });
  const machines = matrix.principals.filter((p) => p.account === cell.account);
  if (machines.length > 0) {
    out.push('');
    out.push(`  also on ${account.name}, without MFA (functions' principals):`);
    for (const m of machines) out.push(`    ${m.principal} -> role ${m.role} (function ${m.function}): ${m.level}`);
  }
  out.push('');
  out.push(cell.evidence ? `  level: ${cell.level}, set by ${cell.evidence.action} through ${cell.evidence.path}` : `  level: ${cell.level}`);
  return out.join('\n');
}
