// Drives `ctxbench view` (or its static bundle) in Debian's headless
// chromium with puppeteer-core and returns what the pages showed;
// test_viewer.py checks it.
//
// Args: BASE_URL RUN_ID EPISODE_A EPISODE_B STEP OUT_DIR [BUNDLE_INDEX]
//   (`node viewer_e2e.js ARGS` runs it alone)
'use strict';
const path = require('path');
const {openPage, screenshot, main} = require('./browser');

async function xrayOf(page) {
  return page.evaluate(() => ({
    messages: [...document.querySelectorAll('section[aria-labelledby=msg-h] li.msg')].map((li) => ({
      role: li.dataset.role, fate: li.dataset.fate, seq: li.dataset.seq ?? null,
      content: li.querySelector('pre.content')?.textContent ?? '',
      arguments: [...li.querySelectorAll('code.arguments')].map((c) => c.textContent),
    })),
    segments: [...document.querySelectorAll('.tokenbar .seg')].map((s) => ({
      section: s.dataset.section, tokens: Number(s.dataset.tokens)})),
    barTitle: document.getElementById('bar-h').textContent,
    strip: [...document.querySelectorAll('ol.strip li')].map((li) => ({
      seq: Number(li.dataset.seq), state: li.dataset.state})),
  }));
}

async function run(context, [base, runId, epA, epB, stepText, outDir, bundleIndex]) {
  const step = Number(stepText);
  const out = {problems: [], timings: {}};
  const shot = (page, name) => screenshot(page, path.join(outDir, name + '.png'));
  const timed = async (name, fn) => {
    const t = Date.now();
    const r = await fn();
    out.timings[name] = Date.now() - t;
    return r;
  };
  const page = await openPage(context, out.problems);
  page.on('console', (m) => { if (m.type() === 'error') out.problems.push('console: ' + m.text()); });
  page.on('requestfailed', (r) => out.problems.push('failed: ' + r.url()));

  if (bundleIndex) {
    // The static bundle, from disk: the X-ray of the same step.
    await page.goto(`file://${bundleIndex}#/run/${runId}/episode/${epA}/xray/${step}`);
    await page.waitForSelector('li.msg');
    out.bundle_xray = await xrayOf(page);
    await shot(page, 'bundle-xray');
    // Search from the box, answered from the bundled events.
    await page.type('#search-q', 'max_depth');
    await page.keyboard.press('Enter');
    await page.waitForSelector('main tbody tr');
    out.bundle_search = await page.$$eval('main tbody tr', (rows) => rows.map((r) =>
      [...r.children].slice(0, 2).map((td) => td.textContent).join('#')));
    out.bundle_search_more = await page.$$eval('main a', (links) =>
      links.some((a) => a.textContent === 'More results'));
    await shot(page, 'bundle-search');
    // Compare, answered from the two episodes' bundled X-rays.
    await page.goto(`file://${bundleIndex}#/run/${runId}/compare?a=${epA}&b=${epB}&iteration=${step}`);
    await page.waitForSelector('#diff-summary');
    out.bundle_compare = await page.evaluate(() => ({
      summary: document.getElementById('diff-summary').textContent,
      only: [...document.querySelectorAll('.compare .side')].map((s) =>
        [...s.querySelectorAll('li.msg.only-here')].map((li) => li.querySelector('pre.content')?.textContent ?? '')),
    }));
    await shot(page, 'bundle-compare');
    return out;
  }

  // Runs -> Grid.
  await timed('runs_ms', async () => {
    await page.goto(base + '#/runs');
    await page.waitForSelector(`a[href="#/run/${runId}"]`);
  });
  out.runs_rows = await page.$$eval('main tbody tr', (rows) => rows.length);
  await shot(page, 'runs');
  await timed('grid_ms', async () => {
    await page.click(`a[href="#/run/${runId}"]`);
    await page.waitForSelector('a.cell-link');
  });
  out.grid_rows = await page.$$eval('main tbody tr', (rows) => rows.map((r) => r.textContent));
  await shot(page, 'grid');
  // Sort by a column and filter: the table reorders and narrows.
  await page.click('th[data-key=policy] button');
  out.sorted = await page.$eval('th[data-key=policy]', (th) => th.getAttribute('aria-sort'));
  await page.type('main input[type=search]', 'window');
  out.filtered_rows = await page.$$eval('main tbody tr', (rows) => rows.length);

  // Grid cell -> its episodes -> the episode.
  const policyA = epA.split('.')[1];
  await page.$eval('main input[type=search]', (input) => {
    input.value = '';
    input.dispatchEvent(new Event('input'));
  });
  const cell = await page.$$eval('a.cell-link', (links, p) =>
    links.map((a) => a.getAttribute('href')).find((h) => h.includes('policy=' + p)), policyA);
  await page.click(`a.cell-link[href="${cell}"]`);
  await page.waitForSelector(`a[href="#/run/${runId}/episode/${epA}"]`);
  out.episode_rows = await page.$$eval('main tbody tr', (rows) => rows.length);
  await shot(page, 'episodes');
  await page.click(`a[href="#/run/${runId}/episode/${epA}"]`);
  await page.waitForSelector('a.xray-link');
  await shot(page, 'episode');
  // j/k move between steps.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('j');
  out.selected_after_jjkj = await page.$eval('li.step.selected', (li) => li.id);

  // Episode -> X-ray of the step.
  await timed('xray_ms', async () => {
    await page.click(`a.xray-link[href$="/xray/${step}"]`);
    await page.waitForSelector('li.msg');
  });
  out.xray_url = page.url();
  out.xray = await xrayOf(page);
  await shot(page, 'xray');
  await page.keyboard.press('l');
  await page.waitForFunction((s) => location.hash.endsWith('/xray/' + s), {}, step + 1);
  out.after_l = await page.evaluate(() => location.hash);

  // Deep link straight to the X-ray, on a narrow window.
  await page.setViewport({width: 480, height: 900});
  await page.goto(base + `#/run/${runId}/episode/${epA}/xray/${step}`);
  await page.reload();
  await page.waitForSelector('li.msg');
  out.narrow_overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await shot(page, 'xray-narrow');
  await page.setViewport({width: 1280, height: 900});

  // Compare the two episodes.
  await page.goto(base + `#/run/${runId}/compare?a=${epA}&b=${epB}&iteration=${step}`);
  await page.waitForSelector('#diff-summary');
  out.compare = await page.evaluate(() => {
    const sides = [...document.querySelectorAll('.compare .side')];
    return {
      summary: document.getElementById('diff-summary').textContent,
      only: sides.map((s) => [...s.querySelectorAll('li.msg.only-here')].map((li) => li.querySelector('pre.content')?.textContent ?? '')),
      messages: sides.map((s) => s.querySelectorAll('li.msg').length),
      curves: document.querySelectorAll('svg.chart path.series').length,
    };
  });
  await shot(page, 'compare');

  // The window episode's X-ray, top of the page: docs/img/viewer-xray.png.
  await page.goto(base + `#/run/${runId}/episode/${epB}/xray/${step + 1}`);
  await page.waitForSelector('li.msg');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({path: path.join(outDir, 'xray-top.png')});

  // Search from the box.
  await page.type('#search-q', 'train');
  await page.keyboard.press('Enter');
  await page.waitForSelector('main tbody tr');
  out.search_rows = await page.$$eval('main tbody tr', (rows) => rows.length);
  await shot(page, 'search');
  return out;
}

module.exports = {run};
if (require.main === module) main(module.exports);
