/**
 * Lifecycle 7, state: deploy.backend s3 against the emulator's S3. The
 * bootstrap stack (local state) makes the bucket: versioned, encrypted,
 * public access blocked, the lock objects' lifecycle rule. Then the master
 * stack keeps its state there: encrypted at rest, S3 native locking
 * (use_lockfile): a plan while another run holds the lock fails cleanly
 * (exit 1, "Error acquiring the state lock", state untouched) or waits for
 * it with -lock-timeout; two plans at once both end cleanly.
 *
 * Emulator gap met: moto's bucket policy evaluation ignores conditions, so
 * the bucket's `aws:SecureTransport = false` deny would refuse every object
 * request (the emulator speaks plain HTTP anyway). The harness removes that
 * statement before the apply, after asserting it is synthesized; everything
 * else is applied as written.
 *
 * The suite's check shown red: a broken stack (use_lockfile off) plans
 * through a held lock.
 */
import * as fs from 'fs';
import * as path from 'path';
import { emulatorOrSkip, GAPS } from '../helpers/emulator';
import { Estate, withoutSecureTransportDeny } from '../helpers/lifecycle';

const run = emulatorOrSkip('lifecycle state suite') ? describe : describe.skip;
const TINY = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'lifecycle', 'tiny.yaml'), 'utf8');
const MASTER = '111111111111';
const S3 = `${TINY}\ndeploy:\n  backend: s3\n  s3: { bucket: tiny-tfstate, region: eu-west-1, keyPrefix: rolecall/ }\n`;

