// ctxbench view: the Runs, Grid, Episodes, Episode, Search and Compare pages.
'use strict';

function statusBadge(status) { return h('span', {class: 'badge status-' + status}, status); }
function runHref(run) { return `#/run/${enc(run)}`; }
function episodeHref(run, id, step) { return `#/run/${enc(run)}/episode/${enc(id)}` + (step ? qs({step}) : ''); }
function xrayHref(run, id, step) { return `#/run/${enc(run)}/episode/${enc(id)}/xray/${step}`; }

route(/^\/runs$/, async () => {
  window.currentRun = null;
  crumbs(['Runs']);
  const {runs} = await api('/api/runs');
  if (runs.some((r) => r.status === 'running') && !window.CTXBENCH_BUNDLE) {
    refreshTimer = setTimeout(navigate, 2000);  // a run in progress updates live
  }
  return [h('h1', {}, 'Runs'), table('Runs', [
    {key: 'id', label: 'Run', cell: (r) => h('a', {href: runHref(r.id)}, r.id)},
    {key: 'name', label: 'Name'},
    {key: 'status', label: 'Status', cell: (r) => [statusBadge(r.status), r.status_reason ? ' ' + r.status_reason : '']},
    {key: 'models', label: 'Models', value: (r) => (r.models || []).join(', ')},
    {key: 'policies', label: 'Policies', value: (r) => (r.policies || []).join(', ')},
    {key: 'done', label: 'Finished / planned', num: true, value: (r) => r.episodes ? r.episodes.complete + r.episodes.error : 0,
      cell: (r) => r.episodes ? `${r.episodes.complete + r.episodes.error} / ${r.planned}` : '–'},
    {key: 'errors', label: 'Errors', num: true, value: (r) => r.episodes ? r.episodes.error : null},
    {key: 'tokens', label: 'Tokens', num: true, cell: (r) => fmt.int(r.tokens)},
    {key: 'cost_usd', label: 'Cost', num: true, cell: (r) => fmt.usd(r.cost_usd)},
    {key: 'started_at', label: 'Started', cell: (r) => fmt.time(r.started_at)},
  ], runs, {rowKey: (r) => r.id})];
});

route(/^\/run\/([^/]+)$/, async ([run]) => {
  window.currentRun = run;
  crumbs(['Runs', '#/runs'], [run]);
  const [info, grid] = await Promise.all([api('/api/runs/' + enc(run)), api(`/api/runs/${enc(run)}/grid`)]);
  if (info.status === 'running' && !window.CTXBENCH_BUNDLE) refreshTimer = setTimeout(navigate, 3000);
  const cellHref = (c) => `#/run/${enc(run)}/episodes` + qs({task: c.task, policy: c.policy, mode: c.mode, model: c.model});
  return [
    h('h1', {}, 'Grid of ', info.name || run),
    h('p', {}, statusBadge(info.status), ` ${info.episodes.complete} complete, ${info.episodes.error} errors, ` +
        `${info.episodes.unfinished} unfinished of ${info.planned} planned · ${fmt.usd(info.cost_usd)} · `,
      h('a', {href: `#/run/${enc(run)}/episodes`}, 'all episodes'), ' · ',
      h('a', {href: `/files/${enc(run)}/report.html`}, 'report.html')),
    table('Grid cells (success rate with 95% Wilson interval over complete episodes)', [
      {key: 'task', label: 'Task', cell: (c) => h('a', {href: cellHref(c), class: 'cell-link'}, c.task)},
      {key: 'policy', label: 'Policy'}, {key: 'mode', label: 'Mode'}, {key: 'model', label: 'Model'},
      {key: 'complete', label: 'Complete', num: true},
      {key: 'success_rate', label: 'Success', num: true, cell: (c) => fmt.pct(c.success_rate)},
      {key: 'wilson_lo', label: '95% interval', num: true,
        cell: (c) => c.wilson_lo === null ? '–' : `${fmt.pct(c.wilson_lo)}–${fmt.pct(c.wilson_hi)}`},
      {key: 'mean_tokens', label: 'Mean tokens', num: true, cell: (c) => fmt.int(c.mean_tokens)},
      {key: 'mean_improvement_pct', label: 'Mean improvement %', num: true, cell: (c) => fmt.num(c.mean_improvement_pct, 2)},
      {key: 'cost_usd', label: 'Cost', num: true, cell: (c) => fmt.usd(c.cost_usd)},
      {key: 'errors', label: 'Errors', num: true, cell: (c) => h('span', {class: c.errors ? 'bad' : null}, c.errors)},
    ], grid.cells, {rowKey: (c) => [c.task, c.policy, c.mode, c.model].join('|')}),
  ];
});

