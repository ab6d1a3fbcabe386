import { checkGuardrails } from '../../plan/guardrails';
import type { Rule } from '../rule';

/** Guardrails bound each selected person's whole access (transitive paths included), on the matrix. */
export const guardrails: Rule = {
  id: 'guardrails',
  title: 'Nobody a guardrail selects holds more than its maxAccess',
  needs: 'matrix',
  codes: ['RC501', 'RC502'],
  check: ({ model, matrix }) => checkGuardrails(model, matrix),
};
