// The Schedules page: backup schedules and how each stands (read again every few seconds while shown: schedules have
// no event stream); create, pause, resume and delete.
import { api } from './api.js';
import { h, field, localTime, showProblem } from './dom.js';
import { parseTables, fillPolicies } from './jobs.js';

const REFRESH_MS = 2000;

function outcomeCell(s) {
  if (!s.lastLabel) return h('td', { class: 'muted' }, 'no run yet');
  const outcome = s.lastOutcome || 'RUNNING';
  return h('td', {}, h('div', { class: 'mono' }, s.lastLabel),
    h('span', { class: `state state-${outcome} outcome`, title: s.lastMessage || '' }, outcome),
    s.lastOutcome === 'FAILED' && s.lastMessage ? h('div', { class: 'error' }, s.lastMessage) : null);
}

function stateOf(s) {
  return h('td', { class: 'schedule-state' },
    s.paused ? h('span', { class: 'state state-paused' }, 'paused') : h('span', { class: 'state state-FINISHED' },
      'active'),
    s.alarm ? h('span', { class: 'badge alarm', title: `${s.consecutiveFailures} failures in a row` }, 'ALARM') : null);
}

function scheduleRow(s, act) {
  const pause = h('button', { class: `secondary ${s.paused ? 'resume' : 'pause'}-schedule` },
    s.paused ? 'Resume' : 'Pause');
  pause.addEventListener('click', () => act(() => api.pauseSchedule(s.name, !s.paused)));
  const remove = h('button', { class: 'danger delete-schedule' }, 'Delete');
  remove.addEventListener('click', () => {
    if (window.confirm(`Delete schedule ${s.name}? Its snapshots stay.`)) act(() => api.deleteSchedule(s.name));
  });
  const policy = s.retentionPolicy ? ` · policy ${s.retentionPolicy}` : '';
  return h('tr', { id: `schedule-${s.name}`, 'data-schedule': s.name, 'data-paused': String(s.paused),
    'data-runs': s.runs, 'data-outcome': s.lastOutcome || '', 'data-alarm': String(s.alarm) },
  h('td', {}, s.name), h('td', {}, s.db), h('td', { class: 'mono' }, s.tables.map((t) => h('div', {}, t))),
  h('td', {}, s.repository, h('div', { class: 'muted' },
    `${s.fullEvery ? `full every ${s.fullEvery} runs` : 'full: the first run only'}${policy}`)),
  h('td', { class: 'mono' }, s.cron),
  h('td', { class: 'mono next-run' }, s.paused ? '' : localTime(s.nextRunMs)),
  h('td', { class: 'num' }, s.runs), outcomeCell(s),
  h('td', { class: 'num failures' }, `${s.consecutiveFailures} / ${s.alarmAfterFailures}`),
  stateOf(s), h('td', {}, pause, ' ', remove));
}

function select(id, values) {
  return h('select', { id }, values.map(([value, text]) => h('option', { value }, text)));
}

function createForm(databases, repositories, policies, slot, reload) {
  const name = h('input', { id: 'schedule-name', required: true, placeholder: 'nightly' });
  const db = select('schedule-db', databases.map((d) => [d.name, d.name]));
  const tables = h('textarea', { id: 'schedule-tables', placeholder: 'orders\ncustomers: p2026, p2027' });
  const repo = select('schedule-repository', repositories.map((r) => [r.name, r.name]));
  const cron = h('input', { id: 'schedule-cron', required: true,
    placeholder: '0 2 * * *   (UTC; 6 fields: seconds first)' });
  const fullEvery = h('input', { id: 'schedule-full-every', type: 'number', min: 0, placeholder: '0: only the first' });
  const policy = h('select', { id: 'schedule-policy' });
  fillPolicies(policy, policies, repo.value);
  repo.addEventListener('change', () => fillPolicies(policy, policies, repo.value));
  const onPrevious = select('schedule-on-previous', [['WAIT', 'WAIT: start once it ended'], ['SKIP', 'SKIP this run']]);
  const onFailure = select('schedule-on-failure', [['RESCHEDULE', 'RESCHEDULE: the next cron time'],
    ['RETRY', 'RETRY a minute later'], ['PAUSE', 'PAUSE the schedule']]);
  const alarmAfter = h('input', { id: 'schedule-alarm-after', type: 'number', min: 1, placeholder: '5' });
  const submit = h('button', { type: 'submit', id: 'schedule-create' }, 'Create schedule');
  const form = h('form', { class: 'inline', id: 'schedule-form' }, field('Name', name), field('Database', db),
    field('Tables (one a line, "table: p1, p2" for some partitions)', tables), field('Repository', repo),
    field('Cron', cron), field('Full backup every (runs)', fullEvery), field('Retention policy', policy),
    field('On previous running', onPrevious), field('On failure', onFailure),
    field('Alarm after (failures in a row)', alarmAfter), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      await api.createSchedule({ name: name.value.trim(), db: db.value, repository: repo.value,
        tables: parseTables(tables.value).map((t) => (t.partitions ? `${t.name}:${t.partitions.join(',')}` : t.name)),
        cron: cron.value.trim(), fullEvery: fullEvery.value ? Number(fullEvery.value) : null,
        retentionPolicy: policy.value || null, onPreviousRunning: onPrevious.value, onExecutionFailure: onFailure.value,
        alarmAfterFailures: alarmAfter.value ? Number(alarmAfter.value) : null });
      slot.replaceChildren();
      await reload();
    } catch (err) {
      showProblem(slot, err);
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', {}, h('h2', {}, 'Create a backup schedule'),
    h('p', { class: 'muted' }, 'Each run is labelled <name>_<yyyyMMdd_HHmmss> (the scheduled time, UTC).'), form, slot);
}

export async function schedulesPage(view) {
  const [schedules, databases, repositories, policies] = await Promise.all([api.schedules(), api.databases(),
    api.repositories(), api.policies()]);
  const slot = h('div', { id: 'schedules-problem' });
  const body = h('tbody', {});
  const status = h('span', { class: 'muted', id: 'schedules-refreshed' });
  let shown = null;
  let timer = null;
  let stopped = false;
  // Redraws only when something changed, so a button is not replaced under the pointer for nothing.
  const show = (list) => {
    const json = JSON.stringify(list);
    if (json !== shown) {
      shown = json;
      body.replaceChildren(...(list.length ? list.map((s) => scheduleRow(s, act))
        : [h('tr', {}, h('td', { colspan: 11, class: 'muted' }, 'No schedule yet.'))]));
    }
    status.textContent = `read ${new Date().toLocaleTimeString()}, again every ${REFRESH_MS / 1000} s`;
  };
  async function reload() {
    clearTimeout(timer);
    try {
      show(await api.schedules());
    } catch (err) {
      showProblem(slot, err);
    }
    if (!stopped) timer = setTimeout(reload, REFRESH_MS);
  }
  async function act(action) {
    try {
      await action();
      slot.replaceChildren();
    } catch (err) {
      showProblem(slot, err);
    }
    await reload();
  }
  show(schedules);
  timer = setTimeout(reload, REFRESH_MS);
  const formSlot = h('div', { id: 'schedule-problem' });
  view.replaceChildren(h('h1', {}, 'Backup schedules'),
    h('section', {}, h('div', { class: 'toolbar' }, status), slot, h('table', { id: 'schedules-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Database', 'Tables', 'Repository', 'Cron (UTC)', 'Next run (local time)',
        'Runs', 'Last backup', 'Failures in a row', 'State', ''].map((c) => h('th', {}, c)))), body)),
    createForm(databases, repositories, policies, formSlot, reload));
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
