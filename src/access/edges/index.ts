/**
 * Every edge kind of the access graph, one module each (like cdk-nag
 * rules): a new way of becoming another principal is a new file here and
 * one line below. docs/access-report.md lists them.
 */
import type { EdgeKindModule } from '../graph-types';
import { adminOfAccount, accountPrincipal } from './admin';
import { assume } from './assume';
import { identityCenter } from './identity-center';
import { passRole } from './pass-role';
import { pipeline } from './pipeline';
import { selfEscalation } from './self-escalation';

export const EDGE_KINDS: readonly EdgeKindModule[] = [
  assume,
  adminOfAccount,
  selfEscalation,
  passRole,
  accountPrincipal,
  pipeline,
  identityCenter,
];
