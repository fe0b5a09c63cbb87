// The status page: polls api/status every 2 s and draws it; the search box calls api/segment.
// Plain DOM code, no library and no build step.
'use strict';

const POLL_MILLIS = 2000;
let lastNode = null;

function el(tag, attributes, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes || {})) {
    e.setAttribute(k, v);
  }
  for (const c of children) {
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function time(ms) {
  return ms ? new Date(ms).toLocaleTimeString() : '-';
}

function row(label, value, attributes) {
  return el('tr', attributes, el('th', {}, label), el('td', {class: 'num'}, value));
}

// A small SVG line chart of the history: backlog (segments) and replication lag p99 (ms), each
// scaled to its own maximum, over the samples kept (the last 10 minutes).
function chart(history) {
  const w = 420, h = 110, pad = 4;
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('class', 'chart');
  svg.setAttribute('width', w);
  svg.setAttribute('height', h);
  const series = [
    {key: 'backlogSegments', color: '#1f6fb2'},
    {key: 'lagP99Millis', color: '#c96a12'},
    {key: 'underReplicatedSegments', color: '#a00'}
  ];
  if (history.length > 1) {
    const t0 = history[0].time, t1 = history[history.length - 1].time;
    for (const s of series) {
      const max = Math.max(1, ...history.map(p => p[s.key]));
      const points = history.map(p => {
        const x = pad + (w - 2 * pad) * (p.time - t0) / Math.max(1, t1 - t0);
        const y = h - pad - (h - 2 * pad) * p[s.key] / max;
        return x.toFixed(1) + ',' + y.toFixed(1);
      });
      const line = document.createElementNS(svgNs, 'polyline');
      line.setAttribute('points', points.join(' '));
      line.setAttribute('fill', 'none');
      line.setAttribute('stroke', s.color);
      line.setAttribute('stroke-width', '1.5');
      svg.append(line);
    }
  }
  const last = history.length ? history[history.length - 1] : {backlogSegments: 0, lagP99Millis: 0, underReplicatedSegments: 0};
  const minutes = history.length > 1 ? Math.round((history[history.length - 1].time - history[0].time) / 60000) : 0;
  return el('div', {},
    svg,
    el('div', {class: 'legend'},
      el('span', {style: 'color:#1f6fb2'}, 'backlog ' + last.backlogSegments + ' segments'),
      el('span', {style: 'color:#c96a12'}, 'lag p99 ' + last.lagP99Millis + ' ms'),
      el('span', {style: 'color:#a00'}, 'below R ' + last.underReplicatedSegments),
      el('span', {class: 'muted'}, 'last ' + minutes + ' min, each line scaled to its maximum')));
}

function members(node) {
  const table = el('table', {class: 'members'},
    el('thead', {}, el('tr', {}, el('th', {}, 'member'), el('th', {}, 'state'), el('th', {}, 'since'),
      el('th', {}, 'segments held here'))));
  const body = el('tbody');
  for (const m of node.members) {
    const self = m.name === node.nodeName;
    body.append(el('tr', {'data-member': m.name, 'data-reachable': String(m.reachable)},
      el('td', {}, m.name + (self ? ' (this node)' : '')),
      el('td', {class: m.reachable ? 'reachable' : 'unreachable'}, m.reachable ? 'in the cluster' : 'unreachable'),
      el('td', {}, time(m.sinceTime)),
      el('td', {class: 'num'}, self ? node.localSegments : 'on its own page')));
  }
  table.append(body);
  return table;
}

function nodeSection(node) {
  const underR = node.underReplicatedSegments;
  const reachable = node.clusterMembers.length;
  return el('section', {class: 'node', 'data-node': node.nodeName},
    el('h2', {}, 'Node ' + node.nodeName),
    el('p', {},
      el('span', {id: 'member-count', 'data-count': String(reachable)}, reachable + ' members in the cluster'),
      ' · R = ' + node.replicaCount + ' · ',
      el('span', {id: 'replica-state', 'data-under-replicated': String(underR)},
        underR === 0 ? 'every segment this node writes is at R copies'
          : underR + ' segments this node writes are below R copies')),
    el('div', {class: 'grid'},
      members(node),
      el('table', {},
        el('tbody', {},
          row('local segments', node.localSegments + ' (' + bytes(node.localBytes) + ')'),
          row('replica copies held', node.replicaSegments + ' (' + bytes(node.replicaBytes) + ')'),
          row('backlog', node.backlogSegments + ' segments, oldest ' + node.backlogOldestWaitMillis + ' ms'),
          row('published', node.publishedCount + ' (' + node.publicationsPerSecond.toFixed(1) + '/s)'),
          row('lag p50 / p95 / p99', node.replicationLagP50Millis + ' / ' + node.replicationLagP95Millis + ' / '
            + node.replicationLagP99Millis + ' ms'),
          row('failed publications', node.failedPublicationCount
            + (node.lastPublicationError ? ' (last ' + time(node.lastPublicationErrorTime) + ': '
              + node.lastPublicationError + ')' : '')),
          row('take-overs / fenced writes', node.takeOverCount + ' / ' + node.fencedWriteCount),
          row('loads local / replica / global / absent / unavailable', [node.loadsLocalCount,
            node.loadsFromReplicaCount, node.loadsFromGlobalStoreCount, node.loadsAbsentCount,
            node.loadsUnavailableCount].join(' / ')))),
      chart(node.history)));
}

function show(status) {
  const readiness = document.getElementById('readiness');
  readiness.textContent = status.ready ? 'ready' : 'not ready';
  readiness.className = 'badge ' + (status.ready ? 'up' : 'down');
  readiness.dataset.ready = String(status.ready);
  document.getElementById('updated').textContent = 'read ' + time(status.time);
  const reasons = document.getElementById('not-ready');
  reasons.replaceChildren(...status.notReady.map(r => el('li', {}, r)));
  const nodes = document.getElementById('nodes');
  nodes.replaceChildren(...status.nodes.map(nodeSection));
  lastNode = status.nodes.length ? status.nodes[0].nodeName : null;
}

async function poll() {
  const error = document.getElementById('error');
  try {
    const response = await fetch('api/status', {cache: 'no-store'});
    if (!response.ok) {
      throw new Error('api/status answered ' + response.status);
    }
    show(await response.json());
    error.hidden = true;
  } catch (e) {
    error.textContent = 'cannot read the status: ' + e.message + ' (retrying)';
    error.hidden = false;
  }
  setTimeout(poll, POLL_MILLIS);
}

async function describe(event) {
  event.preventDefault();
  const name = document.getElementById('segment-name').value.trim();
  const table = document.getElementById('segment');
  const error = document.getElementById('segment-error');
  if (!lastNode) {
    error.textContent = 'no checkpoint node runs here';
    error.hidden = false;
    return;
  }
  const response = await fetch('api/segment?node=' + encodeURIComponent(lastNode) + '&name='
    + encodeURIComponent(name), {cache: 'no-store'});
  const answer = await response.json();
  if (!response.ok) {
    table.hidden = true;
    error.textContent = answer.error;
    error.hidden = false;
    return;
  }
  error.hidden = true;
  table.tBodies[0].replaceChildren(
    row('segment', answer.segment, {'data-field': 'segment'}),
    row('state', answer.state, {'data-field': 'state'}),
    row('version', answer.version, {'data-field': 'version'}),
    row('writer', answer.writer, {'data-field': 'writer'}),
    row('replica nodes (owners)', answer.owners.join(', '), {'data-field': 'owners'}),
    row('at R copies', answer.atReplicaCount ? 'yes' : 'no', {'data-field': 'atReplicaCount'}),
    row('size', bytes(answer.sizeBytes)),
    row('written', time(answer.writtenTime)),
    row('epoch', answer.epoch));
  table.hidden = false;
}

document.getElementById('search').addEventListener('submit', describe);
poll();
