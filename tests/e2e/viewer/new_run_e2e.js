// A run created after `ctxbench view` started: the Runs page is open first;
// once the test has made a new run (its id is the check's next answer), a
// reload of the page lists it and its Grid opens. Returns what it saw;
// test_viewer.py checks it.
//
// Args: BASE_URL OLD_RUN_ID OUT_DIR  (`node new_run_e2e.js ARGS` runs it
//   alone: it prints {"ready": [row ids]} once the page shows OLD_RUN_ID,
//   then reads the new run's id from stdin)
'use strict';
const path = require('path');
const {openPage, screenshot, main} = require('./browser');

const rows = (page) => page.$$eval('tr[data-key]', (trs) => trs.map((tr) => tr.dataset.key));

async function run(context, [base, oldRun, outDir], io) {
  const out = {problems: []};
  const page = await openPage(context, out.problems);
  await page.goto(base + '#/runs');
  await page.waitForSelector(`tr[data-key="${oldRun}"]`);
  out.before = await rows(page);
  io.say({ready: out.before});
  const newRun = await io.next();
  if (!newRun) throw new Error('no new run id came');
  await page.reload();
  await page.waitForSelector(`tr[data-key="${newRun}"]`, {timeout: 30000});
  out.after = await rows(page);
  await screenshot(page, path.join(outDir, 'runs-new-run.png'));
  await Promise.all([page.waitForSelector('h1'), page.click(`tr[data-key="${newRun}"] a`)]);
  // The Grid is drawn (its cells' links), not the Runs table still shown
  // while the Grid's data loads.
  await page.waitForFunction((r) => location.hash === `#/run/${r}` &&
      document.querySelectorAll('a.cell-link').length > 0, {}, newRun);
  out.grid_heading = await page.$eval('h1', (el) => el.textContent);
  out.grid_rows = (await rows(page)).length;
  return out;
}

module.exports = {run};
if (require.main === module) main(module.exports);
