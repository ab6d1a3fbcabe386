/**
 * The HTML access report on a phone (issue 19.11): no page-level horizontal
 * scroll at 390 px. Each table scrolls in its own container, its first
 * column (the person, function or account) sticky.
 *
 * Measured in headless Chromium (`apt-get install -y chromium`; .ci/run
 * installs it): a page that loads the report into a 390 x 844 frame writes
 * the report's document.documentElement.scrollWidth, read back with
 * --dump-dom. A frame, because headless Chromium will not make its window
 * narrower than 500 px, whatever --window-size says; a frame's width is its
 * layout viewport, as a phone's device-width is. The frame's clientWidth is
 * asserted to be 390, so a wrong measurement cannot pass, and the same
 * report without its scroll containers is measured too: it must overflow.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileOrgFile, compileOrgText } from '../../src/plan/compile';
import { bigOrg } from '../helpers/big-org';
import { buildAccessReport } from '../../src/report/access-json';
import { escapeHtml, renderAccessHtml } from '../../src/report/access-html';

const ROOT = path.join(__dirname, '..', '..');
const PHONE = { width: 390, height: 844 };

function findChromium(): string | undefined {
  const candidates = [process.env.ROLECALL_CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'].filter((c): c is string => !!c);
  return candidates.find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
}

const chromium = findChromium();
if (!chromium) {
  const message = 'report-mobile e2e: no chromium on PATH (apt-get install -y chromium, or set ROLECALL_CHROMIUM)';
  if (process.env.CI) throw new Error(`CI is set and ${message}`);
  console.warn(`\n!! SKIPPED ${message}\n!! The HTML report was NOT measured at 390 px.\n`);
}
const maybe = chromium ? describe : describe.skip;

interface Measure {
  scrollWidth: number;
  clientWidth: number;
  /** The first matrix scrolled sideways: how far it scrolled, and where its first row header then is, from the container's left. */
  scrolled: number;
  stickyOffset: number;
  tables: number;
  contained: number;
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-mobile-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Loads `html` into a 390 x 844 frame in headless Chromium and returns what the page measured. */
function measure(html: string, name: string): Measure {
  const script = `
window.addEventListener('load', function () {
  var doc = document.getElementById('phone').contentDocument;
  var root = doc.documentElement;
  var out = { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, scrolled: -1, stickyOffset: -1,
    tables: doc.querySelectorAll('table').length, contained: doc.querySelectorAll('div.scroll > table').length };
  var box = doc.querySelector('table.matrix') && doc.querySelector('table.matrix').parentElement;
  if (box) {
    box.scrollLeft = 200;
    out.scrolled = box.scrollLeft;
    out.stickyOffset = box.querySelector('tbody th').getBoundingClientRect().left - box.getBoundingClientRect().left;
  }
  document.getElementById('measure').textContent = 'MEASURE' + JSON.stringify(out) + 'END';
});`;
  const page =
    '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body { margin: 0 } iframe { border: 0; display: block }</style></head><body>' +
    `<iframe id="phone" width="${PHONE.width}" height="${PHONE.height}" srcdoc="${escapeHtml(html)}"></iframe>` +
    `<pre id="measure"></pre><script>${script}</script></body></html>`;
  const file = path.join(tmp, `${name}.html`);
  fs.writeFileSync(file, page);
  const profile = fs.mkdtempSync(path.join(tmp, 'profile-'));
  const dom = execFileSync(
    chromium!,
    [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--hide-scrollbars', // a phone's scrollbars overlay the page: they take no width
      '--headless',
      `--window-size=${PHONE.width},${PHONE.height}`,
      `--user-data-dir=${profile}`,
      '--dump-dom',
      `file://${file}`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
  );
  const found = /MEASURE(.*?)END/.exec(dom);
  if (!found) throw new Error(`the page wrote no measurement; chromium printed:\n${dom.slice(0, 2000)}`);
  return JSON.parse(found[1]) as Measure;
}

function reportOf(config: string): string {
  const result = config === 'big' ? compileOrgText(bigOrg(60), 'big.yaml') : compileOrgFile(path.join(ROOT, 'config', config));
  if (!result.ok) throw new Error(`${config} does not compile`);
  return renderAccessHtml(buildAccessReport(result.matrix));
}

maybe('the HTML access report at 390 px (issue 19.11)', () => {
  // 'big': 61 accounts, so the people matrix is 61 columns wide and functions get the details table.
  for (const config of ['org.yaml', 'org-large-company.yaml', 'org-identity-center.yaml', 'big']) {
    it(`${config}: no page-level horizontal scroll; every table in its own scroll container, its first column sticky`, () => {
      const m = measure(reportOf(config), config.replace(/\.yaml$/, ''));
      expect(m.clientWidth).toBe(PHONE.width);
      expect(m.scrollWidth).toBeLessThanOrEqual(PHONE.width);
      expect(m.tables).toBeGreaterThan(2);
      expect(m.contained).toBe(m.tables);
      if (m.scrolled !== -1) {
        // The matrix is wider than the phone: it scrolls, and its row headers stay at the left edge.
        expect(m.scrolled).toBeGreaterThan(0);
        expect(Math.abs(m.stickyOffset)).toBeLessThan(1);
      }
    });
  }

  it('the measurement can fail: the same report without its scroll containers overflows the phone', () => {
    const unboxed = reportOf('org.yaml').replace(/div\.scroll \{[^}]*\}/, '');
    expect(unboxed).not.toBe(reportOf('org.yaml'));
    const m = measure(unboxed, 'unboxed');
    expect(m.clientWidth).toBe(PHONE.width);
    expect(m.scrollWidth).toBeGreaterThan(PHONE.width);
  });
});
