/** The reference checks of guardrails: names, who they select, their account selectors. */
import type { KeyPath } from '../diagnostics';
import type { CheckContext } from './resolution';
import * as msg from '../reference-messages';

export function checkGuardrails(c: CheckContext): void {
  const guardrails = c.s.guardrails;
  if (!guardrails) return;
  const names = new Set<string>();
  guardrails.forEach((rail, i) => {
    if (!rail) return;
    const path: KeyPath = ['guardrails', i];
    if (names.has(rail.name)) c.report([...path, 'name'], msg.duplicateGuardrail(rail.name));
    names.add(rail.name);
    const functions = rail.functions ?? [];
    const people = rail.people ?? [];
    if (functions.length === 0 && people.length === 0) c.report(path, msg.guardrailSelectsNobody(rail.name));
    functions.forEach((fn, j) => c.reference([...path, 'functions', j], 'function', fn, c.s.functions, 'functions'));
    people.forEach((person, j) => c.reference([...path, 'people', j], 'person', person, c.s.people, 'people'));
    c.resolveSelector([...path, 'accounts'], rail.accounts, true);
  });
}
