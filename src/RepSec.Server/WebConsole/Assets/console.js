// The RepSec web console: looks an entity up over RDAP and checks its history against the signed transparency log,
// here in the browser, with WebCrypto (SHA-256, HMAC-SHA256, Ed25519). Nothing is stored but the pinned log key and
// the last checkpoint verified (localStorage).
'use strict';

const KEY_ITEM = 'repsec.console.logKey';
const CHECKPOINT_ITEM = 'repsec.console.checkpoint';
const encoder = new TextEncoder();
const $ = (id) => document.getElementById(id);

// ---- bytes and hashes

function fromBase64(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function equal(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
const node = (left, right) => sha256(concat(Uint8Array.of(1), left, right));
const leafHash = (bytes) => sha256(concat(Uint8Array.of(0), bytes));

async function hmac(key, text) {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, encoder.encode(text)));
}

// ---- RFC 9162 proofs (sizes as numbers: exact up to 2^53)

const odd = (x) => x % 2 === 1;
const half = (x) => Math.floor(x / 2);

async function verifyInclusion(index, size, hash, proof, root) {
  if (index >= size) return false;
  let fn = index, sn = size - 1, r = hash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await node(p, r);
      if (!odd(fn)) { while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); } }
    } else {
      r = await node(r, p);
    }
    fn = half(fn); sn = half(sn);
  }
  return sn === 0 && equal(r, root);
}

async function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  if (first > second) return false;
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0;
  let path = proof;
  if ((first & (first - 1)) === 0 && first < 2 ** 31) path = [firstRoot, ...proof];
  if (path.length === 0) return false;
  let fn = first - 1, sn = second - 1;
  while (odd(fn)) { fn = half(fn); sn = half(sn); }
  let fr = path[0], sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await node(c, fr); sr = await node(c, sr);
      if (!odd(fn)) { while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); } }
    } else {
      sr = await node(sr, c);
    }
    fn = half(fn); sn = half(sn);
  }
  return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot);
}

// ---- signed notes (checkpoints) and the log key

async function parseVerifierKey(text) {
  const parts = text.split('+');
  if (parts.length < 3) return null;
  const name = parts[0], keyHash = parts[1], encoded = fromBase64(parts.slice(2).join('+'));
  if (encoded.length !== 33 || encoded[0] !== 1) return null;
  const publicKey = encoded.slice(1);
  const expected = (await sha256(concat(encoder.encode(name + '\n'), Uint8Array.of(1), publicKey))).slice(0, 4);
  if (hex(expected) !== keyHash) return null;
  const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  return { name, keyHash: expected, key, fingerprint: hex(await sha256(publicKey)) };
}

// The checkpoint a note signs, if the pinned key signed it: { origin, size, root }.
async function openCheckpoint(note, verifier) {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return null;
  const body = note.slice(0, split + 1);
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const prefix = '\u2014 ' + verifier.name + ' ';
    if (!line.startsWith(prefix)) continue;
    const signature = fromBase64(line.slice(prefix.length));
    if (signature.length !== 68 || !equal(signature.slice(0, 4), verifier.keyHash)) continue;
    if (!await crypto.subtle.verify({ name: 'Ed25519' }, verifier.key, signature.slice(4), encoder.encode(body))) continue;
    const lines = body.split('\n');
    if (lines.length < 4 || lines[0] !== verifier.name || !/^[0-9]+$/.test(lines[1])) return null;
    return { origin: lines[0], size: Number(lines[1]), root: fromBase64(lines[2]), note };
  }
  return null;
}

// The signed-in reader's Authorization header, in this page's memory only.
let authorization = null;

async function getJson(url) {
  const headers = { Accept: 'application/json, application/rdap+json' };
  if (authorization) headers.Authorization = authorization.header;
  // credentials: 'omit': the browser adds none of its own and never prompts for a password on a 401; the
  // Authorization header above is the page's own.
  const response = await fetch(url, { headers, cache: 'no-store', credentials: 'omit' });
  const body = await response.json().catch(() => null);
  return { status: response.status, body };
}

