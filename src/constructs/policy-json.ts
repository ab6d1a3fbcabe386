/**
 * The one way a policy document becomes a Terraform string attribute:
 * src/plan/policy-document.ts's policyJson, the same JSON its sizes measure.
 */
export { policyJson } from '../plan/policy-document';
