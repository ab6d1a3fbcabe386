import { adoptNotices, checkDeploy } from '../../plan/deploy';
import type { Rule } from '../rule';

/** Workspace and state names within backend limits; what `deploy.adopt` will import (notices). */
export const deploy: Rule = {
  id: 'deploy',
  title: 'Deploy names fit their backend; adopted resources are announced',
  needs: 'plan',
  codes: ['RC605', 'RC609', 'RC610', 'RC611'],
  check: ({ model, plan }) => [...checkDeploy(model, plan), ...adoptNotices(model, plan)],
};
