// The Repositories pages: repositories, a repository's snapshots (with delete), and one backup of a snapshot with what
// it holds, restore and verify.
import { api } from './api.js';
import { h, bar, bytes, time, field, stateCell, showProblem } from './dom.js';
import { JobRow, headerRow } from './jobrows.js';

const PAGE = 20;
const seg = encodeURIComponent;

export async function repositoriesPage(view) {
  const repositories = await api.repositories();
  view.replaceChildren(h('h1', {}, 'Repositories'), h('section', {}, repositories.length
    ? h('table', { id: 'repositories-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Type', 'Location', 'Read only', 'Credential', 'Created']
        .map((c) => h('th', {}, c)))),
      h('tbody', {}, repositories.map((r) => h('tr', {},
        h('td', {}, h('a', { href: `#/repositories/${seg(r.name)}`, class: 'repository' }, r.name)),
        h('td', {}, r.storageType), h('td', { class: 'mono' }, r.location), h('td', {}, r.readOnly ? 'yes' : 'no'),
        h('td', { class: 'mono' }, r.credentialRef || ''), h('td', { class: 'mono' }, time(r.createdAtMs))))))
    : h('p', { class: 'muted' }, 'No repository yet.')));
  return () => {};
}

/** Deletes a snapshot after the user confirmed it; a refusal (409 while a job uses it, 404) shows in slot. */
async function deleteSnapshot(repo, label, slot, button) {
  if (!window.confirm(`Delete snapshot ${label} of ${repo}? Every backup under this label is removed.`)) return;
  button.disabled = true;
  try {
    await api.deleteSnapshot(repo, label);
    window.dispatchEvent(new HashChangeEvent('hashchange')); // the list again, without it
  } catch (err) {
    showProblem(slot, err);
    button.disabled = false;
  }
}

function snapshotRow(repo, s, slot) {
  const remove = h('button', { class: 'danger delete-snapshot' }, 'Delete');
  remove.addEventListener('click', () => deleteSnapshot(repo, s.label, slot, remove));
  return h('tr', { 'data-label': s.label },
    h('td', {}, s.label),
    h('td', {}, s.timestamps.map((ts) => h('a', { class: 'snapshot mono', style: 'margin-right: 12px',
      href: `#/repositories/${seg(repo)}/snapshots/${seg(s.label)}/${seg(ts)}` }, ts))),
    h('td', {}, remove));
}

export async function snapshotsPage(view, repo, offset) {
  const page = await api.snapshots(repo, offset, PAGE);
  const slot = h('div', { id: 'snapshots-problem' });
  const pager = h('div', { class: 'toolbar' },
    h('span', { class: 'muted' }, `${page.total === 0 ? 0 : offset + 1}–${offset + page.items.length} of ${page.total}`),
    offset > 0 ? h('a', { href: `#/repositories/${seg(repo)}?offset=${Math.max(0, offset - PAGE)}` }, '← newer') : null,
    page.nextOffset !== null ? h('a', { href: `#/repositories/${seg(repo)}?offset=${page.nextOffset}` }, 'older →')
      : null);
  view.replaceChildren(h('h1', {}, h('a', { href: '#/repositories' }, 'Repositories'), ` / ${repo}`),
    h('section', {}, h('h2', {}, 'Snapshots, newest first'), pager, slot,
      h('table', { id: 'snapshots-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Label'), h('th', {}, 'Backups (timestamps, newest last)'),
          h('th', {}, ''))),
        h('tbody', {}, page.items.map((s) => snapshotRow(repo, s, slot))))));
  return () => {};
}

/** "orders", "orders: p1, p2", "orders = orders_copy" or "orders: p1 = copy", one a line, as RestoreTables. */
export function parseRestoreTables(text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const [target, alias] = line.split('=');
    const [name, partitions] = target.split(':');
    const names = (partitions || '').split(',').map((p) => p.trim()).filter(Boolean);
    return { name: name.trim(), partitions: names.length ? names : null, alias: alias ? alias.trim() : null };
  });
}

