import { checkOrganization } from '../../plan/organization';
import type { Rule } from '../rule';

/** The organization stack (manage: true): OU paths, account creation, SCP and RCP quotas. */
export const organization: Rule = {
  id: 'organization',
  title: 'OU paths, created accounts, SCPs and RCPs fit AWS Organizations',
  needs: 'plan',
  codes: ['RC310', 'RC311', 'RC312', 'RC313', 'RC314', 'RC315', 'RC316', 'RC317', 'RC320', 'RC321', 'RC322', 'RC323', 'RC324'],
  check: ({ model, plan }) => checkOrganization(model, plan.organizationStack),
};