run('lifecycle: S3 state', () => {
  let estate: Estate;
  beforeAll(async () => {
    estate = await Estate.start();
  });
  afterAll(() => estate?.stop());

  it(`bootstrap makes the bucket; master's state lives there encrypted; the lock holds (gap: SecureTransport, ${GAPS.SecureTransport})`, async () => {
    estate.synth(S3, withoutSecureTransportDeny);
    expect(estate.stackIds()).toEqual(['master', 'account-production', 'bootstrap']);
    const boot = await estate.converge('bootstrap');
    expect(new Set(Object.values(boot.first.changes))).toEqual(new Set(['create']));
    expect([boot.second.code, boot.second.changes]).toEqual([0, {}]);
    const bucket = await estate.boto(
      MASTER,
      `s3 = client("s3")
out({"versioning": s3.get_bucket_versioning(Bucket="tiny-tfstate")["Status"],
     "sse": s3.get_bucket_encryption(Bucket="tiny-tfstate")["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
     "public": s3.get_public_access_block(Bucket="tiny-tfstate")["PublicAccessBlockConfiguration"],
     "rules": sorted((r["ID"], r["Filter"]["Prefix"], r["NoncurrentVersionExpiration"]["NoncurrentDays"], r["Expiration"]["ExpiredObjectDeleteMarker"]) for r in s3.get_bucket_lifecycle_configuration(Bucket="tiny-tfstate")["Rules"])})`,
    );
    expect(bucket).toEqual({
      versioning: 'Enabled',
      sse: 'AES256',
      public: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      rules: [
        ['lock-account-production', 'rolecall/account-production.tfstate.tflock', 1, true],
        ['lock-master', 'rolecall/master.tfstate.tflock', 1, true],
      ],
    });

    // master on the S3 backend: state written there, encrypted.
    expect(JSON.parse(fs.readFileSync(path.join(estate.dir('master'), 'cdk.tf.json'), 'utf8')).terraform.backend.s3).toMatchObject({
      bucket: 'tiny-tfstate',
      key: 'rolecall/master.tfstate',
      encrypt: true,
      use_lockfile: true,
    });
    const master = await estate.converge('master');
    expect([master.second.code, master.second.changes]).toEqual([0, {}]);
    const state = await estate.boto(
      MASTER,
      `s3 = client("s3")
h = s3.head_object(Bucket="tiny-tfstate", Key="rolecall/master.tfstate")
v = s3.list_object_versions(Bucket="tiny-tfstate", Prefix="rolecall/master.tfstate.tflock")
body = json.loads(s3.get_object(Bucket="tiny-tfstate", Key="rolecall/master.tfstate")["Body"].read())
out({"sse": h.get("ServerSideEncryption"), "resources": len(body["resources"]),
     "lock": [o["Key"] for o in v.get("Versions", []) if o["IsLatest"]], "markers": len(v.get("DeleteMarkers", []))})`,
    );
    expect(state.sse).toBe('AES256');
    expect(state.resources).toBeGreaterThan(20);
    // Each run took and released the lock: no current lock object, the delete markers the lifecycle rule expires.
    expect(state.lock).toEqual([]);
    expect(state.markers).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(estate.dir('master'), 'terraform.tfstate'))).toBe(false);

    // Another run holds the lock (its lock object, as Terraform writes it): a plan fails cleanly, state untouched.
    await estate.boto(
      MASTER,
      `client("s3").put_object(Bucket="tiny-tfstate", Key="rolecall/master.tfstate.tflock", Body=json.dumps({"ID": "11111111-2222-3333-4444-555555555555", "Operation": "OperationTypeApply", "Info": "", "Who": "someone@ci", "Version": "1.11.4", "Created": "2026-01-01T00:00:00Z", "Path": "tiny-tfstate/rolecall/master.tfstate"}))
out(1)`,
    );
    const locked = await estate.tf('master', ['plan', '-lock-timeout=0s', '-input=false', '-no-color']);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('Error acquiring the state lock');
    expect(locked.stderr).toContain('someone@ci');
    // Waiting: a plan with -lock-timeout goes through once the other run releases the lock.
    const waiting = estate.tf('master', ['plan', '-lock-timeout=120s', '-detailed-exitcode', '-input=false', '-no-color']);
    await new Promise((r) => setTimeout(r, 3000));
    await estate.boto(MASTER, `client("s3").delete_object(Bucket="tiny-tfstate", Key="rolecall/master.tfstate.tflock")\nout(1)`);
    expect((await waiting).code).toBe(0);

    // Two plans at once: each ends cleanly (exit 0, or the lock error), and the state is intact after.
    const both = await Promise.all(
      [1, 2].map(() => estate.tf('master', ['plan', '-lock-timeout=0s', '-detailed-exitcode', '-input=false', '-no-color'])),
    );
    for (const r of both) expect(r.code === 0 || (r.code === 1 && r.stderr.includes('Error acquiring the state lock'))).toBe(true);
    const last = await estate.planStack('master');
    expect([last.code, last.changes]).toEqual([0, {}]);
  }, 1800000);
  it("the suite's check goes red: a broken stack without use_lockfile plans straight through a held lock", async () => {
    await estate.boto(
      MASTER,
      `client("s3").put_object(Bucket="tiny-tfstate", Key="rolecall/master.tfstate.tflock", Body=json.dumps({"ID": "11111111-2222-3333-4444-555555555555", "Operation": "OperationTypeApply", "Who": "someone@ci"}))
out(1)`,
    );
    estate.synth(S3, (dir, stack) => {
      withoutSecureTransportDeny(dir, stack);
      if (stack !== 'master') return;
      const file = path.join(dir, 'cdk.tf.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      json.terraform.backend.s3.use_lockfile = false;
      fs.writeFileSync(file, JSON.stringify(json));
    });
    const init = await estate.reinit('master', ['-reconfigure']);
    expect(init.code).toBe(0);
    // The case above requires exit 1 and "Error acquiring the state lock" here: the broken stack gives neither.
    const unlocked = await estate.tf('master', ['plan', '-lock-timeout=0s', '-detailed-exitcode', '-input=false', '-no-color']);
    expect([unlocked.code, unlocked.stderr.includes('Error acquiring the state lock')]).toEqual([0, false]);
  }, 600000);
});
