/* Aduan web chat. Plain ES2020, no dependencies. The server drives the conversation;
   this page renders messages/buttons and posts what the citizen types, taps or uploads. */
'use strict';
(() => {
  // Last-resort chrome texts, used only if GET /chat/texts fails (or lacks a key).
  const FALLBACK = {
    'web.title': 'Aduan',
    'web.subtitle': 'Layanan pengaduan masyarakat',
    'web.placeholder': 'Tulis pesan…',
    'web.send': 'Kirim',
    'web.share_location': 'Bagikan lokasi saya',
    'web.location_unsupported': 'Lokasi tidak tersedia di perangkat ini. Silakan ketik alamatnya.',
    'web.location_denied': 'Izin lokasi ditolak. Silakan ketik alamatnya.',
    'web.attach_photo': 'Lampirkan foto',
    'web.uploading': 'Mengunggah foto…',
    'web.upload_too_large': 'Foto terlalu besar (maksimal 10 MB).',
    'web.error_network': 'Koneksi bermasalah. Periksa internet Anda lalu coba lagi.',
    'web.new_chat': 'Percakapan baru',
    'web.language': 'Bahasa',
    'web.privacy_notice': 'Kami menyimpan data Anda untuk menindaklanjuti laporan. Ketik '
      + '/data_saya untuk melihatnya, /hapus_data untuk menghapusnya.',
  };
  const SKEY = 'aduan.session';
  const LKEY = 'aduan.lang';
  const MAX_UPLOAD = 10 * 1024 * 1024;
  const MANY = 8; // more options than this: compact vertical list

  const $ = (s) => document.querySelector(s);
  const log = $('#log');
  const input = $('#input');
  const fileInput = $('#file');

  const store = {
    get: (k) => { try { return localStorage.getItem(k); } catch { return null; } },
    set: (k, v) => { try { localStorage.setItem(k, v); } catch { /* private mode */ } },
    del: (k) => { try { localStorage.removeItem(k); } catch { /* ignore */ } },
  };

  const st = {
    lang: store.get(LKEY) === 'en' ? 'en' : 'id',
    texts: {},
    session: null,
    last: 0, // highest message id (or server cursor) seen
    seen: new Set(),
    latest: null, // {msg, row} of the newest bot message
    answered: false, // citizen replied after the newest bot message
    actions: null,
    gen: 0, // bumps on every session switch; stale work checks it
    pollGen: 0,
    pollCtl: null,
    queue: Promise.resolve(),
  };

  const t = (k) => st.texts[k] || FALLBACK[k] || '';
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16)); // works outside secure contexts
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  /* ---------- texts / chrome ---------- */

  async function loadTexts(lang) {
    try {
      const r = await req(`/chat/texts?lang=${lang}`);
      if (r.ok && r.data && r.data.texts) { st.texts = r.data.texts; return true; }
    } catch { /* keep what we have */ }
    return false;
  }

  function applyTexts() {
    document.documentElement.lang = st.lang;
    document.title = t('web.title');
    for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
    for (const e of document.querySelectorAll('[data-t-aria]')) {
      e.setAttribute('aria-label', t(e.dataset.tAria));
      e.title = t(e.dataset.tAria);
    }
    for (const e of document.querySelectorAll('[data-t-ph]')) e.placeholder = t(e.dataset.tPh);
    for (const b of document.querySelectorAll('[data-lang]')) {
      b.setAttribute('aria-pressed', String(b.dataset.lang === st.lang));
    }
    if (st.actions) refreshActions(); // re-label the location button
  }

  /* ---------- HTTP ---------- */

  async function req(path, { method = 'GET', body, signal } = {}) {
    const init = { method, signal, cache: 'no-store', headers: { Accept: 'application/json' } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(path, init); // throws on network failure
    let data = null;
    try { data = await res.json(); } catch { /* empty or non-JSON body */ }
    return { ok: res.ok, status: res.status, data };
  }

  const transient = (s) => s >= 500 || s === 408 || s === 429;

  // Same request (same body, same client_id) up to 3 retries with backoff.
  async function withRetry(fn) {
    for (let i = 0; ; i++) {
      try {
        const r = await fn();
        if (!transient(r.status) || i === 3) return r;
      } catch (e) {
        if (i === 3) throw e;
      }
      await sleep(800 * 2 ** i + Math.random() * 400);
    }
  }

  function detailOf(r) {
    const d = r && r.data && r.data.detail;
    if (typeof d === 'string' && d) return d;
    if (Array.isArray(d) && d[0] && d[0].msg) return String(d[0].msg); // FastAPI 422
    return t('web.error_network');
  }

  /* ---------- rendering ---------- */

  function fmtTime(at) {
    const d = at ? new Date(at) : new Date();
    if (isNaN(d)) return '';
    const loc = st.lang === 'en' ? 'en-GB' : 'id-ID';
    const o = { hour: '2-digit', minute: '2-digit' };
    if (d.toDateString() !== new Date().toDateString()) { o.day = 'numeric'; o.month = 'short'; }
    try { return d.toLocaleString(loc, o); } catch { return ''; }
  }

  function scrollDown() {
    requestAnimationFrame(() => { log.scrollTop = log.scrollHeight; });
  }

  function bubble(side, text, at) {
    const row = el('div', `msg ${side}`);
    const b = el('div', 'bubble');
    if (text) b.append(el('div', 'txt', text)); // textContent: never HTML
    const tm = el('time', null, fmtTime(at));
    if (at) tm.dateTime = at;
    b.append(tm);
    row.append(b);
    log.append(row);
    scrollDown();
    return row;
  }

  // A message's images (a report's photos), under its bubble; each opens full size.
  function gallery(row, media) {
    const items = (Array.isArray(media) ? media : []).filter(
      (x) => x && typeof x.url === 'string' && x.url.startsWith('/chat/media/'));
    if (!items.length) return;
    const g = el('div', 'gallery');
    for (const x of items) {
      const a = el('a', 'shot');
      a.href = x.url;
      a.target = '_blank';
      a.rel = 'noopener';
      const img = el('img', 'photo');
      img.alt = x.filename || '';
      img.loading = 'lazy';
      img.decoding = 'async';
      img.addEventListener('load', scrollDown, { once: true });
      img.src = x.url;
      a.append(img);
      g.append(a);
    }
    row.classList.add('has-media');
    row.append(g);
    scrollDown();
  }

  function notice(text) {
    const n = el('div', 'notice', text);
    n.setAttribute('role', 'status');
    log.append(n);
    scrollDown();
    return n;
  }

  const isMine = (m) => m.from === 'user' || m.role === 'user' || m.from === 'citizen';

  function ingest(data) {
    if (!data) return;
    const list = Array.isArray(data.messages) ? [...data.messages] : [];
    list.sort((a, b) => a.id - b.id);
    let fresh = false;
    for (const m of list) {
      if (m == null || m.id == null || st.seen.has(m.id)) continue;
      st.seen.add(m.id);
      if (typeof m.id === 'number') st.last = Math.max(st.last, m.id);
      if (isMine(m)) {
        bubble('me', m.text, m.at);
        st.answered = true;
      } else {
        const row = bubble('bot', m.text, m.at);
        gallery(row, m.media);
        st.latest = { msg: m, row };
        st.answered = false;
      }
      fresh = true;
    }
    if (typeof data.cursor === 'number') st.last = Math.max(st.last, data.cursor);
    if (fresh) refreshActions();
    return fresh;
  }

  // Buttons for the newest bot message only; gone once the citizen answers.
  function refreshActions() {
    if (st.actions) { st.actions.remove(); st.actions = null; }
    const cur = st.latest;
    if (!cur || st.answered) return;
    const opts = Array.isArray(cur.msg.options) ? cur.msg.options : [];
    if (!opts.length && !cur.msg.ask_location) return;
    const box = el('div', 'actions');
    if (cur.msg.ask_location) {
      const lb = el('button', 'loc', `📍 ${t('web.share_location')}`);
      lb.type = 'button';
      lb.addEventListener('click', () => shareLocation(lb));
      box.append(lb);
    }
    if (opts.length) {
      const g = el('div', opts.length > MANY ? 'opts list' : 'opts');
      g.setAttribute('role', 'group');
      for (const o of opts) {
        const b = el('button', 'opt', o.label);
        b.type = 'button';
        b.addEventListener('click', () => sendOption(o));
        g.append(b);
      }
      box.append(g);
    }
    cur.row.after(box);
    st.actions = box;
    scrollDown();
  }

  function answered() {
    st.answered = true;
    refreshActions();
  }

  /* ---------- sending ---------- */

  function enqueue(payload, row, opts = {}) {
    const gen = st.gen;
    const job = () => (gen === st.gen ? deliver(payload, row, opts) : null);
    st.queue = st.queue.then(job, job);
    return st.queue;
  }

  async function deliver(payload, row, { upload = false } = {}) {
    const asked = st.latest;
    if (!st.session && !(await createSession())) { fail(row); return; }
    const session = st.session;
    const clientId = uuid();
    let body;
    if (upload) {
      body = new FormData();
      body.append('session', session);
      body.append('client_id', clientId);
      body.append('after', String(st.last));
      body.append('file', payload.file, payload.file.name || 'photo');
    } else {
      body = { session, client_id: clientId, after: st.last, ...payload };
    }
    let r;
    try {
      r = await withRetry(() => req(upload ? '/chat/upload' : '/chat/send', { method: 'POST', body }));
    } catch {
      r = null;
    }
    if (session !== st.session) return;
    if (row) row.classList.remove('pending');
    const cap = row && row.querySelector('.cap');
    if (cap) cap.remove();
    if (r && r.ok) { ingest(r.data); return; }
    fail(row);
    if (row && st.latest === asked && st.answered) { st.answered = false; refreshActions(); } // let them retry
    if (payload.text && row && !input.value) { input.value = payload.text; grow(); }
    if (r && r.status === 413) notice(t('web.upload_too_large'));
    else notice(r && r.status < 500 ? detailOf(r) : t('web.error_network'));
  }

  function fail(row) {
    if (row) { row.classList.remove('pending'); row.classList.add('failed'); }
  }

  function mine(text) {
    const row = bubble('me', text);
    row.classList.add('pending');
    return row;
  }

  function sendText() {
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    grow();
    const row = mine(text);
    answered();
    enqueue({ text }, row);
  }

  function sendOption(o) {
    const row = mine(o.label);
    answered();
    enqueue({ option: o.id }, row);
    input.focus({ preventScroll: true });
  }

  function shareLocation(btn) {
    if (!navigator.geolocation || !window.isSecureContext) {
      notice(t('web.location_unsupported'));
      return;
    }
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        const { latitude, longitude } = p.coords;
        const row = mine(`📍 ${latitude.toFixed(5)}, ${longitude.toFixed(5)}`);
        answered();
        enqueue({ location: { latitude, longitude } }, row);
      },
      (e) => {
        btn.disabled = false;
        btn.removeAttribute('aria-busy');
        notice(t(e && e.code === 1 ? 'web.location_denied' : 'web.location_unsupported'));
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  }

  function sendFile(file) {
    if (!file) return;
    if (file.size > MAX_UPLOAD) { notice(t('web.upload_too_large')); return; }
    const row = mine('');
    const b = row.querySelector('.bubble');
    const img = el('img', 'photo');
    img.alt = file.name || '';
    img.src = URL.createObjectURL(file);
    img.addEventListener('load', scrollDown, { once: true });
    b.prepend(img, el('div', 'cap', t('web.uploading')));
    answered();
    enqueue({ file }, row, { upload: true });
  }

  /* ---------- session + long poll ---------- */

  function reset() {
    st.gen++;
    stopPoll();
    st.session = null;
    st.last = 0;
    st.seen = new Set();
    st.latest = null;
    st.answered = false;
    st.actions = null;
    st.queue = Promise.resolve();
    log.textContent = '';
  }

  async function createSession() {
    const gen = st.gen;
    let r = null;
    try {
      r = await withRetry(() => req('/chat/session', { method: 'POST', body: { lang: st.lang } }));
    } catch { /* network */ }
    if (gen !== st.gen) return false;
    if (r && r.ok && r.data && r.data.session) {
      st.session = r.data.session;
      store.set(SKEY, st.session);
      ingest(r.data);
      startPoll();
      return true;
    }
    notice(r && r.status < 500 ? detailOf(r) : t('web.error_network'));
    return false;
  }

  async function startNew() {
    store.del(SKEY);
    reset();
    await createSession();
  }

  async function resume(token) {
    const gen = st.gen;
    let r = null;
    try {
      r = await withRetry(() => req(`/chat/messages?session=${encodeURIComponent(token)}&after=0`));
    } catch { /* network */ }
    if (gen !== st.gen) return;
    if (r && r.status === 404) { await startNew(); return; }
    st.session = token;
    if (r && r.ok) ingest(r.data);
    else notice(r && r.status < 500 ? detailOf(r) : t('web.error_network'));
    startPoll(); // after=0 until history arrives, so nothing is lost
  }

  function stopPoll() {
    st.pollGen++;
    if (st.pollCtl) st.pollCtl.abort();
    st.pollCtl = null;
  }

  function startPoll() {
    stopPoll();
    if (st.session) poll(st.pollGen, st.session);
  }

  async function poll(pg, session) {
    let delay = 1000;
    while (pg === st.pollGen) {
      const ctl = new AbortController();
      st.pollCtl = ctl;
      const timer = setTimeout(() => ctl.abort(), 45000);
      const t0 = Date.now();
      let r = null;
      try {
        const q = `session=${encodeURIComponent(session)}&after=${st.last}&wait=25`;
        r = await req(`/chat/messages?${q}`, { signal: ctl.signal });
      } catch { /* network or abort */ }
      clearTimeout(timer);
      if (pg !== st.pollGen) return;
      if (r && r.ok) {
        const fresh = ingest(r.data);
        delay = 1000;
        if (!fresh && Date.now() - t0 < 1000) await sleep(1000); // server not waiting: don't spin
        continue;
      }
      if (r && r.status === 404) { // the session is gone (e.g. /hapus_data): keep what is shown
        st.session = null;
        store.del(SKEY);
        notice(detailOf(r)); // the next message starts a new session
        return;
      }
      await sleep(delay + Math.random() * 500);
      delay = Math.min(delay * 2, 30000);
    }
  }

  /* ---------- composer + chrome wiring ---------- */

  function grow() {
    input.style.height = 'auto';
    const h = input.scrollHeight + input.offsetHeight - input.clientHeight; // + borders
    input.style.height = `${h}px`; // CSS max-height caps it at ~5 lines
    input.style.overflowY = h > input.offsetHeight ? 'auto' : 'hidden';
  }

  $('#composer').addEventListener('submit', (e) => { e.preventDefault(); sendText(); });
  input.addEventListener('input', grow);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      sendText();
    }
  });
  $('#attach').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const f = fileInput.files && fileInput.files[0];
    fileInput.value = '';
    sendFile(f);
  });
  $('#new').addEventListener('click', () => { startNew(); input.focus({ preventScroll: true }); });

  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', async () => {
      const lang = b.dataset.lang;
      if (lang === st.lang) return;
      st.lang = lang;
      store.set(LKEY, lang);
      applyTexts();
      await loadTexts(lang);
      applyTexts();
      if (st.session) enqueue({ text: `/bahasa ${lang}` }, null);
    });
  }

  const wake = () => { if (st.session && document.visibilityState === 'visible') startPoll(); };
  document.addEventListener('visibilitychange', wake);
  window.addEventListener('online', wake);

  async function boot() {
    applyTexts();
    await loadTexts(st.lang);
    applyTexts();
    const token = store.get(SKEY);
    if (token) await resume(token);
    else await startNew();
  }
  boot();
})();
