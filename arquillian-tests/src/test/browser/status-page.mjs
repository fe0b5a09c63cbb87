// ConsoleIT's browser: opens the console's status page in Debian's headless chromium and reports
// what it shows, one line per step on stdout; waits for "killed" on stdin between the steps.
//   node status-page.mjs <page url> <segment> <screenshot path>
// Lines: "members 3", "segment <json>", "members 2 below-r 0", "segment <json>" (described again
// until at R copies), or "failed <why>" (exit 1).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [url, segment, screenshot] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
const lines = createInterface({ input: process.stdin });
const nextLine = () => new Promise(resolve => lines.once('line', resolve));
let context;

async function showing(page, members, belowR, timeout) {
  const count = `#member-count[data-count="${members}"]`;
  const below = belowR === undefined ? '' : `#replica-state[data-under-replicated="${belowR}"]`;
  await page.waitForSelector(count, { timeout });
  if (below) {
    await page.waitForSelector(below, { timeout });
  }
}

try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  await page.goto(url);
  await showing(page, 3, undefined, 60_000);
  console.log('members 3');

  await page.fill('#segment-name', segment);
  const field = async name => (await page.textContent(`#segment [data-field="${name}"] td`)).trim();
  const describe = async () => {
    await page.evaluate(() => document.querySelector('#segment').hidden = true);
    await page.click('#search button');
    await page.waitForSelector('#segment [data-field="writer"]', { timeout: 10_000 });
    return {
      state: await field('state'), version: await field('version'), writer: await field('writer'),
      owners: await field('owners'), atReplicaCount: await field('atReplicaCount'),
    };
  };
  console.log('segment ' + JSON.stringify(await describe()));

  if ((await nextLine()).trim() !== 'killed') {
    throw new Error('expected "killed" on stdin');
  }
  // The page updates itself: the same page, no reload, shows the member gone and R copies again.
  await showing(page, 2, 0, 120_000);
  console.log('members 2 below-r 0');
  // The segment's copies: described again until its live owners are back at R (a rebalance).
  let after = await describe();
  for (let i = 0; i < 60 && after.atReplicaCount !== 'yes'; i++) {
    await page.waitForTimeout(1000);
    after = await describe();
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log('segment ' + JSON.stringify(after));
} catch (e) {
  console.log('failed ' + String(e.message || e).split('\n')[0]);
  process.exitCode = 1;
} finally {
  if (context) {
    await context.close();
  }
  lines.close();
  rmSync(profile, { recursive: true, force: true });
}
