// The Runs page of a run in progress, in Debian's headless chromium: the run
// appears as running and its finished count rises without a page reload
// (the page polls every 2 s). Prints what it saw as JSON; test_viewer.py
// checks it.
//
// Usage: node live_e2e.js BASE_URL RUN_ID OUT_DIR
'use strict';
const path = require('path');
const {openBrowser, openPage} = require('./browser');

const [base, run, outDir] = process.argv.slice(2);
const out = {problems: [], seen: []};

(async () => {
  const browser = await openBrowser();
  try {
    const page = await openPage(browser.context, out.problems);
    await page.goto(base + '#/runs');
    await page.waitForSelector(`tr[data-key="${run}"]`);
    // A mark on the window: a reload would clear it.
    await page.evaluate(() => { window.liveMark = 1; });
    const row = async () => page.$eval(`tr[data-key="${run}"]`, (tr) => ({
      status: tr.querySelector('.badge').textContent,
      done: tr.children[5].textContent,
    }));
    const first = await row();
    out.seen.push(first);
    await page.screenshot({path: path.join(outDir, 'runs-live.png')});
    // Watch for up to 120 s: the row must change while the run is running.
    const deadline = Date.now() + 120000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const now = await row().catch(() => null);
      if (!now) continue;
      const last = out.seen[out.seen.length - 1];
      if (now.status !== last.status || now.done !== last.done) out.seen.push(now);
      if (out.seen.length >= 3 || now.status !== 'running') break;
    }
    out.not_reloaded = await page.evaluate(() => window.liveMark === 1);
    await page.screenshot({path: path.join(outDir, 'runs-live-later.png')});
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
