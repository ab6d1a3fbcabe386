/**
 * `npm run build` runs this (node dist/src/iam/warm.js): it builds the IAM
 * caches (src/iam/cache.ts) once, at install time, so no user command pays
 * for parsing the raw data packages. Safe to run again: it reads what exists.
 */
import { expandActionPattern } from './actions';
import { findManagedPolicy, managedPolicyDocument } from './managed-policies';

export function warmCaches(): void {
  expandActionPattern('*'); // every service: the compact action catalog
  const admin = findManagedPolicy('AdministratorAccess'); // the index
  if (admin) managedPolicyDocument(admin.arn); // the documents
}

if (require.main === module) warmCaches();
