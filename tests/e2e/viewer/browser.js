// The viewer e2e scripts' one way to reach Debian's headless chromium
// (CHROMIUM overrides the path) and open a 1280x900 page that records page
// errors and HTTP errors (status >= 400) in `problems`.
//
// When CHROMIUM_WS names a running browser (browser_server.js, started once
// by test_viewer.py for all its scripts), a script connects to it and works
// in a browser context of its own (its own cookies, storage and cache, as a
// fresh profile), instead of launching chromium again.
'use strict';
const puppeteer = require('puppeteer-core');

function launchBrowser() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// Returns {context, close}: `context` opens pages (openPage), `close()` ends
// what this script started: the whole browser it launched, or only its own
// context when it connected to a shared one.
async function openBrowser() {
  if (process.env.CHROMIUM_WS) {
    const browser = await puppeteer.connect({browserWSEndpoint: process.env.CHROMIUM_WS});
    const context = await browser.createBrowserContext();
    return {context, close: async () => {
      await context.close();
      await browser.disconnect();
    }};
  }
  const browser = await launchBrowser();
  return {context: browser.defaultBrowserContext(), close: () => browser.close()};
}

async function openPage(context, problems) {
  const page = await context.newPage();
  await page.setViewport({width: 1280, height: 900});
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(r.status() + ': ' + r.url()); });
  return page;
}

module.exports = {launchBrowser, openBrowser, openPage};
