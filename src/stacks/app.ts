import { App } from 'cdktf';
import type { OrgPlan } from '../plan/types';
import { AccountStack } from './account-stack';
import { OrganizationStack } from './organization-stack';

/** An App with one stack per StackPlan, named by the stack id (`master`, `account-production`, ...). */
export function buildApp(plan: OrgPlan, outdir: string): App {
  const app = new App({ outdir, skipValidation: false, hclOutput: false });
  for (const stack of plan.stacks) {
    new AccountStack(app, stack.id, { plan: stack });
  }
  if (plan.organizationStack) {
    new OrganizationStack(app, plan.organizationStack.id, { plan: plan.organizationStack });
  }
  return app;
}

/** Builds and synthesizes every stack into `outdir/stacks/<id>/cdk.tf.json`. */
export function synthesizeApp(plan: OrgPlan, outdir: string): App {
  const app = buildApp(plan, outdir);
  app.synth();
  return app;
}
