// The console's routes (#/jobs, #/repositories, #/policies, #/schedules): each renders a page into <main> and is
// stopped when left.
import { h, problemBox } from './dom.js';
import { jobsPage } from './jobs.js';
import { repositoriesPage, snapshotsPage, snapshotPage } from './repositories.js';
import { policiesPage } from './policies.js';
import { schedulesPage } from './schedules.js';

const view = document.getElementById('view');
let leave = () => {};
let generation = 0;

function route() {
  const [path, query] = (location.hash.slice(1) || '/jobs').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query || '');
  if (parts[0] === 'repositories' && parts.length === 1) return ['repositories', (target) => repositoriesPage(target)];
  if (parts[0] === 'repositories' && parts.length === 2) {
    return ['repositories', (target) => snapshotsPage(target, parts[1], Number(params.get('offset') || 0))];
  }
  if (parts[0] === 'repositories' && parts[2] === 'snapshots' && parts.length === 5) {
    return ['repositories', (target) => snapshotPage(target, parts[1], parts[3], parts[4])];
  }
  if (parts[0] === 'policies') return ['policies', (target) => policiesPage(target)];
  if (parts[0] === 'schedules') return ['schedules', (target) => schedulesPage(target)];
  return ['jobs', (target) => jobsPage(target, parts[1])];
}

// Each render builds its page apart and shows it only if no newer render started meanwhile.
async function render() {
  leave();
  leave = () => {};
  const mine = ++generation;
  const [section, page] = route();
  document.querySelectorAll('header nav a').forEach((a) => a.classList.toggle('active', a.id === `nav-${section}`));
  const target = document.createElement('div');
  try {
    const stop = await page(target);
    if (mine === generation) {
      leave = stop;
      view.replaceChildren(target);
    } else {
      stop();
    }
  } catch (error) {
    if (mine === generation) view.replaceChildren(h('h1', {}, 'Cannot show this page'), problemBox(error));
  }
}

window.addEventListener('hashchange', render);
render();
