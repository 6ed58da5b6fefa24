// The viewer e2e scripts' one way to reach Debian's headless chromium
// (CHROMIUM overrides the path), open a 1280x900 page that records page
// errors and HTTP errors (status >= 400) in `problems`, and run a check.
//
// A check is a module exporting `run(context, args, io)`: it works in the
// browser context `context` (its own cookies, storage and cache, as a fresh
// profile), takes its command-line words `args`, may talk with the test
// through `io` (`io.say(obj)` sends a message; `await io.next()` is the test's
// next answer, a string) and returns what it saw (JSON). test_viewer.py runs
// every check in one node process and one chromium (driver.js); `main()`
// runs one from the command line, with a chromium of its own.
'use strict';
const readline = require('readline');
const puppeteer = require('puppeteer-core');

// Headless chromium still builds each window's omnibox popups (WebUI pages
// of their own); they kept it busy for seconds after every new window (a
// browser context's first page), which nothing here looks at. Nor does
// anything need the spare renderer it starts ahead of the next navigation
// (a renderer process per browser context, most never used). Puppeteer
// merges these with its own --disable-features list.
const NO_IDLE_WORK = '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,' +
    'WebUIOmniboxFullPopup,SpareRendererForSitePerProcess';

function launchBrowser() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', NO_IDLE_WORK],
  });
}

async function openPage(context, problems) {
  const page = await context.newPage();
  await page.setViewport({width: 1280, height: 900});
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(r.status() + ': ' + r.url()); });
  return page;
}

// A PNG of the window (of the whole page with CTXBENCH_VIEWER_FULL_SHOTS=1:
// pages thousands of pixels tall, slow to take). Nothing checks them; they
// are there to look at, so they are encoded for speed, not size.
function screenshot(page, file) {
  return page.screenshot({path: file, optimizeForSpeed: true,
    fullPage: process.env.CTXBENCH_VIEWER_FULL_SHOTS === '1'});
}

// Runs `check` in a fresh browser context of `browser` and closes the
// context after, whatever happened. Returns (or throws) what the check does.
async function runInContext(browser, check, args, io) {
  const context = await browser.createBrowserContext();
  try {
    return await check.run(context, args, io);
  } finally {
    await context.close();
  }
}

// Command-line use: `node CHECK.js ARGS...` launches chromium, runs the check
// with the process's arguments, its messages and result as JSON lines on
// stdout and its answers from stdin lines, and exits 0, or 1 with the error
// on stderr.
function main(check) {
  (async () => {
    const lines = readline.createInterface({input: process.stdin})[Symbol.asyncIterator]();
    const io = {
      say: (obj) => console.log(JSON.stringify(obj)),
      next: async () => ((await lines.next()).value || '').trim(),
    };
    const browser = await launchBrowser();
    let out;
    try {
      out = await runInContext(browser, check, process.argv.slice(2), io);
    } finally {
      await browser.close();
    }
    console.log(JSON.stringify(out));
    process.exit(0);
  })().catch((e) => {
    console.error(e.stack || String(e));
    process.exit(1);
  });
}

module.exports = {launchBrowser, openPage, screenshot, runInContext, main};