/** "key=value" lines as a map. */
export function parseProperties(text) {
  const properties = {};
  text.split('\n').map((line) => line.trim()).filter(Boolean).forEach((line) => {
    const at = line.indexOf('=');
    if (at < 0) properties[line] = '';
    else properties[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  });
  return properties;
}

function tabletsDetails(p) {
  return h('details', {}, h('summary', {}, `${p.tablets.length} tablets`),
    h('table', { class: 'mono' },
      h('thead', {}, h('tr', {}, ['Tablet', 'Index', 'Files', 'Bytes', 'Rows', 'Checksum'].map((x) => h('th', {}, x)))),
      h('tbody', {}, p.tablets.map((t) => h('tr', {}, h('td', {}, t.tabletId), h('td', {}, t.index),
        h('td', { class: 'num' }, t.files), h('td', { class: 'num' }, t.bytes), h('td', { class: 'num' }, t.rows ?? '—'),
        h('td', { class: 'num' }, t.checksum ?? 'not recorded'))))));
}

function partitionRow(p) {
  return h('tr', { class: 'partition', 'data-partition': p.name },
    h('td', {}, p.name), h('td', { class: 'num' }, p.version), h('td', { class: 'num' }, p.tablets.length),
    h('td', { class: 'num' }, p.files), h('td', { class: 'num', title: `${p.bytes} bytes` }, bytes(p.bytes)),
    h('td', { class: 'num' }, p.rows), h('td', {}, tabletsDetails(p)));
}

function tableBlock(t) {
  return h('div', { class: 'snapshot-table', 'data-table': t.name },
    h('h2', {}, t.name, h('span', { class: 'muted' },
      ` · ${t.partitions.length} partitions · ${t.tablets} tablets · ${t.files} files · ${bytes(t.bytes)}`)),
    h('table', {},
      h('thead', {}, h('tr', {}, ['Partition', 'Version', 'Tablets', 'Files', 'Size', 'Rows', 'Tablets and checksums']
        .map((x, i) => h('th', { class: i > 0 && i < 6 ? 'num' : null }, x)))),
      h('tbody', {}, t.partitions.map(partitionRow))));
}

function contentSection(c) {
  const summary = h('div', { class: 'summary', id: 'snapshot-summary' },
    [['Database', c.dbName], ['Backup time', time(c.backupTimeMs)], ['Content', c.content],
      ['Tables', c.tables.length], ['Tablets', c.tablets], ['Files', c.files], ['Size', bytes(c.bytes)]]
      .map(([k, v]) => h('div', {}, h('span', {}, k), v)));
  const others = [...c.views.map((v) => `view ${v}`), ...c.odbcTables.map((o) => `ODBC table ${o}`)];
  return h('section', {}, summary, c.tables.map(tableBlock),
    others.length ? h('p', { class: 'muted' }, others.join(', ')) : null);
}

function restoreSection(c, databases, disposers) {
  const slot = h('div', { id: 'restore-problem' });
  const jobs = h('tbody', {});
  const db = h('select', { id: 'restore-database' },
    databases.map((d) => h('option', { value: d.name, selected: d.name === c.dbName }, d.name)));
  const tables = h('textarea', { id: 'restore-tables',
    placeholder: `${c.tables.map((t) => t.name).join('\n') || 'orders'}\n(name = alias to restore under another name)` });
  const properties = h('textarea', { id: 'restore-properties', placeholder: 'replication_num=1\nreserve_replica=false' });
  const submit = h('button', { type: 'submit', id: 'restore-start' }, 'Restore');
  const form = h('form', { class: 'inline', id: 'restore-form' }, field('Into database', db),
    field('Tables (empty: all; "table: p1, p2 = alias")', tables),
    field('Properties (key=value a line)', properties), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const on = parseRestoreTables(tables.value);
      const job = await api.createRestore(db.value, { label: c.label, repository: c.repository,
        on: on.length ? on : null, exclude: null,
        properties: { ...parseProperties(properties.value), backup_timestamp: c.timestamp } });
      slot.replaceChildren();
      const row = new JobRow('restores', job, slot);
      disposers.push(() => row.dispose());
      jobs.prepend(row.tr);
      jobs.parentElement.hidden = false;
    } catch (err) {
      showProblem(slot, err);
    } finally {
      submit.disabled = false;
    }
  });
  const table = h('table', { id: 'restores-table', hidden: true }, h('thead', {}, headerRow('restores')), jobs);
  return h('section', {}, h('h2', {}, 'Restore this backup'), form, slot, table);
}

