// ctxbench view: the Context X-ray of one model call, and Compare.
'use strict';

const FATES = ['head', 'kept', 'masked', 'truncated', 'summary', 'retrieved', 'state'];
function fateClass(f) { return 'fate-' + (FATES.includes(f) ? f : 'section'); }

// The stacked bar of tokens per section against the budget.
function tokenBar(x) {
  const scale = Math.max(x.budget_tokens, x.total_tokens, 1);
  const bar = h('div', {class: 'tokenbar', role: 'img',
    'aria-label': `${x.total_tokens} of ${x.budget_tokens} budget tokens: ` +
        x.sections.map((s) => `${s.name} ${s.tokens}`).join(', ')});
  const legend = h('ul', {class: 'legend'});
  for (const s of x.sections) {
    if (!s.tokens) continue;
    bar.append(h('span', {class: 'seg sec-' + s.name.replace(/\W/g, '-'), 'data-section': s.name,
      'data-tokens': s.tokens, style: `width:${(100 * s.tokens / scale).toFixed(3)}%`, title: `${s.name}: ${s.tokens}`}));
    legend.append(h('li', {}, h('span', {class: 'swatch sec-' + s.name.replace(/\W/g, '-')}), `${s.name} ${fmt.int(s.tokens)}`));
  }
  if (x.budget_tokens) bar.append(h('span', {class: 'budget', style: `left:${(100 * x.budget_tokens / scale).toFixed(3)}%`}));
  return h('section', {'aria-labelledby': 'bar-h'}, h('h2', {id: 'bar-h'},
      `Tokens: ${fmt.int(x.total_tokens)} of ${fmt.int(x.budget_tokens)} budget`, x.estimated ? ' (estimated count)' : ''),
  bar, legend);
}

// The whole log before this call, one square per event, coloured by what became of it.
function eventStrip(x) {
  const strip = h('ol', {class: 'strip', 'aria-label': 'Event log before this call'});
  for (const e of x.strip) {
    strip.append(h('li', {class: 'st-' + e.state, 'data-seq': e.seq, 'data-state': e.state,
      title: `#${e.seq} ${e.type} (step ${e.step}): ${e.state}` + (e.bm25 !== undefined ? ` bm25 ${fmt.num(e.bm25, 2)}` : '')}));
  }
  const counts = {};
  x.strip.forEach((e) => { counts[e.state] = (counts[e.state] || 0) + 1; });
  return h('section', {'aria-labelledby': 'strip-h'}, h('h2', {id: 'strip-h'}, `Event log: ${x.strip.length} events before this call`),
      strip, h('ul', {class: 'legend'}, Object.entries(counts).map(([s, n]) =>
          h('li', {}, h('span', {class: 'swatch st-' + s}), `${s} ${n}`))));
}

function messageList(x, opts = {}) {
  const list = h('ol', {class: 'messages'});
  for (const m of x.messages) {
    const calls = (m.tool_calls || []).map((c) => h('div', {class: 'call'}, h('b', {}, c.name || 'call'), ' ',
        h('code', {class: 'arguments'}, c.arguments ?? '')));
    list.append(h('li', {class: 'msg ' + fateClass(m.fate) + (m.only_here ? ' only-here' : ''), tabindex: '-1',
      'data-fate': m.fate, 'data-role': m.role, 'data-seq': m.seq ?? null, 'data-section': m.section ?? null},
    h('div', {class: 'mhead'}, h('span', {class: 'badge ' + fateClass(m.fate)}, m.fate), ' ',
      h('span', {class: 'role'}, m.role + (m.name ? ' ' + m.name : '')),
      m.seq !== undefined ? h('span', {class: 'seq'}, ' event #' + m.seq) : '',
      m.bm25 !== undefined ? h('span', {}, ' bm25 ' + fmt.num(m.bm25, 2)) : '',
      m.only_here ? h('strong', {class: 'only'}, opts.onlyLabel || ' only here') : ''),
    m.content || !calls.length ? h('pre', {class: 'content'}, m.content) : '', ...calls));
  }
  return list;
}

