// Backup and restore job rows: made from the v1 job records, kept live from each running job's event stream.
import { api, watchJob } from './api.js';
import { h, bar, bytes, stateCell, problemBox } from './dom.js';

const DONE = ['FINISHED', 'CANCELLED'];

/** The row's model from a BackupJob or RestoreJob. */
function modelOf(kind, job) {
  const common = { kind, jobId: job.jobId, state: job.state, createTime: job.createTime,
    finishedTime: job.finishedTime, taskErrMsg: job.taskErrMsg, status: job.status, liveErrors: [] };
  return kind === 'backups'
    ? { ...common, label: job.snapshotName, objects: job.backupObjs, tablets: job.tablets,
      snapshotted: job.tabletsSnapshotted, uploaded: job.tabletsUploaded, files: job.filesUploaded,
      bytes: job.bytesUploaded }
    : { ...common, label: job.label, timestamp: job.timestamp, objects: job.restoreObjs, replicas: job.replicas,
      created: job.replicasCreated, downloaded: job.replicasDownloaded, moved: job.replicasMoved,
      checked: job.replicasChecked, bytes: job.bytesDownloaded };
}

/** The model after one JobEvent. */
function applyEvent(model, event) {
  const p = event.progress || {};
  const next = { ...model, state: event.state || model.state };
  const count = (name, fallback) => (p[name] ?? fallback);
  if (model.kind === 'backups') {
    Object.assign(next, { tablets: p.snapshotsTotal || model.tablets, snapshotted: count('snapshotsDone', model.snapshotted),
      uploaded: count('uploadsDone', model.uploaded), files: count('filesUploaded', model.files),
      bytes: count('bytesUploaded', model.bytes) });
  } else {
    Object.assign(next, { replicas: p.replicasTotal || model.replicas, created: count('replicasCreated', model.created),
      downloaded: count('replicasDownloaded', model.downloaded), moved: count('replicasMoved', model.moved),
      checked: count('replicasChecked', model.checked), bytes: count('bytesDownloaded', model.bytes) });
  }
  if ((event.kind === 'TASK_ERROR' || event.kind === 'TASK_RETRY' || event.kind === 'CANCELLED') && event.message) {
    next.liveErrors = [...model.liveErrors, `${event.kind}: ${event.message}`].slice(-5);
  }
  return next;
}

function progressCells(m) {
  const done = m.state === 'FINISHED';
  if (m.kind === 'backups') {
    return [h('td', {}, bar(m.snapshotted + m.uploaded, 2 * m.tablets, done)),
      h('td', { class: 'counts' }, `${m.snapshotted}/${m.tablets} snapshotted · ${m.uploaded}/${m.tablets} uploaded`)];
  }
  const steps = m.created + m.downloaded + m.moved + m.checked;
  return [h('td', {}, bar(steps, 4 * m.replicas, done)),
    h('td', { class: 'counts' }, `${m.created}/${m.replicas} created · ${m.downloaded}/${m.replicas} downloaded · `
      + `${m.moved}/${m.replicas} moved · ${m.checked}/${m.replicas} checked`)];
}

function errorsCell(m) {
  const lines = [];
  // SHOW BACKUP / SHOW RESTORE write "[]" for no task error and "[OK, msg: ]" for a good status.
  if (m.taskErrMsg && m.taskErrMsg !== '[]') lines.push(m.taskErrMsg);
  if (m.status && !m.status.startsWith('[OK')) lines.push(m.status);
  lines.push(...m.liveErrors);
  return h('td', { class: 'error mono errors' }, lines.map((line) => h('div', {}, line)));
}

export function headerRow(kind) {
  return h('tr', {}, ['Job', 'Label', kind === 'restores' ? 'Timestamp' : null, 'Objects', 'State', 'Progress',
    kind === 'backups' ? 'Tablets' : 'Replicas', 'Bytes', kind === 'backups' ? 'Files' : null, 'Created', 'Finished',
    'Task errors', '']
    .filter((c) => c !== null).map((c) => h('th', {}, c)));
}

/**
 * A table body row for the job, live while the job runs: it follows the job's events until the last one, then reads
 * the finished job. slot shows a problem of a cancel.
 */
export class JobRow {
  constructor(kind, job, problemSlot) {
    this.model = modelOf(kind, job);
    this.problemSlot = problemSlot;
    this.tr = h('tr', { id: `${kind === 'backups' ? 'backup' : 'restore'}-${job.jobId}`, class: 'job' });
    this.render();
    if (!DONE.includes(job.state)) this.follow();
  }

  follow() {
    this.live = true;
    this.close = watchJob(this.model.kind, this.model.jobId, (event, last) => {
      this.model = applyEvent(this.model, event);
      this.broken = false;
      if (last) {
        this.live = false;
        this.reload();
      }
      this.render();
    }, () => {
      this.broken = true;
      this.render();
    });
  }

  async reload() {
    try {
      const job = this.model.kind === 'backups' ? await api.backup(this.model.jobId)
        : await api.restore(this.model.jobId);
      this.model = { ...modelOf(this.model.kind, job), liveErrors: this.model.liveErrors };
      this.render();
    } catch (e) {
      this.problemSlot.replaceChildren(problemBox(e));
    }
  }

  async cancel() {
    try {
      if (this.model.kind === 'backups') await api.cancelBackup(this.model.jobId);
      else await api.cancelRestore(this.model.jobId);
      this.problemSlot.replaceChildren();
      await this.reload();
    } catch (e) {
      this.problemSlot.replaceChildren(problemBox(e));
    }
  }

  dispose() {
    if (this.close) this.close();
  }

  render() {
    const m = this.model;
    this.tr.dataset.state = m.state;
    this.tr.dataset.jobId = m.jobId;
    const finished = DONE.includes(m.state);
    this.tr.replaceChildren(...[
      h('td', { class: 'mono' }, m.jobId),
      h('td', { class: 'label' }, m.label),
      m.kind === 'restores' ? h('td', { class: 'mono' }, m.timestamp) : null,
      h('td', { class: 'mono objects' }, m.objects),
      h('td', { class: 'state-cell' }, stateCell(m.state),
        this.live ? h('span', { class: 'muted', title: 'following the job\'s events' }, this.broken ? ' ⟳' : ' ●') : null),
      ...progressCells(m),
      h('td', { class: 'num' }, bytes(m.bytes)),
      m.kind === 'backups' ? h('td', { class: 'num' }, m.files) : null,
      h('td', { class: 'mono' }, m.createTime),
      h('td', { class: 'mono' }, m.finishedTime),
      errorsCell(m),
      h('td', {}, finished ? null : h('button', { class: 'danger cancel', onclick: () => this.cancel() }, 'Cancel')),
    ].filter(Boolean));
  }
}
