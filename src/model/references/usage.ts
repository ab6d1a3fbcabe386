/** Usage notices: functions nobody holds, permission sets nothing grants, guardrails that select nobody yet. */
import type { CheckContext } from './resolution';
import * as msg from '../reference-messages';

/**
 * Notices for what a file described by roles rather than people most
 * easily gets wrong: functions nobody holds, permission sets no function
 * grants, guardrails that select no person today. Only on whole sections
 * (a section with a broken entry could hide the use).
 */
export function checkUsage(c: CheckContext): void {
  const { functions, people, permissions, guardrails } = c.s;
  if (!functions || !people || !permissions || !guardrails) return;
  if ([functions, people, permissions].some((section) => Object.values(section).some((v) => v === null))) return;
  if (c.errors > 0) return; // noise beside an error
  const held = new Set(Object.values(people).flatMap((p) => p!.functions));
  const personCount = Object.keys(people).length;
  // No people at all: the file describes roles (the report's function x account view); no notice per function.
  // A function whose members are machines (principals) is held without people.
  if (personCount > 0) {
    for (const [fn, def] of Object.entries(functions)) {
      // A break-glass function is nobody's on most days: that is the point.
      if (!held.has(fn) && !def!.principals && def!.breakGlass === undefined)
        c.report(['functions', fn], msg.functionWithoutMembers(fn), 'notice');
    }
  }
  const used = new Set<string>();
  for (const fn of Object.values(functions)) {
    const access = fn!.access;
    const values = Array.isArray(access) ? access.map((g) => g.permissions) : Object.values(access);
    if (fn!.identityPermissions !== undefined) values.push(fn!.identityPermissions);
    for (const v of values) for (const set of typeof v === 'string' ? [v] : v) used.add(set);
  }
  for (const set of Object.keys(permissions)) if (!used.has(set)) c.report(['permissions', set], msg.unusedPermissionSet(set), 'notice');
  guardrails.forEach((rail, i) => {
    if (!rail || personCount === 0) return;
    const fns = rail.functions ?? [];
    if (fns.length + (rail.people ?? []).length === 0) return; // an error already
    // A function with machine principals is held by them: the guardrail bounds them.
    if ((rail.people ?? []).length === 0 && !fns.some((f) => held.has(f) || functions[f]?.principals !== undefined)) {
      c.report(['guardrails', i], msg.guardrailSelectsNobodyYet(rail.name, fns), 'notice');
    }
  });
}
