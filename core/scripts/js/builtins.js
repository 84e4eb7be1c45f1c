// Small hand-written stand-ins for the Node/browser built-ins Postman's sandbox offers:
// atob/btoa, Buffer, URL/URLSearchParams, TextEncoder/TextDecoder, and the modules
// buffer, url, querystring, util, path, events, timers, assert, string_decoder, uuid.
(function (G) {
  'use strict';
  const W = G.__wirecall;
  const builtins = W.builtins = W.builtins || {};
  const define = (name, value) => Object.defineProperty(G, name, { value, writable: true, configurable: true, enumerable: false });

  // -- Sugar's String#has -----------------------------------------------------------------
  // Newman's sandbox carries Sugar.js; of its prototype methods, legacy collections use
  // `responseBody.has('text')` (a string or a RegExp searched in the string).
  Object.defineProperty(String.prototype, 'has', {
    value: function has(find) {
      const pattern = find instanceof RegExp ? find : String(find).replace(/([\\/'*+?|()[\]{}.^$-])/g, '\\$1');
      return this.search(pattern) !== -1;
    },
    writable: true,
    configurable: true,
  });

  // -- UTF-8 and base64 -----------------------------------------------------------------
  const utf8Encode = (str) => {
    const out = [];
    for (const ch of String(str)) {
      let c = ch.codePointAt(0);
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return Uint8Array.from(out);
  };
  const utf8Decode = (bytes) => {
    let out = '';
    for (let i = 0; i < bytes.length;) {
      const b = bytes[i];
      const need = b < 0x80 ? 0 : b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
      if (need < 0 || i + need >= bytes.length + (need ? 0 : 1) && need) { out += '\ufffd'; i++; continue; }
      let c = need === 0 ? b : b & (0x3f >> need);
      let ok = true;
      for (let k = 1; k <= need; k++) {
        const n = bytes[i + k];
        if ((n & 0xc0) !== 0x80) { ok = false; break; }
        c = (c << 6) | (n & 63);
      }
      if (!ok) { out += '\ufffd'; i++; continue; }
      out += String.fromCodePoint(c);
      i += need + 1;
    }
    return out;
  };
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const b64Encode = (bytes) => {
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[n & 63] : '=');
    }
    return out;
  };
  const b64Decode = (text) => {
    const clean = String(text).replace(/[\s=]/g, '').replace(/-/g, '+').replace(/_/g, '/');
    const out = [];
    let bits = 0; let acc = 0;
    for (const ch of clean) {
      const v = B64.indexOf(ch);
      if (v < 0) throw new DOMExceptionLike('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
      acc = (acc << 6) | v; bits += 6;
      if (bits >= 8) { bits -= 8; out.push((acc >> bits) & 0xff); }
    }
    return Uint8Array.from(out);
  };
  class DOMExceptionLike extends Error { constructor(message, name) { super(message); this.name = name; } }
  W.bytesFromBase64 = (text) => Buffer.from(b64Decode(text));
  W.textFromBase64 = (text) => utf8Decode(b64Decode(text));

  const btoa = (s) => {
    s = String(s);
    const bytes = [];
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 255) throw new DOMExceptionLike('Invalid character', 'InvalidCharacterError');
      bytes.push(c);
    }
    return b64Encode(bytes);
  };
  const atob = (s) => String.fromCharCode(...b64Decode(s));
  define('btoa', btoa);
  define('atob', atob);

  class TextEncoder { get encoding() { return 'utf-8'; } encode(s = '') { return utf8Encode(s); } }
  class TextDecoder {
    get encoding() { return 'utf-8'; }
    decode(b = new Uint8Array()) { return utf8Decode(b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer || b, b.byteOffset || 0, b.byteLength === undefined ? b.length : b.byteLength)); }
  }
  define('TextEncoder', TextEncoder);
  define('TextDecoder', TextDecoder);

  // -- Buffer ----------------------------------------------------------------------------
  const hexDecode = (s) => Uint8Array.from((String(s).match(/../g) || []).map((h) => parseInt(h, 16)));
  const latin1 = (s) => Uint8Array.from(String(s), (c) => c.charCodeAt(0) & 0xff);
  class Buffer extends Uint8Array {
    static from(value, encoding) {
      if (typeof value === 'string') {
        const enc = String(encoding || 'utf8').toLowerCase();
        const bytes = enc === 'base64' || enc === 'base64url' ? b64Decode(value)
          : enc === 'hex' ? hexDecode(value)
            : enc === 'binary' || enc === 'latin1' || enc === 'ascii' ? latin1(value) : utf8Encode(value);
        return Buffer._wrap(bytes);
      }
      if (value instanceof ArrayBuffer) return new Buffer(value, encoding, arguments[2]);
      if (value && value.type === 'Buffer' && Array.isArray(value.data)) return Buffer._wrap(Uint8Array.from(value.data));
      return Buffer._wrap(Uint8Array.from(value));
    }
    static _wrap(bytes) { const b = new Buffer(bytes.length); b.set(bytes); return b; }
    static alloc(n, fill) { const b = new Buffer(n); if (fill !== undefined) b.fill(typeof fill === 'string' ? fill.charCodeAt(0) : fill); return b; }
    static allocUnsafe(n) { return new Buffer(n); }
    static isBuffer(b) { return b instanceof Buffer; }
    static byteLength(s, enc) { return Buffer.from(s, enc).length; }
    static concat(list, total) {
      total = total === undefined ? list.reduce((n, b) => n + b.length, 0) : total;
      const out = Buffer.alloc(total);
      let at = 0;
      for (const b of list) { out.set(b.subarray(0, Math.max(0, total - at)), at); at += b.length; if (at >= total) break; }
      return out;
    }
    static isEncoding(e) { return ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'ascii', 'latin1', 'binary'].includes(String(e).toLowerCase()); }
    toString(encoding, start = 0, end = this.length) {
      const bytes = this.subarray(start, end);
      const enc = String(encoding || 'utf8').toLowerCase();
      if (enc === 'base64') return b64Encode(bytes);
      if (enc === 'base64url') return b64Encode(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      if (enc === 'hex') return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      if (enc === 'binary' || enc === 'latin1' || enc === 'ascii') return String.fromCharCode(...bytes);
      return utf8Decode(bytes);
    }
    toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
    equals(other) { return this.length === other.length && this.every((b, i) => b === other[i]); }
    write(str, offset = 0) { const b = utf8Encode(str); this.set(b.subarray(0, this.length - offset), offset); return Math.min(b.length, this.length - offset); }
    slice(start, end) { return this.subarray(start, end); }
    subarray(start, end) { const s = Uint8Array.prototype.subarray.call(this, start, end); Object.setPrototypeOf(s, Buffer.prototype); return s; }
    readUInt8(i) { return this[i]; }
  }
  define('Buffer', Buffer);

  // -- querystring / URLSearchParams / URL ---------------------------------------------------
  const decode = (s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch (e) { return s; } };
  const querystring = {
    parse(str, sep = '&', eq = '=') {
      const out = {};
      for (const part of String(str || '').split(sep)) {
        if (!part) continue;
        const i = part.indexOf(eq);
        const k = decode(i < 0 ? part : part.slice(0, i));
        const v = i < 0 ? '' : decode(part.slice(i + eq.length));
        out[k] = k in out ? [].concat(out[k], v) : v;
      }
      return out;
    },
    stringify(obj, sep = '&', eq = '=') {
      return Object.keys(obj || {}).map((k) => [].concat(obj[k]).map((v) => `${querystring.escape(k)}${eq}${querystring.escape(v === undefined || v === null ? '' : v)}`).join(sep)).join(sep);
    },
    escape: (s) => encodeURIComponent(String(s)),
    unescape: decode,
  };
  querystring.decode = querystring.parse;
  querystring.encode = querystring.stringify;

  class URLSearchParams {
    constructor(init) {
      this._list = [];
      if (typeof init === 'string') {
        for (const part of init.replace(/^\?/, '').split('&')) {
          if (!part) continue;
          const i = part.indexOf('=');
          this._list.push([decode(i < 0 ? part : part.slice(0, i)), i < 0 ? '' : decode(part.slice(i + 1))]);
        }
      } else if (init && typeof init[Symbol.iterator] === 'function') {
        for (const [k, v] of init) this._list.push([String(k), String(v)]);
      } else if (init) {
        for (const k of Object.keys(init)) this._list.push([k, String(init[k])]);
      }
    }
    append(k, v) { this._list.push([String(k), String(v)]); this._update(); }
    delete(k) { this._list = this._list.filter(([n]) => n !== k); this._update(); }
    get(k) { const e = this._list.find(([n]) => n === k); return e ? e[1] : null; }
    getAll(k) { return this._list.filter(([n]) => n === k).map(([, v]) => v); }
    has(k) { return this._list.some(([n]) => n === k); }
    set(k, v) {
      const i = this._list.findIndex(([n]) => n === k);
      if (i < 0) this._list.push([String(k), String(v)]);
      else { this._list[i][1] = String(v); this._list = this._list.filter(([n], j) => n !== k || j === i); }
      this._update();
    }
    sort() { this._list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); this._update(); }
    forEach(fn, ctx) { for (const [k, v] of this._list) fn.call(ctx, v, k, this); }
    keys() { return this._list.map(([k]) => k)[Symbol.iterator](); }
    values() { return this._list.map(([, v]) => v)[Symbol.iterator](); }
    entries() { return this._list.map((e) => e.slice())[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
    get size() { return this._list.length; }
    toString() {
      const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
      return this._list.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
    }
    _update() { if (this._url) this._url._search = this._list.length ? '?' + this.toString() : ''; }
  }

  const URL_RE = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(?:\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?)?([^?#]*)(\?[^#]*)?(#.*)?$/;
  const DEFAULT_PORTS = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21' };
  class URL {
    constructor(url, base) {
      url = String(url);
      if (base !== undefined && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url)) {
        const b = new URL(base);
        if (url.startsWith('//')) url = b.protocol + url;
        else if (url.startsWith('/')) url = b.origin + url;
        else if (url.startsWith('?')) url = b.origin + b.pathname + url;
        else if (url.startsWith('#')) url = b.origin + b.pathname + b.search + url;
        else url = b.origin + b.pathname.replace(/[^/]*$/, '') + url;
      }
      const m = URL_RE.exec(url.trim());
      if (!m || (m[4] === undefined && /^(https?|wss?|ftp):$/i.test(m[1]))) throw new TypeError(`Invalid URL: ${url}`);
      this.protocol = m[1].toLowerCase();
      this.username = m[2] || '';
      this.password = m[3] || '';
      this.hostname = (m[4] || '').toLowerCase();
      this.port = m[5] && m[5] !== DEFAULT_PORTS[this.protocol] ? m[5] : '';
      const path = m[6] || (m[4] !== undefined ? '/' : '');
      const segments = [];
      for (const seg of path.split('/').slice(1)) {
        if (seg === '..') segments.pop(); else if (seg !== '.') segments.push(seg);
      }
      this.pathname = m[4] !== undefined ? '/' + segments.join('/') : path;
      this._search = m[7] && m[7] !== '?' ? m[7] : '';
      this.hash = m[8] && m[8] !== '#' ? m[8] : '';
    }
    get host() { return this.hostname + (this.port ? `:${this.port}` : ''); }
    get origin() { return `${this.protocol}//${this.host}`; }
    get search() { return this._search; }
    set search(v) { v = String(v); this._search = v && v !== '?' ? (v[0] === '?' ? v : `?${v}`) : ''; this._params = undefined; }
    get searchParams() {
      if (!this._params) { this._params = new URLSearchParams(this._search); this._params._url = this; }
      return this._params;
    }
    get href() {
      const auth = this.username ? this.username + (this.password ? `:${this.password}` : '') + '@' : '';
      return `${this.protocol}//${auth}${this.host}${this.pathname}${this._search}${this.hash}`;
    }
    toString() { return this.href; }
    toJSON() { return this.href; }
  }
  define('URL', URL);
  define('URLSearchParams', URLSearchParams);

  // -- util, events, path, assert ----------------------------------------------------------
  const inspect = (v) => (G.__wirecall_chai && G.__wirecall_chai.inspect ? G.__wirecall_chai.inspect(v) : JSON.stringify(W.plain(v)));
  const format = (fmt, ...args) => {
    if (typeof fmt !== 'string') return [fmt, ...args].map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
    let i = 0;
    let out = fmt.replace(/%[sdifjoO%]/g, (t) => {
      if (t === '%%') return '%';
      if (i >= args.length) return t;
      const a = args[i++];
      if (t === '%s') return String(a);
      if (t === '%d' || t === '%i') return String(t === '%i' ? parseInt(a, 10) : Number(a));
      if (t === '%f') return String(parseFloat(a));
      if (t === '%j') return JSON.stringify(a);
      return inspect(a);
    });
    for (; i < args.length; i++) out += ' ' + (typeof args[i] === 'string' ? args[i] : inspect(args[i]));
    return out;
  };
  const util = {
    format, inspect,
    inherits(ctor, superCtor) { Object.setPrototypeOf(ctor.prototype, superCtor.prototype); ctor.super_ = superCtor; },
    promisify: (fn) => (...args) => new Promise((resolve, reject) => fn(...args, (err, value) => (err ? reject(err) : resolve(value)))),
    deprecate: (fn) => fn,
    isArray: Array.isArray,
    isString: (v) => typeof v === 'string',
    isNumber: (v) => typeof v === 'number',
    isObject: (v) => v !== null && typeof v === 'object',
    isFunction: (v) => typeof v === 'function',
    isUndefined: (v) => v === undefined,
    isDeepStrictEqual: (a, b) => JSON.stringify(a) === JSON.stringify(b),
    types: { isDate: (v) => v instanceof Date, isRegExp: (v) => v instanceof RegExp },
    TextEncoder, TextDecoder,
  };

  // A plain function (not a class): old libraries call EventEmitter.call(this).
  function EventEmitter() { this._events = this._events || {}; }
  Object.assign(EventEmitter.prototype, {
    on(name, fn) { ((this._events = this._events || {})[name] = this._events[name] || []).push(fn); return this; },
    addListener(name, fn) { return this.on(name, fn); },
    prependListener(name, fn) { ((this._events = this._events || {})[name] = this._events[name] || []).unshift(fn); return this; },
    once(name, fn) { const w = (...a) => { this.off(name, w); fn.apply(this, a); }; w.listener = fn; return this.on(name, w); },
    off(name, fn) { this._events = this._events || {}; this._events[name] = (this._events[name] || []).filter((f) => f !== fn && f.listener !== fn); return this; },
    removeListener(name, fn) { return this.off(name, fn); },
    removeAllListeners(name) { if (name === undefined) this._events = {}; else delete this._events[name]; return this; },
    emit(name, ...args) {
      const list = (this._events && this._events[name]) || [];
      if (name === 'error' && !list.length) throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error. (${args[0]})`);
      for (const fn of list.slice()) fn.apply(this, args);
      return list.length > 0;
    },
    listeners(name) { return ((this._events && this._events[name]) || []).map((f) => f.listener || f); },
    listenerCount(name) { return this.listeners(name).length; },
    setMaxListeners() { return this; },
    eventNames() { return Object.keys(this._events || {}); },
  });
  EventEmitter.EventEmitter = EventEmitter;
  EventEmitter.defaultMaxListeners = 10;

  const path = {
    sep: '/', delimiter: ':',
    normalize(p) {
      const abs = p.startsWith('/');
      const out = [];
      for (const seg of p.split('/')) {
        if (!seg || seg === '.') continue;
        if (seg === '..') { if (out.length && out[out.length - 1] !== '..') out.pop(); else if (!abs) out.push('..'); } else out.push(seg);
      }
      const joined = (abs ? '/' : '') + out.join('/');
      return (joined || (abs ? '/' : '.')) + (p.endsWith('/') && out.length ? '/' : '');
    },
    join: (...parts) => path.normalize(parts.filter((p) => p !== '').join('/') || '.'),
    resolve: (...parts) => {
      let out = '';
      for (const p of parts) out = p.startsWith('/') ? p : `${out}/${p}`;
      return path.normalize(out.startsWith('/') ? out : `/${out}`).replace(/(.)\/$/, '$1');
    },
    isAbsolute: (p) => p.startsWith('/'),
    dirname: (p) => { const i = p.replace(/\/+$/, '').lastIndexOf('/'); return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i); },
    basename: (p, ext) => { let b = p.replace(/\/+$/, '').split('/').pop(); if (ext && b.endsWith(ext)) b = b.slice(0, -ext.length); return b; },
    extname: (p) => { const b = path.basename(p); const i = b.lastIndexOf('.'); return i <= 0 ? '' : b.slice(i); },
    relative: (from, to) => {
      const a = path.resolve(from).split('/').filter(Boolean);
      const b = path.resolve(to).split('/').filter(Boolean);
      while (a.length && b.length && a[0] === b[0]) { a.shift(); b.shift(); }
      return [...a.map(() => '..'), ...b].join('/');
    },
    parse: (p) => { const base = path.basename(p); const ext = path.extname(p); return { root: p.startsWith('/') ? '/' : '', dir: path.dirname(p), base, ext, name: ext ? base.slice(0, -ext.length) : base }; },
  };
  path.posix = path;

  class AssertionError extends Error {
    constructor(opts) { super(opts.message); this.name = 'AssertionError'; this.actual = opts.actual; this.expected = opts.expected; this.operator = opts.operator; this.code = 'ERR_ASSERTION'; }
  }
  const same = (a, b) => a === b || (a !== a && b !== b); // eslint-disable-line no-self-compare
  const deepEqual = (a, b, strict) => {
    if (strict ? same(a, b) : a == b) return true; // eslint-disable-line eqeqeq
    if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    const ka = Object.keys(a); const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k], strict));
  };
  const check = (ok, actual, expected, operator, message, fallback) => {
    if (ok) return;
    if (message instanceof Error) throw message;
    throw new AssertionError({ message: message || fallback, actual, expected, operator });
  };
  const assert = (value, message) => check(value, value, true, '==', message, 'The expression evaluated to a falsy value');
  Object.assign(assert, {
    AssertionError,
    ok: assert,
    equal: (a, b, m) => check(a == b, a, b, '==', m, `${inspect(a)} == ${inspect(b)}`), // eslint-disable-line eqeqeq
    notEqual: (a, b, m) => check(a != b, a, b, '!=', m, `${inspect(a)} != ${inspect(b)}`), // eslint-disable-line eqeqeq
    strictEqual: (a, b, m) => check(same(a, b), a, b, 'strictEqual', m, `Expected values to be strictly equal:\n\n${inspect(a)} !== ${inspect(b)}\n`),
    notStrictEqual: (a, b, m) => check(!same(a, b), a, b, 'notStrictEqual', m, `Expected "actual" to be strictly unequal to: ${inspect(b)}`),
    deepEqual: (a, b, m) => check(deepEqual(a, b, false), a, b, 'deepEqual', m, 'Expected values to be loosely deep-equal'),
    deepStrictEqual: (a, b, m) => check(deepEqual(a, b, true), a, b, 'deepStrictEqual', m, 'Expected values to be strictly deep-equal'),
    notDeepEqual: (a, b, m) => check(!deepEqual(a, b, false), a, b, 'notDeepEqual', m, 'Expected "actual" not to be loosely deep-equal to "expected"'),
    notDeepStrictEqual: (a, b, m) => check(!deepEqual(a, b, true), a, b, 'notDeepStrictEqual', m, 'Expected "actual" not to be strictly deep-equal to "expected"'),
    fail: (m) => check(false, undefined, undefined, 'fail', m, 'Failed'),
    throws: (fn, expected, m) => {
      try { fn(); } catch (e) {
        if (typeof expected === 'function' && expected.prototype !== undefined && !(e instanceof expected)) throw e;
        if (expected instanceof RegExp && !expected.test(String(e && e.message !== undefined ? e.message : e))) throw e;
        return;
      }
      check(false, undefined, expected, 'throws', typeof expected === 'string' ? expected : m, 'Missing expected exception.');
    },
    doesNotThrow: (fn) => { fn(); },
    match: (s, re, m) => check(re.test(s), s, re, 'match', m, `The input did not match the regular expression ${re}. Input:\n\n${inspect(s)}\n`),
  });
  assert.strict = assert;

  // stream: enough for libraries that subclass Transform and push synchronously (csv-parse).
  const stream = function Stream() { EventEmitter.call(this); };
  Object.setPrototypeOf(stream.prototype, EventEmitter.prototype);
  const streamClass = (name, methods) => {
    const ctor = function (options) { stream.call(this); this._options = options || {}; this._chunks = []; };
    Object.defineProperty(ctor, 'name', { value: name });
    Object.setPrototypeOf(ctor.prototype, stream.prototype);
    Object.assign(ctor.prototype, methods);
    stream[name] = ctor;
  };
  const streamMethods = {
    push(chunk) { if (chunk !== null) { this._chunks.push(chunk); this.emit('data', chunk); } else this.emit('end'); return true; },
    write(chunk, encoding, cb) {
      const done = (err) => { if (err) this.emit('error', err); if (typeof cb === 'function') cb(err); };
      if (typeof this._transform === 'function') this._transform(chunk, encoding, done);
      else if (typeof this._write === 'function') this._write(chunk, encoding, done);
      else done();
      return true;
    },
    end(chunk, encoding, cb) {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') this.write(chunk, encoding);
      const finish = () => { this.emit('finish'); this.push(null); };
      if (typeof this._flush === 'function') this._flush((err) => (err ? this.emit('error', err) : finish()));
      else finish();
      return this;
    },
    read() { return this._chunks.shift() || null; },
    pipe(dest) { this.on('data', (c) => dest.write(c)); this.on('end', () => dest.end && dest.end()); return dest; },
    setEncoding() { return this; }, pause() { return this; }, resume() { return this; }, destroy() { return this; },
  };
  for (const name of ['Readable', 'Writable', 'Duplex', 'Transform', 'PassThrough']) streamClass(name, streamMethods);
  stream.Stream = stream;

  const stringDecoder = { StringDecoder: class { constructor() { this._rest = []; } write(b) { return utf8Decode(Uint8Array.from([...this._rest, ...b])); } end(b) { return b ? this.write(b) : ''; } } };

  // crypto: random numbers only (Math.random based: not for secrets), enough for uuid & co.
  const fill = (arr) => { for (let i = 0; i < arr.length; i++) arr[i] = Math.floor(Math.random() * 256); return arr; };
  const webCrypto = {
    getRandomValues: (arr) => { const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength); fill(bytes); return arr; },
    randomUUID: () => W.uuid4(),
  };
  define('crypto', webCrypto);
  const nodeCrypto = {
    randomBytes: (n) => fill(Buffer.alloc(n)),
    randomFillSync: (arr) => webCrypto.getRandomValues(arr),
    randomUUID: () => W.uuid4(),
    getRandomValues: webCrypto.getRandomValues,
    webcrypto: webCrypto,
  };

  Object.assign(builtins, {
    crypto: () => nodeCrypto,
    buffer: () => ({ Buffer, atob, btoa }),
    atob: () => atob,
    btoa: () => btoa,
    url: () => ({ URL, URLSearchParams, parse: (u) => { const x = new URL(u); return { protocol: x.protocol, auth: x.username ? `${x.username}:${x.password}` : null, host: x.host, port: x.port || null, hostname: x.hostname, hash: x.hash || null, search: x.search || null, query: x.search.slice(1) || null, pathname: x.pathname, path: x.pathname + x.search, href: x.href }; }, format: (u) => String(u instanceof URL ? u.href : u.href || '') }),
    querystring: () => querystring,
    util: () => util,
    events: () => EventEmitter,
    path: () => path,
    assert: () => assert,
    timers: () => Object.assign({}, W.timers),
    string_decoder: () => stringDecoder,
    stream: () => stream,
    uuid: () => { const v4 = () => W.uuid4(); const uuid = () => v4(); uuid.v4 = v4; return uuid; },
  });
})(globalThis);
