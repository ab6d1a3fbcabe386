import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { StateBucketPlan } from '../plan/deploy';
import { policyJson } from './policy-json';

export interface StateBucketProps {
  readonly bucket: StateBucketPlan;
  readonly provider: TerraformProvider;
}

/**
 * The bucket of `backend: s3`: versioned (every state ever written can be
 * restored), encrypted (SSE-KMS with deploy.s3.kmsKeyId, else SSE-S3),
 * every public access setting blocked, ACLs disabled, plain HTTP refused;
 * each stack's lock object (S3 native locking) loses its noncurrent
 * versions and expired delete markers after a day, state versions are kept.
 * prevent_destroy: losing the bucket loses every stack's record of what it
 * manages.
 *
 * Addresses, for `new StateBucket(stack, 'state-bucket', ...)`:
 *   aws_s3_bucket.state-bucket, and state-bucket_<setting>_<hash> for each setting
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const plan = props.bucket;
    const provider = props.provider;
    this.bucket = new S3Bucket(this, 'Default', { provider, bucket: plan.bucket, lifecycle: { preventDestroy: true } });
    const bucket = this.bucket.id;
    const versioning = new S3BucketVersioningA(this, 'versioning', { provider, bucket, versioningConfiguration: { status: 'Enabled' } });
    if (plan.lockObjects.length > 0) {
      new S3BucketLifecycleConfiguration(this, 'lock-objects', {
        provider,
        bucket,
        // Rules apply to versions written after versioning is on: AWS documents setting it first.
        dependsOn: [versioning],
        rule: plan.lockObjects.map((lock) => ({
          id: `lock-${lock.stack}`,
          status: 'Enabled',
          filter: [{ prefix: lock.key }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        })),
      });
    }
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: plan.kmsKeyId
            ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: plan.kmsKeyId }
            : { sseAlgorithm: 'AES256' },
          bucketKeyEnabled: plan.kmsKeyId ? true : undefined,
        },
      ],
    });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { provider, bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPolicy(this, 'policy', { provider, bucket, policy: policyJson(plan.policy) });
  }
}