route(/^\/run\/([^/]+)\/episodes$/, async ([run], params) => {
  window.currentRun = run;
  const filter = {task: params.task, policy: params.policy, mode: params.mode, model: params.model};
  const label = Object.values(filter).filter(Boolean).join(' · ') || 'all';
  crumbs(['Runs', '#/runs'], [run, runHref(run)], ['Episodes: ' + label]);
  const offset = Number(params.offset || 0);
  const list = await api(`/api/runs/${enc(run)}/episodes` + qs({...filter, limit: 1000, offset: offset || undefined}));
  const pager = list.total > list.episodes.length ? h('p', {}, `Rows ${offset + 1}–${offset + list.episodes.length} of ${list.total}. `,
      offset + 1000 < list.total ? h('a', {href: location.hash.split('?')[0] + qs({...filter, offset: offset + 1000})}, 'Next 1000') : '') : null;
  return [h('h1', {}, 'Episodes: ', label), pager, table('Episodes', [
    {key: 'episode_id', label: 'Episode', cell: (e) => h('a', {href: episodeHref(run, e.episode_id)}, e.episode_id)},
    {key: 'policy', label: 'Policy'}, {key: 'seed', label: 'Seed', num: true},
    {key: 'status', label: 'Status', cell: (e) => statusBadge(e.status)},
    {key: 'success', label: 'Success', value: (e) => (e.success === null ? null : e.success ? 'yes' : 'no')},
    {key: 'best_valid_metric', label: 'Best valid', num: true},
    {key: 'test_metric', label: 'Hidden test', num: true},
    {key: 'improvement_pct', label: 'Improvement %', num: true, cell: (e) => fmt.num(e.improvement_pct, 2)},
    {key: 'steps', label: 'Steps', num: true}, {key: 'tokens', label: 'Tokens', num: true, cell: (e) => fmt.int(e.tokens)},
    {key: 'cost_usd', label: 'Cost', num: true, cell: (e) => fmt.usd(e.cost_usd)},
    {key: 'stop_rule', label: 'Stop rule'}, {key: 'error', label: 'Error'},
  ], list.episodes, {rowKey: (e) => e.episode_id})];
});

// The unified diff of a workspace file edit (episode_page.h's `diff`).
const BEFORE_NOTE = {
  replayed: 'before: replayed from this episode\'s reads and edits',
  edit: 'the file was not read in full: only the edit\'s own lines',
  unknown: 'the file was not read in full: its new lines, all shown as added',
};
function diffView(d) {
  const pre = h('pre', {class: 'diff', 'aria-label': 'Diff of ' + d.path});
  for (const hunk of d.hunks) {
    pre.append(h('span', {class: 'dl-hunk'}, hunk.old_start || hunk.new_start ?
        `@@ -${hunk.old_start},${hunk.old_count} +${hunk.new_start},${hunk.new_count} @@\n` : '@@ @@\n'));
    for (const line of hunk.lines) {
      const cls = line[0] === '+' ? 'dl-add' : line[0] === '-' ? 'dl-del' : 'dl-ctx';
      pre.append(h('span', {class: cls}, line + '\n'));
    }
  }
  if (d.lines_left_out) pre.append(h('span', {class: 'dl-hunk'}, `… ${d.lines_left_out} more lines\n`));
  return h('figure', {class: 'file-diff', 'data-before': d.before, 'data-path': d.path},
      h('figcaption', {}, h('b', {}, d.path), ` ${d.tool}: +${d.added} −${d.removed} · ${BEFORE_NOTE[d.before] || d.before}`),
      d.hunks.length ? pre : h('p', {}, 'Restored the content before the latest edit (not in the record).'));
}

// One timeline entry: what happened, by event type.
function timelineItem(run, id, ev) {
  const d = ev.data || {};
  let body = [];
  if (ev.type === 'op.context') {
    body = [`context of ${fmt.int(d.tokens)} tokens (budget ${fmt.int(d.budget_tokens)}): ${d.kept ?? 0} kept, ` +
        `${d.masked ?? 0} masked, ${d.truncated ?? 0} truncated, ${d.dropped ?? 0} dropped ranges · `,
      h('a', {href: xrayHref(run, id, ev.step), class: 'xray-link'}, 'X-ray of step ' + ev.step)];
  } else if (ev.type === 'op.experiment') {
    body = [d.ok ? `trained ${JSON.stringify(d.config)} → valid ${fmt.num(d.valid_metric, 4)}` +
        (d.cached ? ' (cached)' : '') : `training failed: ${d.error}`];
  } else if (ev.type === 'op.llm') {
    body = [`${d.purpose || 'call'}: ${fmt.int(d.prompt_tokens)} prompt + ${fmt.int(d.completion_tokens)} completion tokens`,
      d.latency_s !== undefined ? `, ${fmt.num(d.latency_s, 2)} s` : ''];
  } else if (ev.type === 'op.clarification') {
    body = [`Q: ${d.question} — A: ${d.answer}`];
  } else if (ev.type === 'op.invalid_action') {
    body = [h('span', {class: 'bad'}, 'invalid action: ' + (d.reason || ''))];
  } else if (ev.type === 'op.final_answer') {
    body = [`final answer ${JSON.stringify(d.config ?? d)}`];
  } else if (ev.type === 'episode.end') {
    const o = d.outcome || {};
    body = [`${o.status} · stop rule ${o.stop_rule} · best valid ${fmt.num(o.best_valid_metric, 4)} · hidden test ${fmt.num(o.test_metric, 4)}`];
  } else if (!ev.content && Object.keys(d).length) {
    body = [h('code', {}, JSON.stringify(d).slice(0, 400))];
  }
  const calls = (ev.tool_calls || []).map((c) => h('div', {class: 'call'}, h('b', {}, c.name || c.function?.name || 'call'), ' ',
      h('code', {}, c.arguments ?? c.function?.arguments ?? '')));
  return h('li', {class: 'ev ev-' + ev.type.replace(/\W/g, '-'), id: 'seq-' + ev.seq, tabindex: '-1', 'data-step': ev.step},
      h('span', {class: 'seq'}, '#' + ev.seq), ' ', h('span', {class: 'type'}, ev.type),
      ev.role ? h('span', {class: 'role'}, ' ' + ev.role + (ev.name ? ' ' + ev.name : '')) : '', ' ', ...body,
      ev.content ? h('pre', {}, ev.content) : '', ...calls, ev.diff ? diffView(ev.diff) : '');
}

