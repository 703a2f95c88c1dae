// The Jobs page: a database's backup and restore jobs, newest first, live while they run; start (full or incremental,
// under a retention policy) and cancel backups.
import { api } from './api.js';
import { h, field, showProblem } from './dom.js';
import { JobRow, headerRow } from './jobrows.js';

/** "orders" or "orders: p1, p2", one table a line, as CreateBackupRequest's tables. */
export function parseTables(text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const [name, partitions] = line.split(':');
    const names = (partitions || '').split(',').map((p) => p.trim()).filter(Boolean);
    return { name: name.trim(), partitions: names.length ? names : null };
  });
}

/** Fills a policy select with the policies of one repository, after a "none" choice. */
export function fillPolicies(select, policies, repository) {
  select.replaceChildren(h('option', { value: '' }, '(none)'),
    ...policies.filter((p) => p.repository === repository).map((p) => h('option', { value: p.name }, p.name)));
}

function backupForm(db, repositories, policies, onStarted) {
  const slot = h('div', { id: 'backup-problem' });
  const label = h('input', { id: 'backup-label', required: true, placeholder: 'nightly' });
  const repo = h('select', { id: 'backup-repository' },
    repositories.map((r) => h('option', { value: r.name }, r.name)),
    h('option', { value: '__keep_on_local__' }, '__keep_on_local__ (local snapshot)'));
  const tables = h('textarea', { id: 'backup-tables', placeholder: 'orders\ncustomers: p2026, p2027' });
  const timeout = h('input', { id: 'backup-timeout', type: 'number', min: 600, placeholder: 'default: 1 day' });
  const full = h('input', { id: 'backup-full', type: 'checkbox' });
  const policy = h('select', { id: 'backup-policy' });
  fillPolicies(policy, policies, repo.value);
  repo.addEventListener('change', () => fillPolicies(policy, policies, repo.value));
  const submit = h('button', { type: 'submit', id: 'backup-start' }, 'Start backup');
  const form = h('form', { class: 'inline', id: 'backup-form' },
    field('Label', label), field('Repository', repo),
    field('Tables (one a line, "table: p1, p2" for some partitions)', tables),
    field('Timeout (seconds)', timeout),
    h('label', { for: 'backup-full' }, 'Full backup'),
    h('span', {}, full, h('span', { class: 'muted' }, ' every file, not only what changed since the last backup')),
    field('Retention policy', policy), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const job = await api.createBackup(db, { label: label.value.trim(), repository: repo.value,
        tables: parseTables(tables.value), timeoutSeconds: timeout.value ? Number(timeout.value) : null,
        type: full.checked ? 'full' : null, retentionPolicy: policy.value || null });
      slot.replaceChildren();
      onStarted(job);
    } catch (err) {
      showProblem(slot, err);
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', {}, h('h2', {}, `Start a backup of ${db}`), form, slot);
}

function jobTable(kind, jobs, rows, slot) {
  const body = h('tbody', {});
  for (const job of jobs) {
    const row = new JobRow(kind, job, slot);
    rows.push(row);
    body.append(row.tr);
  }
  return h('table', { id: `${kind}-table` }, h('thead', {}, headerRow(kind)), body);
}

/** Renders the page into view; answers a function that stops its event streams. */
export async function jobsPage(view, db) {
  const rows = [];
  const databases = await api.databases();
  const chosen = db || (databases[0] && databases[0].name);
  const select = h('select', { id: 'database',
    onchange: (e) => { location.hash = `#/jobs/${encodeURIComponent(e.target.value)}`; } },
  databases.map((d) => h('option', { value: d.name, selected: d.name === chosen }, d.name)));
  const toolbar = h('div', { class: 'toolbar' }, h('label', { for: 'database' }, 'Database'), select,
    h('button', { class: 'secondary', id: 'refresh',
      onclick: () => window.dispatchEvent(new HashChangeEvent('hashchange')) }, 'Refresh'));
  if (!chosen) {
    view.replaceChildren(h('h1', {}, 'Jobs'), toolbar, h('p', { class: 'muted' }, 'No database yet.'));
    return () => {};
  }
  const slot = h('div', { id: 'jobs-problem' });
  const [backups, restores, repositories, policies] = await Promise.all([api.backups(chosen), api.restores(chosen),
    api.repositories(), api.policies()]);
  const backupTable = jobTable('backups', backups.items, rows, slot);
  const started = (job) => {
    const row = new JobRow('backups', job, slot);
    rows.push(row);
    backupTable.tBodies[0].prepend(row.tr);
  };
  view.replaceChildren(h('h1', {}, 'Jobs'), toolbar,
    h('section', {}, h('h2', {}, `Backups of ${chosen}`), slot, backupTable),
    h('section', {}, h('h2', {}, `Restores into ${chosen}`), jobTable('restores', restores.items, rows, slot)),
    backupForm(chosen, repositories, policies, started));
  return () => rows.forEach((r) => r.dispose());
}