// ---- what the page shows

function alarm(text) {
  const box = $('alarm');
  box.hidden = false;
  const line = document.createElement('p');
  line.textContent = text;
  box.append(line);
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

let verifier = null;
let trusted = false;   // the pinned key signs the latest checkpoint, and it extends the last one seen

// Pins the log key on first use; verifies the checkpoint; checks it extends the last one this browser accepted.
async function acceptCheckpoint(note) {
  const checkpoint = await openCheckpoint(note, verifier);
  if (!checkpoint) { alarm('A checkpoint is not signed by the pinned log key: the log cannot be trusted.'); return null; }
  const last = JSON.parse(localStorage.getItem(CHECKPOINT_ITEM) || 'null');
  if (last && last.key === localStorage.getItem(KEY_ITEM)) {
    const lastRoot = fromBase64(last.root);
    const [small, large] = last.size <= checkpoint.size
      ? [{ size: last.size, root: lastRoot }, checkpoint] : [checkpoint, { size: last.size, root: lastRoot }];
    let consistent = small.size === large.size ? equal(small.root, large.root) : false;
    if (small.size !== large.size && small.size > 0) {
      const proof = await getJson(`/log/consistency?from=${small.size}&to=${large.size}`);
      consistent = proof.status === 200
        && await verifyConsistency(small.size, large.size, small.root, large.root, proof.body.proof.map(fromBase64));
    }
    if (!consistent) {
      alarm(`FORK: the log at size ${checkpoint.size} does not extend the one this browser saw at size ${last.size}. History was rewritten, or you are shown a different log than before.`);
      return null;
    }
    if (checkpoint.size < last.size) return checkpoint;
  }
  localStorage.setItem(CHECKPOINT_ITEM, JSON.stringify({ key: localStorage.getItem(KEY_ITEM), size: checkpoint.size, root: btoa(String.fromCharCode(...checkpoint.root)) }));
  return checkpoint;
}

async function loadLog() {
  const latest = await getJson('/log/checkpoint');
  if (latest.status !== 200) { $('log-status').textContent = 'The log is not available.'; return false; }
  let pinned = localStorage.getItem(KEY_ITEM);
  const firstUse = !pinned;
  if (firstUse) { pinned = latest.body.log_key; localStorage.setItem(KEY_ITEM, pinned); }
  verifier = await parseVerifierKey(pinned);
  if (!verifier) { alarm('The pinned log key cannot be read.'); return false; }
  $('log-key').textContent = `Log key ${verifier.name} (SHA-256 ${verifier.fingerprint.slice(0, 32)}), ${firstUse ? 'pinned on this first visit' : 'pinned in this browser'}.`;
  if (latest.body.log_key !== pinned) {
    alarm(`THE LOG KEY CHANGED: this browser pinned ${pinned.split('+')[0]}+${pinned.split('+')[1]}, the server now signs with ${latest.body.log_key.split('+')[0]}+${latest.body.log_key.split('+')[1]}. Nothing is verified against the new key. If the operator announced a new key, clear this site's data to pin it.`);
    $('log-status').textContent = 'Log key changed: not verified.';
    return false;
  }
  const checkpoint = await acceptCheckpoint(latest.body.checkpoint);
  if (!checkpoint) { $('log-status').textContent = 'The log does not verify.'; return false; }
  trusted = true;
  $('log-status').textContent = `Verified: checkpoint of ${checkpoint.size} entries, signed by the pinned key${firstUse ? '' : ' and consistent with the one seen before'}.`;
  return true;
}

// Where RDAP serves an entity of a known type.
function rdapPathOf(type, value) {
  switch (type) {
    case 'domain': return `domain/${encodeURIComponent(value)}`;
    case 'ip': return `ip/${value}`;
    case 'asn': return `autnum/${value.replace(/^as/i, '')}`;
    case 'userid': return `entity/${encodeURIComponent(`userid:${value}`)}`;
    case 'organization': return `entity/${encodeURIComponent(`organization:${value}`)}`;
    default: return null;
  }
}

// A guess for an entity the log has never seen (it may still be reported, or simply unknown).
function rdapPath(q) {
  if (/^(as)?[0-9]+$/i.test(q)) return `autnum/${q.replace(/^as/i, '')}`;
  if (/^[0-9.]+(\/[0-9]+)?$/.test(q) || (q.includes(':') && /^[0-9a-f:.]+(\/[0-9]+)?$/i.test(q))) return `ip/${q}`;
  if (q.includes('.') && !q.includes('@') && !q.includes(' ')) return `domain/${encodeURIComponent(q)}`;
  return null;
}

function showReputation(answer) {
  const box = $('reputation');
  box.textContent = '';
  const reputation = answer && answer.repsec_reputation;
  const lines = [];
  if (reputation && reputation.allowlisted) lines.push('Allowlisted by the operator: not to be blocked, whatever the reports say.');
  for (const r of (reputation && reputation.reputons) || []) {
    lines.push(`${r.assertion}: rated ${r.rating} on a scale from 0 (not at all) to 1 (certainly), confidence ${r.confidence}, from ${r['sample-size']} report(s); across all entities the mean is ${r['normal-rating']}.`);
  }
  if (lines.length === 0) lines.push('No reports.');
  for (const text of lines) { const p = document.createElement('p'); p.textContent = text; box.append(p); }
}

async function verifyEntry(entry, history, checkpoint) {
  const leaf = entry.leaf;
  const canonical = `{"action":"${entry.action}","actor":"${leaf.actor}","at":"${entry.time}","index":${entry.log_index},"record":${leaf.record === null ? 'null' : `"${leaf.record}"`},"subject":"${leaf.subject}","v":1}`;
  const hash = await leafHash(encoder.encode(canonical));
  if (!await verifyInclusion(entry.log_index, checkpoint.size, hash, entry.inclusion.map(fromBase64), checkpoint.root)) return 'not in the signed log';
  if (!equal(await hmac(fromBase64(entry.opening.subject), `${history.type}\n${history.key}`), fromBase64(leaf.subject))) return 'not about this entity';
  if (entry.actor !== null && entry.opening.actor
      && !equal(await hmac(fromBase64(entry.opening.actor), entry.actor), fromBase64(leaf.actor))) return 'actor does not match';
  return null;
}

async function lookup(q) {
  $('result').hidden = false;
  $('entity-title').textContent = q;
  $('entity-summary').textContent = 'Looking up…';
  $('reputation').textContent = '';
  $('history-status').textContent = '';
  const rows = $('history').tBodies[0];
  rows.textContent = '';

  // The history first: it names the entity's type and canonical form, which say where RDAP has it.
  const history = await getJson(`/log/history?entity=${encodeURIComponent(q)}`);
  const path = history.status === 200 ? rdapPathOf(history.body.type, history.body.entity) : rdapPath(q);
  const rdap = path ? await getJson(`/rdap/${path}`) : { status: 0, body: null };
  if (rdap.status === 200) {
    const a = rdap.body;
    const events = (a.events || []).map((e) => `${e.eventAction} ${e.eventDate}`).join('; ');
    const registrant = (a.entities || []).find((e) => (e.roles || []).includes('registrant'));
    const card = registrant && registrant.vcardArray ? registrant.vcardArray[1] : [];
    const contact = ['fn', 'org', 'email'].map((field) => card.find((p) => p[0] === field)).filter(Boolean).map((p) => p[3]).join(', ');
    $('entity-summary').textContent = `${a.ldhName || a.handle || q} (${a.repsec_type || a.objectClassName}); ${(a.status || []).join(', ')}${events ? '; ' + events : ''}; registrant: ${contact || 'withheld'}`;
  } else {
    $('entity-summary').textContent = rdap.status === 404 ? 'Not registered.' : path ? `RDAP answered ${rdap.status}.` : 'No RDAP view for this kind of entity.';
  }
  showReputation(rdap.body);

  if (history.status !== 200) { $('history-status').textContent = history.body?.error || `No history (${history.status}).`; return; }
  $('entity-title').textContent = `${history.body.entity} (${history.body.type})`;
  const checkpoint = trusted ? await acceptCheckpoint(history.body.checkpoint) : null;
  let failures = 0;
  for (const entry of history.body.entries) {
    const row = document.createElement('tr');
    cell(row, String(entry.log_index));
    cell(row, entry.action);
    cell(row, entry.time);
    cell(row, entry.actor ?? 'withheld');
    if (!checkpoint) {
      cell(row, 'not verified', 'failed');
    } else {
      const problem = await verifyEntry(entry, history.body, checkpoint);
      cell(row, problem ? `FAILED: ${problem}` : 'verified', problem ? 'failed' : 'verified');
      if (problem) failures++;
    }
    rows.append(row);
  }
  if (!checkpoint) { $('history-status').textContent = 'Not verified: the log could not be trusted (see the alarm above).'; return; }
  if (failures > 0) alarm(`${failures} history entr${failures === 1 ? 'y does' : 'ies do'} not verify against the signed log: the history shown was altered.`);
  $('history-status').textContent = failures === 0
    ? `${history.body.entries.length} of ${history.body.entries.length} entr${history.body.entries.length === 1 ? 'y' : 'ies'} verified in this browser against the checkpoint of ${checkpoint.size} entries.`
    : `${failures} of ${history.body.entries.length} entries failed verification.`;
}

async function signIn(event) {
  event.preventDefault();
  const user = $('user').value.trim(), password = $('password').value, token = $('token').value.trim();
  const candidate = token ? { header: `Bearer ${token}`, name: 'token holder' }
    : user && password ? { header: `Basic ${btoa(String.fromCharCode(...encoder.encode(`${user}:${password}`)))}`, name: user } : null;
  if (!candidate) { $('signed-in').textContent = 'Give a user and password, or a token.'; return; }
  const previous = authorization;
  authorization = candidate;
  const check = await getJson('/log/checkpoint');
  if (check.status === 401) {
    authorization = previous;
    $('signed-in').textContent = 'Sign-in refused: the credentials were not accepted.';
    return;
  }
  $('password').value = ''; $('token').value = '';
  const reader = check.body.reader || { name: candidate.name, role: 'unknown' };
  $('signed-in').textContent = `Signed in as ${reader.name} (${reader.role}): answers show what that reader may see.`;
  $('signin').open = false;
  const q = new URLSearchParams(location.search).get('q');
  if (q) await lookup(q);
  if (reader.role === 'admin') await startOperatorView(); else stopOperatorView();
}

function signOut() {
  authorization = null;
  stopOperatorView();
  $('signed-in').textContent = 'Reading anonymously.';
  const q = new URLSearchParams(location.search).get('q');
  if (q) lookup(q).catch((e) => alarm(`The lookup failed: ${e.message}`));
}

// ---- the operator view (admins): figures every two seconds, and the CHANGES feed as it grows

const CHARTS = [
  { key: 'requests', label: 'RepSec requests', rate: true },
  { key: 'rdap_requests', label: 'RDAP requests', rate: true },
  { key: 'connections_rejected', label: 'Connections refused', rate: true },
  { key: 'rate_limited', label: 'Rate-limited requests', rate: true },
  { key: 'auth_failures', label: 'Failed authentications', rate: true },
  { key: 'log_size', label: 'Log size (entries)', rate: false },
];
const SVG = 'http://www.w3.org/2000/svg';
let operatorTimer = null;
let operatorState = null;

function chart(spec) {
  const figure = document.createElement('figure');
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 100 30');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG, 'polyline');
  svg.append(line);
  const caption = document.createElement('figcaption');
  caption.textContent = spec.label;
  figure.append(svg, caption);
  $('charts').append(figure);
  return { spec, line, caption, points: [] };
}

function draw(entry, value, total) {
  entry.points.push(value);
  if (entry.points.length > 30) entry.points.shift();
  const max = Math.max(1, ...entry.points);
  const step = 100 / Math.max(1, entry.points.length - 1);
  entry.line.setAttribute('points', entry.points.map((v, i) => `${i * step},${30 - (v * 28) / max - 1}`).join(' '));
  entry.caption.textContent = entry.spec.rate
    ? `${entry.spec.label}: ${value.toFixed(1)}/s now, ${total} since the view opened`
    : `${entry.spec.label}: ${total}`;
}

async function operatorTick() {
  const stats = await getJson('/admin/stats');
  if (stats.status !== 200) { stopOperatorView(); return; }
  const now = Date.parse(stats.body.at);
  if (!operatorState) {
    $('charts').textContent = '';
    operatorState = { charts: CHARTS.map(chart), last: null, cursor: '' };
    $('operator-since').textContent = `Counting since ${stats.body.since}; refreshed every 2 s.`;
  }
  for (const entry of operatorState.charts) {
    const total = stats.body[entry.spec.key];
    const previous = operatorState.last;
    const value = entry.spec.rate
      ? (previous ? (total - previous.body[entry.spec.key]) / Math.max(0.001, (now - previous.at) / 1000) : 0)
      : total;
    draw(entry, value, total);
  }
  operatorState.last = { at: now, body: stats.body };
  for (let more = true; more;) {
    const page = await getJson(`/admin/changes?cursor=${encodeURIComponent(operatorState.cursor)}`);
    if (page.status !== 200) break;
    for (const change of page.body.changes) {
      const item = document.createElement('li');
      const reputons = change.reputons.map((r) => `${r.assertion} ${r.rating} (confidence ${r.confidence})`).join('; ');
      item.textContent = `${change.changed_at} ${change.entity} (${change.type})${change.allowlisted ? ' allowlisted' : ''}: ${reputons || 'no reports'}`;
      $('changes').prepend(item);
    }
    while ($('changes').children.length > 50) $('changes').lastElementChild.remove();
    operatorState.cursor = page.body.cursor;
    more = page.body.more;
  }
}

async function startOperatorView() {
  stopOperatorView();
  const stats = await getJson('/admin/stats');
  if (stats.status !== 200) return;
  $('operator').hidden = false;
  operatorState = null;
  $('changes').textContent = '';
  await operatorTick();
  operatorTimer = setInterval(() => operatorTick().catch((e) => alarm(`The operator view failed: ${e.message}`)), 2000);
}

function stopOperatorView() {
  if (operatorTimer) clearInterval(operatorTimer);
  operatorTimer = null;
  operatorState = null;
  $('operator').hidden = true;
}

async function main() {
  $('signin-form').addEventListener('submit', (event) => {
    document.body.dataset.state = 'busy';
    signIn(event).catch((e) => alarm(`Sign-in failed: ${e.message}`)).finally(() => { document.body.dataset.state = 'done'; });
  });
  $('signout').addEventListener('click', signOut);
  const q = new URLSearchParams(location.search).get('q');
  if (q) $('q').value = q;
  $('lookup').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('q').value.trim();
    history.pushState(null, '', `/?q=${encodeURIComponent(value)}`);
    lookup(value).catch((e) => alarm(`The lookup failed: ${e.message}`));
  });
  await loadLog();
  if (q) await lookup(q);
  document.body.dataset.state = 'done';
}

main().catch((e) => { alarm(`The console failed: ${e.message}`); document.body.dataset.state = 'done'; });
