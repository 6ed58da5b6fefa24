// A run created after `ctxbench view` started, in Debian's headless chromium:
// the Runs page is open first; once the test has made a new run (the id comes
// on stdin), a reload of the page lists it and its Grid opens. Prints what it
// saw as JSON; test_viewer.py checks it.
//
// Usage: node new_run_e2e.js BASE_URL OLD_RUN_ID OUT_DIR
//   prints {"ready": [row ids]} once the page shows OLD_RUN_ID, then reads the
//   new run's id from stdin.
'use strict';
const path = require('path');
const readline = require('readline');
const {openBrowser, openPage} = require('./browser');

const [base, oldRun, outDir] = process.argv.slice(2);
const out = {problems: []};
const rows = (page) => page.$$eval('tr[data-key]', (trs) => trs.map((tr) => tr.dataset.key));

(async () => {
  const lines = readline.createInterface({input: process.stdin})[Symbol.asyncIterator]();
  const browser = await openBrowser();
  try {
    const page = await openPage(browser.context, out.problems);
    await page.goto(base + '#/runs');
    await page.waitForSelector(`tr[data-key="${oldRun}"]`);
    out.before = await rows(page);
    console.log(JSON.stringify({ready: out.before}));
    const next = await lines.next();
    const newRun = (next.value || '').trim();
    await page.reload();
    await page.waitForSelector(`tr[data-key="${newRun}"]`, {timeout: 30000});
    out.after = await rows(page);
    await page.screenshot({path: path.join(outDir, 'runs-new-run.png')});
    await Promise.all([page.waitForSelector('h1'), page.click(`tr[data-key="${newRun}"] a`)]);
    // The Grid is drawn (its cells' links), not the Runs table still shown
    // while the Grid's data loads.
    await page.waitForFunction((run) => location.hash === `#/run/${run}` &&
        document.querySelectorAll('a.cell-link').length > 0, {}, newRun);
    out.grid_heading = await page.$eval('h1', (el) => el.textContent);
    out.grid_rows = (await rows(page)).length;
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
  process.exit(0);
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
