/**
 * pipeline: whoever can change what a pipeline applies (a member of a
 * changer group, or a changer user) holds the credentials it applies with
 * (SPEC section 5). Which credentials those are is estate data (from the
 * plan's deploy: ambient management credentials under assume-role, the
 * per-workspace apply roles under tfc-dynamic, the runner's ambient ones
 * under environment), never this module's choice.
 */
import type { EstatePipeline } from '../estate';
import type { EdgeContext, EdgeKindModule, GraphEdge } from '../graph-types';

/** Per graph and pipeline: its credentials' edges (the same for every changer: one list, shared). */
const credentialEdges = new WeakMap<EdgeContext, Map<EstatePipeline, GraphEdge[]>>();

function edgesOf(p: EstatePipeline, ctx: EdgeContext): GraphEdge[] {
  let byPipeline = credentialEdges.get(ctx);
  if (byPipeline === undefined) credentialEdges.set(ctx, (byPipeline = new Map()));
  let found = byPipeline.get(p);
  if (found === undefined) {
    found = [];
    for (const c of p.credentials) {
      const to = ctx.roleByArn.has(c.principal) ? `role:${c.principal}` : `machine:${c.principal}`;
      if (ctx.node(to) === undefined) continue;
      found.push({ to, kind: 'pipeline', via: p.name, action: 'iam:PutRolePolicy' });
    }
    byPipeline.set(p, found);
  }
  return found;
}

export const pipeline: EdgeKindModule = {
  kind: 'pipeline',
  edges(node, _mfa, ctx) {
    if (node.kind !== 'user') return [];
    const groups = new Set(node.groups ?? []);
    const users = new Set(node.users ?? []);
    const out: GraphEdge[] = [];
    for (const p of ctx.estate.pipelines) {
      const changer = p.changers.groups.some((g) => groups.has(g)) || p.changers.users.some((u) => users.has(u));
      if (changer) out.push(...edgesOf(p, ctx));
    }
    return out;
  },
};
