// The Policies page: retention policies (SLM's retention) over a repository's snapshots; create, run now, delete.
import { api } from './api.js';
import { h, field, time, showProblem } from './dom.js';

const DAY = 86400;

function days(seconds) {
  if (!seconds) return '—';
  const d = seconds / DAY;
  return Number.isInteger(d) ? `${d} d` : `${(d).toFixed(2)} d`;
}

/** What one run of a policy did: its deleted, kept and refused snapshots. */
function runView(run) {
  const list = (labels) => (labels.length ? labels.join(', ') : 'none');
  return h('div', { id: 'policy-run', 'data-policy': run.policy, 'data-deleted': run.deleted.length,
    'data-kept': run.kept },
  h('h2', {}, `Run of ${run.policy} on ${run.repository}`),
  h('div', { class: 'summary' },
    [['Deleted', run.deleted.length], ['Failed backups deleted', run.failedDeleted.length], ['Kept', run.kept],
      ['Refused', run.refused.length], ['Took', `${run.finishedAtMs - run.startedAtMs} ms`]]
      .map(([k, v]) => h('div', {}, h('span', {}, k), v))),
  h('p', { class: 'mono deleted' }, `deleted: ${list(run.deleted)}`),
  run.failedDeleted.length ? h('p', { class: 'mono' }, `failed backups deleted: ${list(run.failedDeleted)}`) : null,
  run.refused.length ? h('p', { class: 'mono error refused' }, `refused: ${list(run.refused)}`) : null,
  run.budgetExhausted ? h('p', { class: 'error' }, 'Stopped at its time budget; the next run deletes the rest.')
    : null);
}

function policyRow(p, slot, result, reload) {
  const run = h('button', { class: 'secondary run-policy' }, 'Run now');
  const remove = h('button', { class: 'danger delete-policy' }, 'Delete');
  run.addEventListener('click', async () => {
    run.disabled = true;
    try {
      result.replaceChildren(runView(await api.runPolicy(p.name)));
      slot.replaceChildren();
    } catch (err) {
      showProblem(slot, err);
    } finally {
      run.disabled = false;
    }
  });
  remove.addEventListener('click', async () => {
    if (!window.confirm(`Delete retention policy ${p.name}? Its snapshots stay.`)) return;
    try {
      await api.deletePolicy(p.name);
      await reload();
    } catch (err) {
      showProblem(slot, err);
    }
  });
  return h('tr', { id: `policy-${p.name}`, 'data-policy': p.name },
    h('td', {}, p.name), h('td', {}, h('a', { href: `#/repositories/${encodeURIComponent(p.repository)}` },
      p.repository)),
    h('td', { class: 'num' }, days(p.expireAfterSeconds)), h('td', { class: 'num' }, p.minCount),
    h('td', { class: 'num' }, p.maxCount || '—'), h('td', { class: 'mono' }, time(p.createdAtMs)),
    h('td', {}, run, ' ', remove));
}

function createForm(repositories, slot, reload) {
  const name = h('input', { id: 'policy-name', required: true, placeholder: 'nightly' });
  const repo = h('select', { id: 'policy-repository' },
    repositories.map((r) => h('option', { value: r.name }, r.name)));
  const expire = h('input', { id: 'policy-expire-days', type: 'number', min: 0, step: 'any',
    placeholder: 'no age limit' });
  const min = h('input', { id: 'policy-min-count', type: 'number', min: 0, placeholder: '0' });
  const max = h('input', { id: 'policy-max-count', type: 'number', min: 0, placeholder: 'no count limit' });
  const submit = h('button', { type: 'submit', id: 'policy-create' }, 'Create policy');
  const form = h('form', { class: 'inline', id: 'policy-form' }, field('Name', name), field('Repository', repo),
    field('Expire after (days)', expire), field('Min count (kept whatever their age)', min),
    field('Max count', max), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      await api.createPolicy({ name: name.value.trim(), repository: repo.value,
        expireAfterSeconds: expire.value ? Math.round(Number(expire.value) * DAY) : null,
        minCount: min.value ? Number(min.value) : null, maxCount: max.value ? Number(max.value) : null });
      slot.replaceChildren();
      form.reset();
      await reload();
    } catch (err) {
      showProblem(slot, err);
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', {}, h('h2', {}, 'Create a retention policy'),
    h('p', { class: 'muted' }, 'Only backups that name the policy count. The newest "min count" are kept; after them '
      + 'a snapshot beyond "max count" or older than "expire after" is deleted.'), form);
}

export async function policiesPage(view) {
  const [policies, repositories] = await Promise.all([api.policies(), api.repositories()]);
  const slot = h('div', { id: 'policies-problem' });
  const formSlot = h('div', { id: 'policy-problem' });
  const result = h('div', {});
  const body = h('tbody', {});
  const show = (list) => body.replaceChildren(...(list.length ? list.map((p) => policyRow(p, slot, result, reload))
    : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No retention policy yet.'))]));
  async function reload() {
    show(await api.policies());
  }
  show(policies);
  const form = createForm(repositories, formSlot, reload);
  form.append(formSlot);
  view.replaceChildren(h('h1', {}, 'Retention policies'),
    h('section', {}, slot, h('table', { id: 'policies-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Repository', 'Expire after', 'Min count', 'Max count', 'Created', '']
        .map((c, i) => h('th', { class: i >= 2 && i <= 4 ? 'num' : null }, c)))), body), result),
    form);
  return () => {};
}
