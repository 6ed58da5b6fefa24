// One headless chromium for several viewer e2e scripts (browser.js connects
// to it when CHROMIUM_WS is set): launches it as browser.js would, prints
// {"ws": endpoint} on one line, and closes it when stdin ends (the test is
// done, or died).
//
// Usage: node browser_server.js
'use strict';
const {launchBrowser} = require('./browser');

(async () => {
  const browser = await launchBrowser();
  console.log(JSON.stringify({ws: browser.wsEndpoint()}));
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await browser.close();
    process.exit(0);
  });
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
