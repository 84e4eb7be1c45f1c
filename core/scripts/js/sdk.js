// The small part of Postman's collection SDK that scripts touch: PropertyList (headers,
// query params, cookies, metadata, messages), Url, Request and Response.
(function (G) {
  'use strict';
  const W = G.__wirecall;

  // -- PropertyList ----------------------------------------------------------------------
  class PropertyList {
    constructor(items, { caseInsensitive = false, make = (x) => x, keyOf = (x) => x && x.key } = {}) {
      this._ci = caseInsensitive;
      this._make = make;
      this._keyOf = keyOf;
      this.members = [];
      for (const item of items || []) this.members.push(make(item));
    }
    _norm(key) { return this._ci && typeof key === 'string' ? key.toLowerCase() : key; }
    _matches(item, key) {
      const k = this._keyOf(item);
      return k !== undefined && this._norm(k) === this._norm(key);
    }
    _enabled() { return this.members.filter((m) => !(m && m.disabled)); }
    one(key) {
      const found = this._enabled().filter((m) => this._matches(m, key));
      return found.length ? found[found.length - 1] : undefined;
    }
    get(key) { const item = this.one(key); return item === undefined ? undefined : (item.valueOf ? item.valueOf() : item); }
    has(key, value) {
      if (typeof key === 'object' && key !== null) return this.members.includes(key);
      return this._enabled().some((m) => this._matches(m, key) && (value === undefined || m.value === value));
    }
    all() { return this.members.slice(); }
    idx(i) { return this.members[i]; }
    count() { return this.members.length; }
    get length() { return this.members.length; }
    indexOf(item) { return this.members.indexOf(typeof item === 'string' ? this.one(item) : item); }
    each(fn, ctx) { this.members.forEach(fn, ctx); }
    forEach(fn, ctx) { this.members.forEach(fn, ctx); }
    map(fn, ctx) { return this.members.map(fn, ctx); }
    filter(fn, ctx) { return this.members.filter(fn, ctx); }
    find(fn, ctx) { return this.members.find(fn, ctx); }
    reduce(fn, acc, ctx) { return this.members.reduce((a, m, i) => fn.call(ctx, a, m, i), acc); }
    add(item) { this.members.push(this._make(item)); }
    append(item) { this.add(item); }
    prepend(item) { this.members.unshift(this._make(item)); }
    insert(item, before) {
      const i = before === undefined ? -1 : this.indexOf(before);
      if (i < 0) this.add(item); else this.members.splice(i, 0, this._make(item));
    }
    upsert(item) {
      const made = this._make(item);
      const existing = this.one(this._keyOf(made));
      if (existing) { Object.assign(existing, made); return true; }
      this.members.push(made);
      return false;
    }
    remove(predicate, ctx) {
      const test = typeof predicate === 'function' ? (m) => predicate.call(ctx, m)
        : typeof predicate === 'string' ? (m) => this._matches(m, predicate)
          : (m) => m === predicate;
      this.members = this.members.filter((m) => !test(m));
    }
    clear() { this.members = []; }
    populate(items) { for (const item of items || []) this.add(item); }
    repopulate(items) { this.clear(); this.populate(items); }
    toObject(excludeDisabled, caseSensitive, multiValue) {
      const out = {};
      for (const m of excludeDisabled ? this._enabled() : this.members) {
        let key = this._keyOf(m);
        if (key === undefined) continue;
        if (this._ci && !caseSensitive) key = String(key).toLowerCase();
        const value = m.valueOf ? m.valueOf() : m.value;
        if (multiValue && key in out) out[key] = [].concat(out[key], value);
        else out[key] = value;
      }
      return out;
    }
    toJSON() { return this.members.map((m) => (m && typeof m.toJSON === 'function' ? m.toJSON() : m)); }
    [Symbol.iterator]() { return this.members[Symbol.iterator](); }
  }

  // A {key, value} pair (header, query param, metadata entry).
  class Pair {
    constructor(def) { Object.assign(this, def); }
    valueOf() { return this.value; }
    toString() { return `${this.key}: ${this.value}`; }
    toJSON() { return Object.assign({}, this); }
  }
  const toPair = (def) => {
    if (def instanceof Pair) return def;
    if (typeof def === 'string') {
      const i = def.indexOf(':');
      return new Pair(i < 0 ? { key: def.trim(), value: '' } : { key: def.slice(0, i).trim(), value: def.slice(i + 1).trim() });
    }
    return new Pair(Object.assign({}, def));
  };
  // header: [{key,value}], "K: v\nK2: v2", or {K: v}
  const pairsOf = (def) => {
    if (!def) return [];
    if (Array.isArray(def)) return def;
    if (typeof def === 'string') return def.split(/\r?\n/).filter((l) => l.trim());
    if (def instanceof PropertyList) return def.all();
    return Object.keys(def).map((key) => ({ key, value: def[key] }));
  };
  class HeaderList extends PropertyList {
    constructor(items) { super(pairsOf(items), { caseInsensitive: true, make: toPair }); }
    toString() { return this.members.map((h) => `${h.key}: ${h.value}\n`).join(''); }
  }
  class QueryList extends PropertyList {
    constructor(items) { super(items, { make: toPair }); }
    toString() {
      return this._enabled().map((q) => (q.value === null || q.value === undefined ? q.key : `${q.key}=${q.value}`)).join('&');
    }
  }

  // -- Url -------------------------------------------------------------------------------
  const parseQuery = (qs) => (qs ? qs.split('&').map((part) => {
    const i = part.indexOf('=');
    return i < 0 ? { key: part, value: null } : { key: part.slice(0, i), value: part.slice(i + 1) };
  }) : []);

  class Url {
    constructor(def) { this.update(def); }
    update(def) {
      if (def instanceof Url) def = def.toJSON();
      if (typeof def === 'string' || def === undefined || def === null) def = Url.parse(def || '');
      else if (def.raw !== undefined && def.host === undefined && def.path === undefined) {
        def = Object.assign(Url.parse(def.raw), def);
      }
      this._extra = {};
      for (const k of Object.keys(def)) {
        if (!['raw', 'protocol', 'host', 'port', 'path', 'query', 'hash', 'variable', 'auth'].includes(k)) this._extra[k] = def[k];
      }
      this.protocol = def.protocol;
      this.auth = def.auth;
      this.host = typeof def.host === 'string' ? def.host.split('.') : def.host;
      this.port = def.port;
      this.path = typeof def.path === 'string' ? def.path.replace(/^\//, '').split('/') : def.path;
      this.hash = def.hash;
      this.query = new QueryList(def.query || []);
      this.variables = new PropertyList(def.variable || [], { make: toPair });
    }
    static parse(raw) {
      const out = { raw };
      let rest = String(raw).trim();
      let m = /^([^:/?#{}]+):\/\//.exec(rest);
      if (m) { out.protocol = m[1]; rest = rest.slice(m[0].length); }
      const hashAt = rest.indexOf('#');
      if (hashAt >= 0) { out.hash = rest.slice(hashAt + 1); rest = rest.slice(0, hashAt); }
      const qAt = rest.indexOf('?');
      if (qAt >= 0) { out.query = parseQuery(rest.slice(qAt + 1)); rest = rest.slice(0, qAt); }
      const slash = rest.indexOf('/');
      let hostPart = slash >= 0 ? rest.slice(0, slash) : rest;
      if (slash >= 0) out.path = rest.slice(slash + 1).split('/');
      const at = hostPart.lastIndexOf('@');
      if (at >= 0) {
        const [user, password] = hostPart.slice(0, at).split(':');
        out.auth = { user, password };
        hostPart = hostPart.slice(at + 1);
      }
      m = /^(.*?)(?::(\d+|{{[^{}]*}}))?$/.exec(hostPart);
      out.host = m[1] ? m[1].split('.') : [];
      if (m[2] !== undefined) out.port = m[2];
      return out;
    }
    getHost() { return (this.host || []).join('.'); }
    getPath(unresolved) {
      const segments = (this.path || []).map((seg) => {
        if (!unresolved && seg && seg[0] === ':') {
          const v = this.variables.get(seg.slice(1));
          return v === undefined ? seg : v;
        }
        return seg;
      });
      return '/' + segments.join('/');
    }
    getQueryString() { return this.query.toString(); }
    getPathWithQuery() { const q = this.getQueryString(); return this.getPath() + (q ? `?${q}` : ''); }
    getRemote(forcePort) {
      const port = this.port || (forcePort ? (this.protocol === 'https' ? '443' : '80') : undefined);
      return this.getHost() + (port ? `:${port}` : '');
    }
    getRaw() { return this.toString(); }
    addQueryParams(params) { this.query.populate(typeof params === 'string' ? parseQuery(params) : params); }
    removeQueryParams(keys) {
      const drop = new Set([].concat(keys).map((k) => (typeof k === 'string' ? k : k.key)));
      this.query.remove((q) => drop.has(q.key));
    }
    toString() {
      let out = this.protocol ? `${this.protocol}://` : '';
      if (this.auth && this.auth.user !== undefined) {
        out += this.auth.user + (this.auth.password !== undefined ? `:${this.auth.password}` : '') + '@';
      }
      out += this.getHost();
      if (this.port) out += `:${this.port}`;
      if (this.path && this.path.length) out += '/' + this.path.join('/');
      const q = this.getQueryString();
      if (q) out += `?${q}`;
      if (this.hash) out += `#${this.hash}`;
      return out;
    }
    toJSON() {
      const out = Object.assign({ raw: this.toString() }, this._extra);
      if (this.protocol !== undefined) out.protocol = this.protocol;
      out.host = this.host || [];
      if (this.port !== undefined) out.port = this.port;
      out.path = this.path || [];
      if (this.query.count()) out.query = this.query.toJSON();
      if (this.hash !== undefined) out.hash = this.hash;
      if (this.variables.count()) out.variable = this.variables.toJSON();
      if (this.auth !== undefined) out.auth = this.auth;
      return out;
    }
  }

  // -- Request ---------------------------------------------------------------------------
  class RequestAuth {
    constructor(def) { Object.assign(this, def || {}); }
    parameters() {
      const params = this.type ? this[this.type] : undefined;
      return new PropertyList(Array.isArray(params) ? params : pairsOf(params), { make: toPair });
    }
    use(type, params) { this.type = type; this[type] = pairsOf(params).map((p) => Object.assign({}, p)); }
    update(params, type) {
      type = type || this.type;
      const list = this.type === type ? this.parameters() : new PropertyList([], { make: toPair });
      for (const p of pairsOf(params)) list.upsert(p);
      this.type = type;
      this[type] = list.toJSON();
    }
    clear(type) { if (this.type === type) { delete this[type]; this.type = 'noauth'; } }
    toJSON() { return Object.assign({}, this); }
  }

  class Request {
    constructor(def) {
      if (typeof def === 'string') def = { url: def };
      def = def || {};
      this._def = def;
      this.id = def.id;
      this.name = def.name;
      this.url = new Url(def.url || '');
      this.method = (def.method || 'GET').toUpperCase();
      this.headers = new HeaderList(def.header || def.headers);
      this.body = def.body === undefined ? undefined : Object.assign(Object.create(bodyMethods), def.body);
      this.auth = def.auth === undefined ? undefined : new RequestAuth(def.auth);
      for (const extra of ['methodPath', 'metadata', 'messages']) {
        if (def[extra] !== undefined) this[extra] = def[extra];
      }
    }
    set url(value) { this._url = value instanceof Url ? value : new Url(value); }
    get url() { return this._url; }
    addHeader(h) { this.headers.add(h); }
    upsertHeader(h) { this.headers.upsert(h); }
    removeHeader(key, opts) {
      const name = typeof key === 'string' ? key : key.key;
      const ci = !opts || opts.ignoreCase !== false;
      this.headers.remove((h) => (ci ? String(h.key).toLowerCase() === String(name).toLowerCase() : h.key === name));
    }
    getHeaders(opts) {
      opts = opts || {};
      const out = {};
      for (const h of opts.enabled ? this.headers._enabled() : this.headers.all()) {
        const key = opts.ignoreCase ? String(h.key).toLowerCase() : h.key;
        out[key] = opts.multiValue ? [].concat(out[key] || [], h.value) : h.value;
      }
      return out;
    }
    forEachHeader(fn) { this.headers.each(fn); }
    addQueryParams(p) { this.url.addQueryParams(p); }
    removeQueryParams(p) { this.url.removeQueryParams(p); }
    authorizeUsing(type, options) {
      if (type === null) { this.auth = undefined; return; }
      if (typeof type === 'object') { options = type[type.type]; type = type.type; }
      this.auth = new RequestAuth({});
      this.auth.use(type, options);
    }
    clone() { return new Request(this.toJSON()); }
    toJSON() {
      const out = Object.assign({}, this._def);
      delete out.headers;
      out.method = this.method;
      out.url = this.url.toJSON();
      out.header = this.headers.toJSON();
      if (this.body !== undefined) out.body = Object.assign({}, this.body); else delete out.body;
      if (this.auth !== undefined) out.auth = this.auth.toJSON(); else delete out.auth;
      return out;
    }
  }
  const bodyMethods = {
    isEmpty() {
      const content = this.mode ? this[this.mode] : undefined;
      return !content || (Array.isArray(content) ? content.length === 0 : typeof content === 'object' ? Object.keys(content).length === 0 : String(content).length === 0);
    },
    toString() {
      if (this.mode === 'raw') return String(this.raw || '');
      if (this.mode === 'urlencoded') return (this.urlencoded || []).filter((p) => !p.disabled).map((p) => `${encodeURIComponent(p.key)}=${encodeURIComponent(p.value || '')}`).join('&');
      return '';
    },
    update(def) {
      if (typeof def === 'string') def = { mode: 'raw', raw: def };
      for (const k of Object.keys(this)) delete this[k];
      Object.assign(this, def);
    },
  };

  // -- Response --------------------------------------------------------------------------
  const REASONS = {
    100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted',
    203: 'Non-Authoritative Information', 204: 'No Content', 205: 'Reset Content', 206: 'Partial Content',
    300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
    307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
    402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required',
    412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
    418: "I'm a teapot", 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
    501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  };

  const parseJson = (text, reviver, strict) => W.json.parse(text, reviver, strict);

  // A received or sent stream message, as scripts see it (pm.message, pm.response.messages).
  class Message {
    constructor(def) {
      Object.assign(this, def);
      this.timestamp = new Date(def.timestamp * 1000);
      if (def.encoding === 'base64') this.data = W.bytesFromBase64 ? W.bytesFromBase64(def.data) : def.data;
      else if (def.type === 'json' && typeof def.data === 'string') {
        try { this.data = JSON.parse(def.data); } catch (e) { /* keep the text */ }
      }
      Object.defineProperty(this, '_raw', { value: def });
    }
    text() {
      const d = this._raw.data;
      return this._raw.encoding === 'base64' ? W.textFromBase64(d) : (typeof d === 'string' ? d : JSON.stringify(d));
    }
    json() { return typeof this.data === 'object' && this._raw.encoding !== 'base64' ? this.data : parseJson(this.text()); }
    toJSON() { return this._raw; }
  }
  class MessageList extends PropertyList {
    constructor(items) { super(items, { make: (m) => (m instanceof Message ? m : new Message(m)), keyOf: (m) => m.index }); }
    // gRPC examples filter with an object matcher: {data: {type: 'keep-alive'}}
    filter(fn, ctx) { return super.filter(typeof fn === 'function' ? fn : (m) => matches(m, fn), ctx); }
    find(fn, ctx) { return super.find(typeof fn === 'function' ? fn : (m) => matches(m, fn), ctx); }
  }
  const matches = (value, pattern) => {
    if (pattern === null || typeof pattern !== 'object') return value === pattern;
    if (value === null || typeof value !== 'object') return false;
    return Object.keys(pattern).every((k) => matches(value[k], pattern[k]));
  };

  class Cookie {
    constructor(def) { Object.assign(this, def); }
    valueOf() { return this.value; }
    toString() { return `${this.name}=${this.value}`; }
  }
  class CookieList extends PropertyList {
    constructor(items) { super(items, { make: (c) => (c instanceof Cookie ? c : new Cookie(c)), keyOf: (c) => c.name }); }
  }

  class Response {
    constructor(def) {
      this.id = def.id;
      this.code = def.code;
      this.status = def.status || REASONS[def.code] || '';
      this.headers = new HeaderList(def.headers.map(([key, value]) => ({ key, value })));
      this.trailers = new HeaderList((def.trailers || []).map(([key, value]) => ({ key, value })));
      this.responseTime = def.responseTime;
      this.responseSize = def.responseSize;
      this.cookies = new CookieList(def.cookies || []);
      this.messages = new MessageList(def.messages || []);
      this.protocol = def.protocol;
      Object.defineProperty(this, '_text', { value: def.body, writable: true });
      Object.defineProperty(this, '_base64', { value: def.bodyBase64 });
      if (def.protocol === 'grpc') {
        this.statusCode = def.code;
        this.metadata = this.headers;
      }
    }
    get stream() {
      if (this._base64 !== undefined) return W.bytesFromBase64(this._base64);
      return G.Buffer ? G.Buffer.from(this._text, 'utf8') : new TextEncoder().encode(this._text);
    }
    text() {
      if (this._text === undefined || this._text === null) this._text = this._base64 === undefined ? '' : W.textFromBase64(this._base64);
      return this._text;
    }
    json(reviver, strict) { return parseJson(this.text(), reviver, strict); }
    reason() { return this.status || REASONS[this.code] || ''; }
    details() { return { name: REASONS[this.code], detail: '', code: this.code, standardName: REASONS[this.code] }; }
    size() {
      const header = this.headers.all().reduce((n, h) => n + String(h.key).length + String(h.value).length + 4, 0) + 15;
      return { body: this.responseSize, header, total: this.responseSize + header };
    }
    contentInfo() {
      const contentType = this.headers.get('Content-Type') || '';
      const [mime, ...params] = contentType.split(';');
      const charsetParam = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('charset='));
      const [mimeType, mimeFormat] = mime.trim().split('/');
      return { contentType, mimeType, mimeFormat, charset: charsetParam ? charsetParam.slice(8) : 'utf8' };
    }
    toJSON() {
      return { id: this.id, code: this.code, status: this.status, header: this.headers.toJSON(), responseTime: this.responseTime, responseSize: this.responseSize };
    }
  }

  W.sdk = { PropertyList, HeaderList, QueryList, Pair, Url, Request, RequestAuth, Response, Message, MessageList, Cookie, CookieList, REASONS };
})(globalThis);
