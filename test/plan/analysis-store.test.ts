/** Permission-set analyses kept across runs (src/plan/analysis-store.ts): never a stale or damaged answer. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisStore, buildFingerprint, STORE_MAX_ENTRIES } from '../../src/plan/analysis-store';

const isNumber = (v: unknown) => typeof v === 'number';

describe('AnalysisStore', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-store-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps values across processes for the same fingerprint only', () => {
    const first = new AnalysisStore(dir, 'build-1', isNumber);
    expect(first.get('set a')).toBeUndefined();
    first.set('set a', 1);
    expect(first.get('set a')).toBe(1);
    expect(first.flush()).toBe(true);
    // Keys are hashed: the file holds no set content.
    expect(fs.readFileSync(path.join(dir, 'set-analyses-v1.json'), 'utf8')).not.toContain('set a');

    expect(new AnalysisStore(dir, 'build-1', isNumber).get('set a')).toBe(1);
    expect(new AnalysisStore(dir, 'build-1', isNumber).get('set b')).toBeUndefined();
    // Another build (code or IAM data changed): nothing is trusted.
    expect(new AnalysisStore(dir, 'build-2', isNumber).get('set a')).toBeUndefined();
  });

  it('ignores a damaged file, or one with a value of the wrong shape, whole', () => {
    const store = new AnalysisStore(dir, 'b', isNumber);
    store.set('x', 1);
    store.set('y', 2);
    store.flush();
    const file = path.join(dir, 'set-analyses-v1.json');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/,2\]/, ',"admin"]'));
    expect(new AnalysisStore(dir, 'b', isNumber).get('x')).toBeUndefined();
    fs.writeFileSync(file, text.slice(0, 20));
    expect(new AnalysisStore(dir, 'b', isNumber).get('x')).toBeUndefined();
  });

  it('keeps the newest entries only', () => {
    const store = new AnalysisStore(dir, 'b', isNumber);
    for (let i = 0; i < STORE_MAX_ENTRIES + 5; i++) store.set(`k${i}`, i);
    store.flush();
    const again = new AnalysisStore(dir, 'b', isNumber);
    expect(again.get('k0')).toBeUndefined();
    expect(again.get('k4')).toBeUndefined();
    expect(again.get('k5')).toBe(5);
    expect(again.get(`k${STORE_MAX_ENTRIES + 4}`)).toBe(STORE_MAX_ENTRIES + 4);
  });

  it('is not an error when the folder cannot be written', () => {
    const store = new AnalysisStore('/dev/null/rolecall', 'b', isNumber);
    store.set('x', 1);
    expect(store.get('x')).toBe(1);
    expect(store.flush()).toBe(false);
  });

  it('has no fingerprint under ts-jest: only the compiled build uses the store', () => {
    expect(buildFingerprint()).toBeUndefined();
  });
});
