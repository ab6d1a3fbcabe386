import { App } from 'cdktf';
import type { OrgPlan } from '../plan/types';
import { AccountStack } from './account-stack';
import { OrganizationStack } from './organization-stack';
import { BootstrapStack } from './bootstrap-stack';

/** An App with one stack per StackPlan, named by the stack id (`master`, `account-production`, ...). */
export function buildApp(plan: OrgPlan, outdir: string): App {
  const app = new App({ outdir, skipValidation: false, hclOutput: false });
  let identity: AccountStack | undefined;
  for (const stack of plan.stacks) {
    const rendered = new AccountStack(app, stack.id, { plan: stack });
    if (stack.kind === 'master') identity = rendered;
    // People shards join people to the identity stack's groups: `cdktf deploy` applies that stack first.
    else if (stack.kind === 'people' && identity) rendered.addDependency(identity);
  }
  if (plan.organizationStack) {
    new OrganizationStack(app, plan.organizationStack.id, { plan: plan.organizationStack });
  }
  if (plan.bootstrapStack) {
    new BootstrapStack(app, plan.bootstrapStack.id, { plan: plan.bootstrapStack });
  }
  return app;
}

/** Builds and synthesizes every stack into `outdir/stacks/<id>/cdk.tf.json`. */
export function synthesizeApp(plan: OrgPlan, outdir: string): App {
  return withPlainStackTraces(() => {
    const app = buildApp(plan, outdir);
    app.synth();
    return app;
  });
}

/**
 * cdktf records a full stack trace for every token it creates. Under ts-node
 * each trace goes through source-map support, which made synthesis of a
 * 300-account org take 7.4 s instead of 4.4 s (bench/). The traces only feed
 * cdktf's debugging metadata, so V8's plain formatting is enough here.
 */
function withPlainStackTraces<T>(work: () => T): T {
  const previous = Error.prepareStackTrace;
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
  try {
    return work();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
