// The console's only way to the job-service: /api/v1 with fetch, and job event streams with EventSource.

/** An answer of the API that is not a success: its RFC 9457 problem (title, detail, field errors). */
export class ApiError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title);
    this.problem = problem;
  }
}

async function request(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch('/api/v1' + path, init);
  } catch (e) {
    throw new ApiError({ title: 'The job-service cannot be reached', detail: String(e), status: 0 });
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    throw new ApiError(json && (json.title || json.detail) ? json
      : { title: response.statusText || 'Error', status: response.status, detail: text });
  }
  return json;
}

const seg = encodeURIComponent;

export const api = {
  databases: () => request('GET', '/databases'),
  repositories: () => request('GET', '/repositories'),
  snapshots: (repo, offset, limit) => request('GET', `/repositories/${seg(repo)}/snapshots?offset=${offset}&limit=${limit}`),
  snapshot: (repo, label, ts) => request('GET', `/repositories/${seg(repo)}/snapshots/${seg(label)}/${seg(ts)}`),
  backups: (db) => request('GET', `/databases/${seg(db)}/backups?limit=100`),
  backup: (id) => request('GET', `/backups/${id}`),
  createBackup: (db, body) => request('POST', `/databases/${seg(db)}/backups`, body),
  cancelBackup: (id) => request('POST', `/backups/${id}/cancel`),
  restores: (db) => request('GET', `/databases/${seg(db)}/restores?limit=100`),
  restore: (id) => request('GET', `/restores/${id}`),
  createRestore: (db, body) => request('POST', `/databases/${seg(db)}/restores`, body),
  cancelRestore: (id) => request('POST', `/restores/${id}/cancel`),
  verify: (repo, label, body) => request('POST', `/repositories/${seg(repo)}/snapshots/${seg(label)}/verify`, body),
  verification: (id) => request('GET', `/verifications/${id}`),
  deleteSnapshot: (repo, label) => request('DELETE', `/repositories/${seg(repo)}/snapshots/${seg(label)}`),
  policies: () => request('GET', '/retention-policies'),
  createPolicy: (body) => request('POST', '/retention-policies', body),
  deletePolicy: (name) => request('DELETE', `/retention-policies/${seg(name)}`),
  runPolicy: (name) => request('POST', `/retention-policies/${seg(name)}/run`),
  schedules: () => request('GET', '/schedules'),
  createSchedule: (body) => request('POST', '/schedules', body),
  deleteSchedule: (name) => request('DELETE', `/schedules/${seg(name)}`),
  pauseSchedule: (name, pause) => request('POST', `/schedules/${seg(name)}/${pause ? 'pause' : 'resume'}`),
};

const EVENT_KINDS = ['CURRENT', 'CREATED', 'STATE_CHANGED', 'PROGRESS', 'TASK_ERROR', 'TASK_RETRY', 'FINISHED',
  'CANCELLED'];

/**
 * Follows a job's event stream ('backups' or 'restores'): onEvent gets each JobEvent, the first one CURRENT; the stream
 * is closed after the job's last event. Answers a function that closes it.
 */
export function watchJob(kind, jobId, onEvent, onBroken) {
  const source = new EventSource(`/api/v1/${kind}/${jobId}/events`);
  let ended = false;
  const handle = (message) => {
    const event = JSON.parse(message.data);
    const last = event.kind === 'FINISHED' || event.kind === 'CANCELLED'
      || (event.kind === 'CURRENT' && (event.state === 'FINISHED' || event.state === 'CANCELLED'));
    if (last) {
      ended = true;
      source.close();
    }
    onEvent(event, last);
  };
  EVENT_KINDS.forEach((kind) => source.addEventListener(kind, handle));
  // The browser reconnects by itself (a new stream starts with CURRENT again); say so while it is away.
  source.onerror = () => {
    if (!ended && onBroken) {
      onBroken(source.readyState === EventSource.CLOSED);
    }
  };
  return () => source.close();
}
