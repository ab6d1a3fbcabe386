import { checkQuotas } from '../../plan/quotas';
import type { Rule } from '../rule';

/** Policies and paths within IAM's quotas, so an apply never fails halfway (AWS rejects them). */
export const iamQuotas: Rule = {
  id: 'iam-quotas',
  title: 'Roles, groups and policies fit IAM quotas',
  needs: 'plan',
  codes: ['RC401', 'RC402', 'RC403', 'RC404', 'RC405', 'RC406', 'RC409'],
  check: ({ model, plan }) => checkQuotas(model, plan),
};
