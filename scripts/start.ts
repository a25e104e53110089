// `npm start` (Chromium) / `npm start -- --firefox`: see the whole loop in one command. It
// builds the extension, starts the reference receiver on a fresh embedded SQLite database with
// a demo drive, and opens a browser with the extension loaded on a demo conversation (served
// at a real chatbot address, like the end-to-end tests do, so the content script runs on it),
// the options page (join the drive with the printed code) and the drive's public page.
// Where there is no display it says so and prints how to load the build by hand.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const firefox = process.argv.includes('--firefox');
const port = Number(process.env.PORT ?? 8787);
const endpoint = `http://127.0.0.1:${port}`;
const DEMO_URL = 'https://chatgpt.com/c/sounds-local-demo';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(text: string) {
  console.log(`\n▸ ${text}`);
}

step(`Building the extension for ${firefox ? 'Firefox' : 'Chromium'}`);
execFileSync(npm, ['exec', '--', 'wxt', 'build', '-b', firefox ? 'firefox' : 'chrome'], { cwd: ROOT, stdio: 'inherit' });
const build = resolve(ROOT, firefox ? '.output/firefox-mv2' : '.output/chrome-mv3');

step('Starting the reference receiver with a demo drive');
const dataDir = mkdtempSync(join(tmpdir(), 'sounds-local-demo-'));
const manifest = JSON.parse(readFileSync(resolve(ROOT, 'scripts/demo/drive.json'), 'utf8'));
manifest.endpoint = endpoint;
manifest.privacy_url = `${endpoint}/drives/${manifest.id}`;
const manifestFile = join(dataDir, 'demo-drive.json');
writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
const created = JSON.parse(
  execFileSync(npm, ['run', '--silent', 'drive', '--', 'create', manifestFile, '--data-dir', dataDir, '--json'], { cwd: ROOT, encoding: 'utf8' }),
) as { join_code: string; join_link: string; drive_page: string };

const receiver = spawn(npm, ['run', '--silent', 'server', '--', '--port', String(port), '--data-dir', dataDir], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
});
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  receiver.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
receiver.on('exit', (code) => {
  if (!stopping) {
    console.error(`The receiver stopped (exit ${code}).`);
    void stop(1);
  }
});
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${endpoint}/v1/drives/${manifest.id}`)).ok) break;
  } catch {
    // not listening yet
  }
  if (i > 100) {
    console.error(`The receiver did not answer on ${endpoint} within 20 s.`);
    await stop(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}

const demoPage = readFileSync(resolve(ROOT, 'scripts/demo/conversation.html'), 'utf8').replace('JOIN-CODE', created.join_code);
console.log(`
  Receiver:    ${endpoint}  (data in ${dataDir}, deleted when you stop)
  Demo drive:  ${manifest.name}
  Join code:   ${created.join_code}
  Drive page:  ${created.drive_page}`);

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (!hasDisplay) {
  // Both builds, since the reader may load either by hand.
  execFileSync(npm, ['exec', '--', 'wxt', 'build', '-b', firefox ? 'chrome' : 'firefox'], { cwd: ROOT, stdio: 'ignore' });
  console.log(`
No display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so no browser can open.
Load the build by hand in a browser on a machine with a screen:
  Chrome/Chromium: chrome://extensions → Developer mode → Load unpacked → ${resolve(ROOT, '.output/chrome-mv3')}
  Firefox:         about:debugging#/runtime/this-firefox → Load Temporary Add-on → ${resolve(ROOT, '.output/firefox-mv2/manifest.json')}
Then, in the extension's options, join the drive with the code above (the receiver must be
reachable from that browser), and open a conversation on a supported chatbot site.
The receiver keeps running; press Ctrl+C to stop it.`);
} else if (!firefox) {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(`Chromium not found at ${executablePath}; set CHROMIUM_PATH.`);
    await stop(1);
  }
  const context = await chromium.launchPersistentContext('', {
    executablePath,
    headless: false,
    viewport: null,
    args: [`--disable-extensions-except=${build}`, `--load-extension=${build}`, '--no-first-run', '--disable-background-networking'],
  });
  await context.route(DEMO_URL, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: demoPage }));
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(worker.url()).host;
  const [first] = context.pages();
  await (first ?? (await context.newPage())).goto(DEMO_URL);
  await (await context.newPage()).goto(`chrome-extension://${id}/options.html#section-drives`);
  await (await context.newPage()).goto(created.drive_page);
  context.on('close', () => void stop());
  console.log('\nChromium is open: the demo conversation, the options page and the drive page. Close it or press Ctrl+C to stop.');
} else {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', headless: false });
  await browser.installExtension(build);
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === DEMO_URL) void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: demoPage });
    else void request.continue();
  });
  await page.goto(DEMO_URL);
  await (await browser.newPage()).goto(created.drive_page);
  browser.on('disconnected', () => void stop());
  console.log(
    '\nFirefox is open on the demo conversation and the drive page. Open the extension options from about:addons to join the drive. Close it or press Ctrl+C to stop.',
  );
}
