/**
 * pipeline: whoever can change what a pipeline applies (a member of a
 * changer group, or a changer user) holds the credentials it applies with
 * (SPEC section 5). Which credentials those are is estate data (from the
 * plan's deploy: ambient management credentials under assume-role, the
 * per-workspace apply roles under tfc-dynamic, the runner's ambient ones
 * under environment), never this module's choice.
 */
import type { EdgeKindModule, GraphEdge } from '../graph';

export const pipeline: EdgeKindModule = {
  kind: 'pipeline',
  edges(node, _mfa, ctx) {
    if (node.kind !== 'user') return [];
    const groups = new Set(node.groups ?? []);
    const users = new Set(node.users ?? []);
    const out: GraphEdge[] = [];
    for (const p of ctx.estate.pipelines) {
      const changer = p.changers.groups.some((g) => groups.has(g)) || p.changers.users.some((u) => users.has(u));
      if (!changer) continue;
      for (const c of p.credentials) {
        const to = ctx.roleByArn.has(c.principal) ? `role:${c.principal}` : `machine:${c.principal}`;
        if (ctx.node(to) === undefined) continue;
        out.push({ to, kind: 'pipeline', via: p.name, action: 'iam:PutRolePolicy' });
      }
    }
    return out;
  },
};
