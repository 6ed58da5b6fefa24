// The viewer e2e scripts' one way to start Debian's headless chromium
// (CHROMIUM overrides the path) and open a 1280x900 page that records page
// errors and HTTP errors (status >= 400) in `problems`.
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

async function openPage(browser, problems) {
  const page = await browser.newPage();
  await page.setViewport({width: 1280, height: 900});
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(r.status() + ': ' + r.url()); });
  return page;
}

module.exports = {launchBrowser, openPage};
