/** The reference checks of scps: selectors (never the management account), statements and actions. */
import type { KeyPath } from '../diagnostics';
import type { CheckContext } from './resolution';
import { checkAction } from './permissions';
import * as msg from '../reference-messages';

/**
 * Custom SCPs: their selectors, statements and actions. They never apply
 * to the management account, so selecting it is an error; without
 * `manage: true` no organization stack emits them, which is a notice.
 */
export function checkScps(c: CheckContext): void {
  const scps = c.s.scps;
  if (!scps) return;
  const names = Object.keys(scps);
  if (names.length > 0 && c.s.organization && !c.s.organization.manage) {
    c.report(['scps'], msg.scpsWithoutManage(), 'notice');
  }
  for (const [name, scp] of Object.entries(scps)) {
    const path: KeyPath = ['scps', name];
    c.checkName(path, 'SCP', name);
    if (!scp) continue;
    const selected = c.resolveSelector([...path, 'accounts'], scp.accounts);
    if (c.master !== undefined && selected.includes(c.master)) {
      const at: KeyPath = Array.isArray(scp.accounts) ? [...path, 'accounts', scp.accounts.indexOf(c.master)] : [...path, 'accounts'];
      c.report(at, msg.scpOnMaster(name, c.master));
    }
    scp.statements.forEach((statement, i) => {
      const at: KeyPath = [...path, 'statements', i];
      if ((statement.actions === undefined) === (statement.notActions === undefined)) {
        c.report(at, msg.scpStatementActions());
        return;
      }
      if (statement.resources !== undefined && statement.notResources !== undefined) c.report(at, msg.scpStatementResources());
      const key = statement.actions !== undefined ? 'actions' : 'notActions';
      (statement.actions ?? statement.notActions ?? []).forEach((action, j) => {
        const problem = checkAction(action);
        if (problem) c.report([...at, key, j], problem);
      });
    });
  }
}