route(/^\/run\/([^/]+)\/episode\/([^/]+)\/xray\/(\d+)$/, async ([run, id, stepText]) => {
  window.currentRun = run;
  const step = Number(stepText);
  crumbs(['Runs', '#/runs'], [run, runHref(run)], [id, episodeHref(run, id, step)], ['X-ray step ' + step]);
  const x = await api(`/api/runs/${enc(run)}/episodes/${enc(id)}/xray/${step}`);
  const i = x.steps.indexOf(step);
  const nav = h('nav', {class: 'stepnav', 'aria-label': 'Steps'},
      i > 0 ? h('a', {href: xrayHref(run, id, x.steps[i - 1]), rel: 'prev'}, '← step ' + x.steps[i - 1]) : '',
      ` step ${step} of ${x.steps.length} (iteration ${x.iteration}) `,
      i + 1 < x.steps.length ? h('a', {href: xrayHref(run, id, x.steps[i + 1]), rel: 'next'}, 'step ' + x.steps[i + 1] + ' →') : '');
  const llm = x.llm ? h('section', {'aria-labelledby': 'llm-h', class: 'llm'}, h('h2', {id: 'llm-h'}, 'The model call'),
      h('p', {}, `${fmt.int(x.llm.prompt_tokens)} prompt tokens` +
        (x.llm.estimated_tokens ? ` (harness count ${fmt.int(x.llm.estimated_tokens)})` : '') + ', ' +
        `${fmt.int(x.llm.completion_tokens)} completion tokens, ${fmt.usd(x.llm.cost_usd)}`),
      x.llm.reply ? messageList({messages: [{fate: 'reply', role: 'assistant', content: x.llm.reply.content,
        tool_calls: x.llm.reply.tool_calls}]}) : '') : h('p', {}, 'No model call follows this context (the episode ended).');
  const messages = messageList(x);
  setTimeout(() => setKeyItems([...messages.children]));
  return [h('h1', {}, `Context X-ray: ${id}, step ${step}`), nav,
    h('p', {}, `Policy ${x.policy}: the ${x.messages.length} messages the model saw, rebuilt from the manifest and the log. ` +
      'Keys h/l: previous/next step.'),
    tokenBar(x), eventStrip(x),
    h('section', {'aria-labelledby': 'msg-h'}, h('h2', {id: 'msg-h'}, `Messages (${x.messages.length})`), messages), llm];
});

document.addEventListener('keydown', (ev) => {
  if (ev.target.closest('input, textarea, select') || !/\/xray\//.test(location.hash)) return;
  const rel = ev.key === 'h' ? 'prev' : ev.key === 'l' ? 'next' : null;
  const link = rel && document.querySelector(`.stepnav a[rel=${rel}]`);
  if (link) location.href = link.href;
});

route(/^\/run\/([^/]+)\/compare$/, async ([run], params) => {
  window.currentRun = run;
  crumbs(['Runs', '#/runs'], [run, runHref(run)], ['Compare']);
  const iteration = Number(params.iteration || 1);
  const c = await api(`/api/runs/${enc(run)}/compare` + qs({a: params.a, b: params.b, iteration}));
  const maxIter = Math.max(...[c.a, c.b].map((x) => Math.max(0, ...x.best_so_far.map((p) => p.iteration))), iteration);
  const form = h('form', {class: 'compare-form', onsubmit: (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    location.hash = `#/run/${enc(run)}/compare` + qs({a: f.get('a'), b: f.get('b'), iteration: f.get('iteration')});
  }},
  h('label', {}, 'A ', h('input', {name: 'a', value: params.a, size: 40})),
  h('label', {}, 'B ', h('input', {name: 'b', value: params.b, size: 40})),
  h('label', {}, 'Iteration ', h('input', {name: 'iteration', type: 'number', min: 1, max: maxIter + 5, value: iteration})),
  h('button', {type: 'submit'}, 'Compare'));
  const side = (x, label) => h('section', {class: 'side', 'aria-label': label},
      h('h2', {}, h('a', {href: xrayHref(run, x.episode_id, x.step)}, `${label}: ${x.episode_id}`)),
      h('p', {}, `step ${x.step}, ${fmt.int(x.total_tokens)} of ${fmt.int(x.budget_tokens)} tokens, ` +
        `${x.messages.filter((m) => m.only_here).length} messages the other context lacks`),
      tokenBar(x), messageList(x, {onlyLabel: ' only in ' + label}));
  return [h('h1', {}, `Compare at iteration ${iteration}`), form,
    stepChart('Best validation metric by iteration', [
      {label: 'A ' + c.a.episode_id, cls: 'a', points: c.a.best_so_far.map((p) => ({x: p.iteration, y: p.value}))},
      {label: 'B ' + c.b.episode_id, cls: 'b', points: c.b.best_so_far.map((p) => ({x: p.iteration, y: p.value}))}], 'iteration'),
    h('p', {id: 'diff-summary'}, `${c.only_a} messages only in A, ${c.only_b} only in B.`),
    h('div', {class: 'compare'}, side(c.a, 'A'), side(c.b, 'B'))];
});
