/** The reference checks of deploy: backends and credentials, the state account, adoption. */
import type { Deploy } from '../schema';
import type { KeyPath } from '../diagnostics';
import type { CheckContext } from './resolution';
import * as msg from '../reference-messages';

export function checkDeploy(c: CheckContext): void {
  const deploy = c.s.deploy;
  if (!deploy) return;
  const plain = (path: KeyPath, value: unknown) => {
    if (typeof value === 'string') c.checkPlain(path, value);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) plain([...path, k], v);
  };
  plain(['deploy'], deploy);
  if (deploy.backend === 's3' && !deploy.s3) c.report(['deploy', 'backend'], msg.deployNeedsSection('s3'));
  if (deploy.backend === 'cloud') {
    if (!deploy.cloud) c.report(['deploy', 'backend'], msg.deployNeedsSection('cloud'));
    else if (deploy.cloud.project === undefined) c.report(['deploy', 'cloud'], msg.cloudNeedsProject());
  }
  if (deploy.credentials === 'tfc-dynamic' && deploy.backend !== 'cloud') {
    c.report(['deploy', 'credentials'], msg.dynamicNeedsCloud(deploy.backend));
  }
  const stateAccount = deploy.s3?.account;
  if (stateAccount !== undefined && c.reference(['deploy', 's3', 'account'], 'account', stateAccount, c.s.accounts, 'accounts')) {
    const account = c.s.accounts![stateAccount];
    if (account && account.id === undefined) c.report(['deploy', 's3', 'account'], msg.stateAccountNeedsId(stateAccount));
    // The services SCP would deny every S3 call on the state, the bootstrap's and every stack's.
    if (account?.services && !account.services.includes('s3') && c.s.organization?.manage === true) {
      c.report(['deploy', 's3', 'account'], msg.stateAccountWithoutS3(stateAccount));
    }
  }
  if (deploy.adopt) checkAdopt(c, deploy.adopt);
}

/** deploy.adopt names people, functions and granted accounts that exist; each once. */
function checkAdopt(c: CheckContext, adopt: NonNullable<Deploy['adopt']>): void {
  const once = (
    path: KeyPath,
    kind: string,
    names: string[],
    section: Record<string, unknown> | undefined,
    sectionName: string,
    refKind: string,
  ) => {
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (seen.has(name)) c.report([...path, i], msg.adoptDuplicate(kind, name));
      else c.reference([...path, i], refKind, name, section, sectionName);
      seen.add(name);
    });
  };
  once(['deploy', 'adopt', 'people'], 'person', adopt.people, c.s.people, 'people', 'person');
  once(['deploy', 'adopt', 'groups'], 'group', adopt.groups, c.s.functions, 'functions', 'function');
  for (const [fn, accounts] of Object.entries(adopt.roles)) {
    const path: KeyPath = ['deploy', 'adopt', 'roles', fn];
    if (!c.reference(path, 'function', fn, c.s.functions, 'functions') || accounts === '*') continue;
    const granted = Object.keys(c.grants[fn] ?? {})
      .filter((a) => c.s.accounts?.[a]?.id !== undefined)
      .sort();
    const seen = new Set<string>();
    accounts.forEach((account, i) => {
      if (seen.has(account)) c.report([...path, i], msg.adoptDuplicate('account', account));
      else if (!granted.includes(account)) c.report([...path, i], msg.adoptRoleNotGranted(fn, account, granted));
      seen.add(account);
    });
  }
}
