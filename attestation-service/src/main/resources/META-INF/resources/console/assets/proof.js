// SPDX-License-Identifier: Apache-2.0
// The audit entry's proof, checked in this browser with WebCrypto: the checkpoint's Ed25519
// signature against the log key pinned here (c2sp.org/signed-note), the entry's inclusion in the
// signed tree and the tree's consistency with the last checkpoint this browser saw (RFC 9162).
// The server is not trusted for any of it: it only serves the checkpoint and the proof hashes.

const PINNED_KEY = 'arca.audit.vkey';
const LAST_SEEN = 'arca.audit.lastCheckpoint';

const fromBase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const toBase64 = (b) => btoa(String.fromCharCode(...b));
const utf8 = (s) => new TextEncoder().encode(s);

async function sha256(...parts) {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

const leafHash = (leaf) => sha256(Uint8Array.of(0), leaf);
const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const odd = (n) => n % 2 === 1;
const half = (n) => Math.floor(n / 2);

/** A verifier key "name+keyhash+base64(0x01 || Ed25519 public key)". */
async function parseKey(vkey) {
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 1 || second !== first + 9) throw new Error('the key is not name+keyhash+key');
  const name = vkey.slice(0, first);
  const id = vkey.slice(first + 1, second);
  const raw = fromBase64(vkey.slice(second + 1));
  if (raw.length !== 33 || raw[0] !== 1) throw new Error('the key is not an Ed25519 note key');
  const hash = await sha256(utf8(name + '\n'), raw);
  const expectedId = [...hash.slice(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (expectedId !== id) throw new Error('the key hash does not match the key');
  const key = await crypto.subtle.importKey('raw', raw.slice(1), { name: 'Ed25519' }, false, ['verify']);
  return { name, id: hash.slice(0, 4), key };
}

/** Verifies a signed note with the pinned key; returns its origin, size and root. */
async function verifyCheckpoint(note, pinned) {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint is not a signed note');
  const body = note.slice(0, split + 1);
  let verified = false;
  for (const line of note.slice(split + 2).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== pinned.name) continue;
    const sig = fromBase64(m[2]);
    if (sig.length !== 68 || !same(sig.slice(0, 4), pinned.id)) continue;
    verified = await crypto.subtle.verify({ name: 'Ed25519' }, pinned.key, sig.slice(4), utf8(body));
    if (verified) break;
  }
  if (!verified) throw new Error("the checkpoint's signature does not verify with the pinned key");
  const [origin, size, root] = body.split('\n');
  if (!/^[0-9]+$/.test(size)) throw new Error('the checkpoint has no tree size');
  return { origin, size: Number(size), root: fromBase64(root) };
}

/** On the tree's right edge, climb while the node is a left child (RFC 9162's inner loop). */
function climbRightEdge(fn, sn) {
  while (!odd(fn) && fn !== 0) {
    fn = half(fn);
    sn = half(sn);
  }
  return [fn, sn];
}

/** The root an inclusion proof leads to (RFC 9162, 2.1.3.2). */
async function rootFromInclusion(index, size, leaf, proof) {
  if (index >= size) throw new Error('the entry is beyond the tree');
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new Error('the inclusion proof is too long');
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      [fn, sn] = climbRightEdge(fn, sn);
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new Error('the inclusion proof is too short');
  return r;
}

/** Whether a consistency proof shows the older tree is a prefix of the newer (RFC 9162, 2.1.4.2). */
async function consistent(older, newer, proof) {
  if (older.size === newer.size) return proof.length === 0 && same(older.root, newer.root);
  const path = (older.size & (older.size - 1)) === 0 ? [older.root, ...proof] : proof;
  if (path.length === 0) return false;
  let fn = older.size - 1;
  let sn = newer.size - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      [fn, sn] = climbRightEdge(fn, sn);
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && same(fr, older.root) && same(sr, newer.root);
}

async function json(url) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(url + ' answered ' + r.status);
  return r.json();
}

async function check(section, say) {
  const vkey = localStorage.getItem(PINNED_KEY);
  if (!vkey) throw new Error('no log key is pinned in this browser: pin the published key above');
  const pinned = await parseKey(vkey);
  const noteResponse = await fetch('/v1/audit/checkpoint', { cache: 'no-store' });
  const checkpoint = await verifyCheckpoint(await noteResponse.text(), pinned);
  say('The checkpoint of ' + checkpoint.size + ' entries is signed by the pinned key ' + pinned.name + '.');

  const index = Number(section.dataset.index);
  const leaf = fromBase64(section.dataset.leaf);
  const inclusion = await json('/v1/audit/proof/inclusion?index=' + index + '&size=' + checkpoint.size);
  const root = await rootFromInclusion(index, checkpoint.size, await leafHash(leaf), inclusion.proof.map(fromBase64));
  if (!same(root, checkpoint.root)) throw new Error("the entry's inclusion proof does not lead to the signed root");
  say('Entry #' + index + ' is in the signed tree, exactly as shown below.');

  const seen = JSON.parse(localStorage.getItem(LAST_SEEN) || 'null');
  if (seen && seen.origin === checkpoint.origin) {
    const older = { size: seen.size, root: fromBase64(seen.root) };
    if (older.size > checkpoint.size) {
      throw new Error('the log is smaller than the checkpoint of ' + older.size + ' entries this browser saw: it was rolled back');
    }
    const proof = older.size === checkpoint.size ? [] : (await json('/v1/audit/proof/consistency?from=' + older.size + '&to=' + checkpoint.size)).proof.map(fromBase64);
    if (!(await consistent(older, checkpoint, proof))) {
      throw new Error('the log is not consistent with the checkpoint of ' + older.size + ' entries this browser saw: it was rewritten');
    }
    say('The log only grew since the checkpoint of ' + older.size + ' entries this browser saw.');
  } else {
    say('This is the first checkpoint of this log this browser has seen; later checks will hold the log to it.');
  }
  localStorage.setItem(LAST_SEEN, JSON.stringify({ origin: checkpoint.origin, size: checkpoint.size, root: toBase64(checkpoint.root) }));
}

async function run(section) {
  const status = document.getElementById('proof-status');
  const steps = document.getElementById('proof-steps');
  steps.replaceChildren();
  status.className = 'status';
  status.textContent = 'Checking…';
  const say = (text) => {
    const li = document.createElement('li');
    li.textContent = text;
    steps.append(li);
  };
  try {
    await check(section, say);
    status.className = 'status ok';
    status.textContent = 'Verified: this entry is in the log the pinned key signs.';
  } catch (e) {
    status.className = 'status bad';
    status.textContent = 'NOT VERIFIED: ' + e.message + '.';
  }
}

// The checks themselves, for a page (or a test) that imports this module.
export { parseKey, verifyCheckpoint, leafHash, rootFromInclusion, consistent, fromBase64 };

const section = document.getElementById('proof');
if (section) {
  const input = document.getElementById('vkey');
  input.value = localStorage.getItem(PINNED_KEY) || '';
  document.getElementById('pin').addEventListener('submit', (event) => {
    event.preventDefault();
    localStorage.setItem(PINNED_KEY, input.value.trim());
    run(section);
  });
  run(section);
}