route(/^\/run\/([^/]+)\/episode\/([^/]+)$/, async ([run, id], params) => {
  window.currentRun = run;
  crumbs(['Runs', '#/runs'], [run, runHref(run)], [id]);
  const ep = await api(`/api/runs/${enc(run)}/episodes/${enc(id)}`);
  const e = ep.episode;
  const steps = h('ol', {class: 'timeline'});
  let group = null, step = -1;
  for (const ev of ep.timeline) {
    if (ev.step !== step || !group) {
      step = ev.step;
      group = h('ol', {class: 'events'});
      steps.append(h('li', {class: 'step', id: 'step-' + step, tabindex: '-1'},
          h('h3', {}, step ? h('a', {href: episodeHref(run, id, step)}, `Step ${step} (iteration ${ev.iteration})`) : 'Start'),
          group));
    }
    group.append(timelineItem(run, id, ev));
  }
  const siblings = (await api(`/api/runs/${enc(run)}/episodes` + qs({limit: 1000, mode: e.mode, model: e.model, task: e.task})))
      .episodes.filter((x) => x.seed === e.seed && x.episode_id !== id);
  const page = [
    h('h1', {}, id, ' ', statusBadge(e.status)),
    h('dl', {class: 'facts'},
      ...[['Task', e.task], ['Policy', e.policy], ['Model', e.model], ['Mode', e.mode], ['Seed', e.seed],
        ['Baseline', fmt.num(e.baseline_metric, 4)], ['Target', fmt.num(e.target_metric, 4)],
        ['Best valid', fmt.num(e.best_valid_metric, 4)], ['Final answer valid', e.final_answer_valid ? 'yes' : 'no'],
        ['Claimed', fmt.num(e.claimed_metric, 4)], ['Hidden test', fmt.num(e.test_metric, 4)],
        ['Success', e.success ? 'yes' : 'no'], ['Stop rule', e.stop_rule || '–'], ['Steps', e.steps],
        ['Tokens', fmt.int((e.prompt_tokens || 0) + (e.completion_tokens || 0))], ['Cost', fmt.usd(e.cost_usd)],
        ['Error', e.error || '–']].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '–')])),
    stepChart('Best validation ' + (e.metric || 'metric') + ' by iteration',
        [{label: id, points: ep.best_so_far.map((p) => ({x: p.iteration, y: p.value}))}], 'iteration'),
    siblings.length ? h('p', {}, 'Compare with the same task and seed under: ', ...siblings.map((s) =>
        h('a', {class: 'compare-link', href: `#/run/${enc(run)}/compare` + qs({a: id, b: s.episode_id, iteration: 1})}, s.policy + ' '))) : null,
    h('h2', {}, 'Timeline'), steps,
    h('p', {}, h('a', {href: `/files/${enc(run)}/traces/${enc(id)}.jsonl`}, 'raw trace (JSONL)')),
  ];
  setTimeout(() => {
    setKeyItems([...steps.children]);
    if (params.step) selectItem([...steps.children].findIndex((li) => li.id === 'step-' + params.step));
  });
  return page;
});

route(/^\/run\/([^/]+)\/search$/, async ([run], params) => {
  window.currentRun = run;
  crumbs(['Runs', '#/runs'], [run, runHref(run)], ['Search']);
  document.getElementById('search-q').value = params.q || '';
  const offset = Number(params.offset || 0);
  const res = await api(`/api/runs/${enc(run)}/search` + qs({q: params.q, offset: offset || undefined}));
  const next = res.more ? h('a', {href: `#/run/${enc(run)}/search` + qs({q: params.q, offset: offset + res.limit})}, 'More results') : null;
  return [h('h1', {}, `Events containing “${params.q}”`), table('Search results', [
    {key: 'episode_id', label: 'Episode', cell: (x) => h('a', {href: episodeHref(run, x.episode_id, x.step)}, x.episode_id)},
    {key: 'seq', label: 'Seq', num: true}, {key: 'type', label: 'Event'}, {key: 'step', label: 'Step', num: true},
    {key: 'snippet', label: 'Text', cell: (x) => h('code', {}, x.snippet)},
  ], res.hits), next];
});
