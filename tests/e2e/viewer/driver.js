// One node process and one headless chromium for all of test_viewer.py's
// browser checks (viewer_e2e.js, live_e2e.js, new_run_e2e.js), instead of a
// node start and a browser connection per check.
//
// Usage: node driver.js
//   prints {"ready": true} once chromium is up, then reads JSON lines on stdin:
//     {"id": N, "check": "viewer_e2e", "args": [...]}  starts a check in a
//         browser context of its own (checks may run at the same time);
//     {"id": N, "answer": "text"}  the next answer to check N (io.next()).
//   and writes JSON lines on stdout:
//     {"id": N, "say": obj}      a message of check N (io.say());
//     {"id": N, "result": obj}   check N is done;
//     {"id": N, "error": text}   check N failed.
//   The end of stdin (the test is done, or died) closes chromium and exits.
'use strict';
const path = require('path');
const readline = require('readline');
const {launchBrowser, runInContext} = require('./browser');

const CHECKS = ['viewer_e2e', 'live_e2e', 'new_run_e2e'];
const send = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

// Answers the test sent before the check asked for them wait here.
class Inbox {
  constructor() { this.items = []; this.waiters = []; }
  put(text) {
    const waiter = this.waiters.shift();
    if (waiter) waiter(text); else this.items.push(text);
  }
  next() {
    if (this.items.length) return Promise.resolve(this.items.shift());
    if (this.closed) return Promise.resolve('');
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  // No more answers will come: a waiting check gets '' (and fails).
  close() {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter('');
  }
}

(async () => {
  const browser = await launchBrowser();
  const inboxes = new Map();
  const running = new Set();
  const start = (id, name, args) => {
    const inbox = new Inbox();
    inboxes.set(id, inbox);
    const io = {say: (obj) => send({id, say: obj}), next: () => inbox.next()};
    const task = (async () => {
      if (!CHECKS.includes(name)) throw new Error('no check named ' + name);
      return runInContext(browser, require(path.join(__dirname, name)), args, io);
    })().then((result) => send({id, result}),
        (e) => send({id, error: e.stack || String(e)}))
        .finally(() => { inboxes.delete(id); running.delete(task); });
    running.add(task);
  };
  const lines = readline.createInterface({input: process.stdin});
  lines.on('line', (line) => {
    if (!line.trim()) return;
    const msg = JSON.parse(line);
    if (msg.check !== undefined) start(msg.id, msg.check, msg.args || []);
    else if (inboxes.has(msg.id)) inboxes.get(msg.id).put(String(msg.answer));
  });
  lines.on('close', async () => {
    for (const inbox of inboxes.values()) inbox.close();
    await Promise.allSettled([...running]);
    await browser.close();
    process.exit(0);
  });
  send({ready: true});
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