function verificationView(v) {
  const done = v.state !== 'RUNNING';
  return h('div', { id: 'verification', 'data-state': v.state },
    h('div', { class: 'summary' },
      [['Verification', v.id], ['Level', v.level], ['State', stateCell(v.state)],
        ['Files', `${v.counts.filesChecked}/${v.counts.filesTotal}`],
        ['Tablets', `${v.counts.tabletsChecked}/${v.counts.tabletsTotal}`], ['Read', bytes(v.counts.bytesRead)],
        ['Rows read', v.counts.rowsRead], ['Progress', bar(v.progress.done, v.progress.total, done)]]
        .map(([k, x]) => h('div', {}, h('span', {}, k), x))),
    h('p', { class: 'message' }, v.message || ''),
    v.problems.length ? h('table', { id: 'problems-table' },
      h('thead', {}, h('tr', {}, ['Kind', 'Path', 'Tablet', 'Expected', 'Actual'].map((x) => h('th', {}, x)))),
      h('tbody', {}, v.problems.map((p) => h('tr', {}, h('td', { class: 'error' }, p.kind),
        h('td', { class: 'mono' }, p.path), h('td', { class: 'mono' }, p.tabletId ?? ''),
        h('td', { class: 'mono' }, p.expected ?? ''), h('td', { class: 'mono' }, p.actual ?? '')))))
      : done ? null : h('p', { class: 'muted' }, 'No problems found so far.'),
    v.problemsTotal > v.problems.length
      ? h('p', { class: 'muted' }, `${v.problemsTotal} problems in all: ${JSON.stringify(v.problemsByKind)}`) : null);
}

function verifySection(c, disposers) {
  const slot = h('div', { id: 'verify-problem' });
  const result = h('div', {});
  const level = h('select', { id: 'verify-level' }, h('option', { value: 'files' }, 'files: every file, size and md5'),
    h('option', { value: 'data' }, 'data: also every tablet\'s rows against the recorded checksums'));
  const submit = h('button', { type: 'submit', id: 'verify-start' }, 'Verify');
  let timer = null;
  disposers.push(() => clearTimeout(timer));
  const poll = async (id) => {
    try {
      const v = await api.verification(id);
      result.replaceChildren(verificationView(v));
      if (v.state === 'RUNNING') timer = setTimeout(() => poll(id), 500);
    } catch (err) {
      showProblem(slot, err);
    }
  };
  const form = h('form', { class: 'inline', id: 'verify-form' }, field('Level', level),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearTimeout(timer);
    try {
      const started = await api.verify(c.repository, c.label, { timestamp: c.timestamp, level: level.value });
      slot.replaceChildren();
      poll(started.id);
    } catch (err) {
      showProblem(slot, err);
    }
  });
  return h('section', {}, h('h2', {}, 'Verify this backup (reads only; nothing is repaired)'), form, slot, result);
}

export async function snapshotPage(view, repo, label, timestamp) {
  const [content, databases] = await Promise.all([api.snapshot(repo, label, timestamp), api.databases()]);
  const disposers = [];
  view.replaceChildren(h('h1', {}, h('a', { href: '#/repositories' }, 'Repositories'), ' / ',
    h('a', { href: `#/repositories/${seg(repo)}` }, repo), ` / ${label} / `, h('span', { class: 'mono' }, timestamp)),
  contentSection(content), restoreSection(content, databases, disposers), verifySection(content, disposers));
  return () => disposers.forEach((d) => d());
}
