/**
 * Snapshots -> the access engine's Estate (src/access/estate.ts): every
 * user, group and role AWS holds, with the documents it holds, and the
 * organisation's SCPs and RCPs by layer (root, OUs, account) when
 * organizations.json says where they attach. What the snapshots cannot
 * hold (who changes a pipeline, the operator's ambient credentials) comes
 * from the plan's estate, as facts: the engine then reads the live
 * documents, so a hand-made role or an extra attachment changes what it finds.
 */
import type { Model } from '../model/model';
import type { OrgPlan, PolicyDocument } from '../plan/types';
import { estateUser, type Estate, type EstateAccount, type EstateMachine, type EstateRole, type RoleOrigin } from '../access/estate';
import { estateFromPlan, planContext, ORGANIZATION_ACCESS_ROLE } from '../access/from-plan';
import type { PlacedSnapshot } from './audit';
import { principalAccount, trustedPrincipals } from './normalize';
import type { OrganizationSnapshot, SnapDocument } from './snapshot';

/** The snapshot's document in the plan's type: the same JSON shape (lists where IAM allows either). */
function doc(d: SnapDocument): PolicyDocument {
  return { Version: '2012-10-17', ...d } as unknown as PolicyDocument;
}

/** SCP (or RCP) layers of an account: root, each OU down to it, the account itself. */
function layers(
  org: OrganizationSnapshot,
  accountId: string,
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY',
): PolicyDocument[][] {
  const units = new Map(org.units.map((u) => [u.id, u]));
  const chain: string[] = [accountId];
  let parent = org.accounts.find((a) => a.id === accountId)?.parentId;
  for (let hops = 0; parent !== undefined && hops < 10; hops++) {
    chain.unshift(parent);
    parent = units.get(parent)?.parentId;
  }
  const policies = org.policies.filter((p) => p.type === type);
  return chain.map((target) => policies.filter((p) => p.targets.includes(target)).map((p) => doc(p.document)));
}

export function estateFromSnapshots(model: Model, plan: OrgPlan, placed: PlacedSnapshot[], organization?: OrganizationSnapshot): Estate {
  const ctx = planContext(model);
  const planned = estateFromPlan(plan, ctx);
  const plannedRoles = new Map(planned.roles.map((r) => [r.arn, r]));
  const plannedGroups = new Map(planned.groups.map((g) => [g.arn, g]));
  const nameOf = new Map(ctx.accounts.flatMap((a) => (a.id ? [[a.id, a.name] as const] : [])));
  const accounts: EstateAccount[] = planned.accounts.map((a) => {
    const out: EstateAccount = { ...a };
    const services = a.services;
    // What the organisation holds replaces what the plan says it should; unknown stays absent (errs high).
    delete out.scps;
    delete out.rcps;
    delete out.services;
    if (organization && a.id && !a.management) {
      // The services limit holds while rolecall's services SCP is attached to the account (its content is audited apart).
      const servicesScp = organization.policies.find((p) => p.name === `rolecall-services-${a.name}` && p.targets.includes(a.id!));
      if (servicesScp && services) out.services = [...services];
      const scps = layers(organization, a.id, 'SERVICE_CONTROL_POLICY');
      if (scps.some((l) => l.length > 0)) out.scps = scps;
      const rcps = layers(organization, a.id, 'RESOURCE_CONTROL_POLICY');
      if (rcps.some((l) => l.length > 0)) out.rcps = rcps;
    }
    return out;
  });
  for (const p of placed)
    if (!nameOf.has(p.accountId)) {
      accounts.push({ name: p.accountId, id: p.accountId });
      nameOf.set(p.accountId, p.accountId);
    }

  const estate: Estate = {
    partition: planned.partition,
    accounts,
    users: [],
    groups: [],
    roles: [],
    policies: {},
    machines: planned.machines.filter((m) => m.kind === 'ambient'),
    pipelines: planned.pipelines,
  };
  if (planned.organizationId) estate.organizationId = planned.organizationId;
  const held = new Set<string>();
  for (const { snapshot, accountId } of placed) {
    const account = nameOf.get(accountId)!;
    for (const p of snapshot.policies) if (p.document) estate.policies[p.arn] = doc(p.document);
    for (const u of snapshot.users) {
      held.add(u.arn);
      estate.users.push(
        estateUser({
          ...u,
          account,
          inline: u.inline.map((p) => ({ name: p.name, document: doc(p.document) })),
          managed: u.attached.map((p) => p.arn),
        }),
      );
    }
    for (const g of snapshot.groups) {
      // The plan's labels for the plan's groups (e.g. which one is the self-service baseline); none for the others.
      const labels = plannedGroups.get(g.arn)?.labels;
      estate.groups.push({
        arn: g.arn,
        account,
        name: g.name,
        path: g.path,
        inline: g.inline.map((p) => ({ name: p.name, document: doc(p.document) })),
        managed: g.attached.map((p) => p.arn),
        ...(labels ? { labels: { ...labels } } : {}),
      });
    }
    for (const r of snapshot.roles) {
      held.add(r.arn);
      const plannedRole = plannedRoles.get(r.arn);
      const origin: RoleOrigin =
        plannedRole?.origin ?? (r.name === ORGANIZATION_ACCESS_ROLE && r.path === '/' ? 'organization-access' : 'other');
      const role: EstateRole = {
        arn: r.arn,
        account,
        name: r.name,
        path: r.path,
        trust: doc(r.trust),
        tags: { ...r.tags },
        inline: r.inline.map((p) => ({ name: p.name, document: doc(p.document) })),
        managed: r.attached.map((p) => p.arn),
        origin,
      };
      if (plannedRole?.labels) role.labels = plannedRole.labels;
      estate.roles.push(role);
    }
  }
  // An account of the file without a snapshot (--account, or one missing) is not compared, but chains pass
  // through it: it holds what the file says (RA107 reports the gap), so what is audited is not cut short.
  const audited = new Set(placed.map((p) => nameOf.get(p.accountId)));
  const unaudited = new Set(planned.accounts.filter((a) => !audited.has(a.name)).map((a) => a.name));
  for (const p of [...planned.roles, ...planned.users])
    if (unaudited.has(p.account)) {
      held.add(p.arn);
      if ('trust' in p) estate.roles.push(p);
      else estate.users.push(p);
    }
  for (const g of planned.groups) if (unaudited.has(g.account)) estate.groups.push(g);
  for (const [arn, d] of Object.entries(planned.policies)) {
    const id = principalAccount(arn);
    const name = id === undefined ? undefined : nameOf.get(id);
    if (name !== undefined && unaudited.has(name) && !(arn in estate.policies)) estate.policies[arn] = d;
  }
  // Principals trusts name that no snapshot holds: machines (an outside account's root is any of its principals).
  const machines = new Map<string, EstateMachine>(estate.machines.map((m) => [m.arn, m]));
  for (const r of estate.roles)
    for (const p of trustedPrincipals(r.trust)) {
      if (!p.startsWith('AWS:')) continue;
      const arn = p.slice(4);
      if (held.has(arn) || machines.has(arn) || arn === '*') continue;
      const id = principalAccount(arn);
      // An estate account's root is its principals, already in the graph; only outside ones are machines.
      if (/:root$/.test(arn) && id !== undefined && nameOf.has(id)) continue;
      const m: EstateMachine = { arn, kind: /:root$/.test(arn) ? 'root' : /:role\//.test(arn) ? 'role' : 'other' };
      const name = id ? nameOf.get(id) : undefined;
      if (name !== undefined) m.account = name;
      machines.set(arn, m);
    }
  estate.machines = [...machines.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  return estate;
}
