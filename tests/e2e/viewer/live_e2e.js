// The Runs page of a run in progress: the run appears as running and its
// finished count rises without a page reload (the page polls every 2 s).
// Returns what it saw; test_viewer.py checks it.
//
// Args: BASE_URL RUN_ID OUT_DIR  (`node live_e2e.js ARGS` runs it alone)
'use strict';
const path = require('path');
const {openPage, screenshot, main} = require('./browser');

async function run(context, [base, runId, outDir]) {
  const out = {problems: [], seen: []};
  const page = await openPage(context, out.problems);
  await page.goto(base + '#/runs');
  await page.waitForSelector(`tr[data-key="${runId}"]`);
  // A mark on the window: a reload would clear it.
  await page.evaluate(() => { window.liveMark = 1; });
  const row = async () => page.$eval(`tr[data-key="${runId}"]`, (tr) => ({
    status: tr.querySelector('.badge').textContent,
    done: tr.children[5].textContent,
  }));
  out.seen.push(await row());
  await screenshot(page, path.join(outDir, 'runs-live.png'));
  // Watch for up to 120 s: the row must change while the run is running.
  // Each check of the row waits for the page to redraw it (its text to
  // differ from the last seen), not for a fixed time.
  const deadline = Date.now() + 120000;
  while (Date.now() < deadline) {
    const last = out.seen[out.seen.length - 1];
    const changed = await page.waitForFunction((key, s, d) => {
      const tr = document.querySelector(`tr[data-key="${key}"]`);
      return tr && (tr.querySelector('.badge').textContent !== s ||
          tr.children[5].textContent !== d);
    }, {timeout: Math.max(1, deadline - Date.now()), polling: 100}, runId, last.status, last.done)
        .then(() => true, (e) => (e.name === 'TimeoutError' ? false : null));
    if (changed === false) break;  // 120 s without a change
    if (changed === null) continue;  // the row was being redrawn: look again
    const now = await row().catch(() => null);
    if (!now) continue;
    if (now.status !== last.status || now.done !== last.done) out.seen.push(now);
    if (out.seen.length >= 3 || now.status !== 'running') break;
  }
  out.not_reloaded = await page.evaluate(() => window.liveMark === 1);
  await screenshot(page, path.join(outDir, 'runs-live-later.png'));
  return out;
}

module.exports = {run};
if (require.main === module) main(module.exports);
