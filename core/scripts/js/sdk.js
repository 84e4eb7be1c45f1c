// The small part of Postman's collection SDK that scripts touch: PropertyList (headers,
// query params, cookies, metadata, messages), Url, Request and Response.
(function (G) {
  'use strict';
  const W = G.__wirecall;

  // Class names and own properties follow postman-collection's, because chai prints them
  // in failure messages (Newman: `PostmanResponse{ …(10) }`, `PostmanHeader{ key: 'X-A', …(2) }`).
  // Our own bookkeeping lives in WeakMaps, so it never shows up there.
  const named = (cls, name) => Object.defineProperty(cls, 'name', { value: name });
  const hide = (obj, key, value) => Object.defineProperty(obj, key, { value, writable: true, configurable: true });

  // -- PropertyList ----------------------------------------------------------------------
  const listSettings = new WeakMap(); // list -> {ci, make, keyOf}
  const settings = (list) => listSettings.get(list);

  // A list's `reference`: one descriptor for every list (a getter of its own per list
  // would give each list a hidden class of its own, and V8's slow dictionary-mode properties).
  const REFERENCE = {
    get() { return this._reference(settings(this).multiple); }, enumerable: true, configurable: true,
  };

  // Own properties as postman-collection's lists: __parent (hidden), members, reference
  // (the index by key), Type (the member class) and the _postman_list* flags.
  class PostmanPropertyList {
    constructor(items, {
      parent = null, caseInsensitive = false, multiple = false, make = (x) => x, keyOf = (x) => x && x.key,
      type = Object, indexKey = 'key',
    } = {}) {
      listSettings.set(this, { ci: caseInsensitive, make, keyOf, multiple });
      hide(this, '__parent', parent);
      this.members = [];
      Object.defineProperty(this, 'reference', REFERENCE);
      this.Type = type;
      this._postman_listIndexKey = indexKey;
      if (caseInsensitive) this._postman_listIndexCaseInsensitive = true;
      if (multiple) this._postman_listAllowsMultipleValues = true;
      for (const item of items || []) this.add(item);
    }
    _made(item) {
      const made = settings(this).make(item);
      if (made !== null && typeof made === 'object') hide(made, '__parent', this);
      return made;
    }
    _reference(multiple) {
      const out = {};
      for (const m of this.members) {
        let key = settings(this).keyOf(m);
        if (!key) continue;
        key = this._norm(String(key));
        out[key] = multiple && key in out ? [].concat(out[key], m) : m;
      }
      return out;
    }
    _norm(key) { return settings(this).ci && typeof key === 'string' ? key.toLowerCase() : key; }
    _matches(item, key) {
      const k = settings(this).keyOf(item);
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
    add(item) { this.members.push(this._made(item)); }
    append(item) { this.add(item); }
    prepend(item) { this.members.unshift(this._made(item)); }
    insert(item, before) {
      const i = before === undefined ? -1 : this.indexOf(before);
      if (i < 0) this.add(item); else this.members.splice(i, 0, this._made(item));
    }
    upsert(item) {
      const made = this._made(item);
      const existing = this.one(settings(this).keyOf(made));
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
        let key = settings(this).keyOf(m);
        if (key === undefined) continue;
        if (settings(this).ci && !caseSensitive) key = String(key).toLowerCase();
        const value = m.valueOf ? m.valueOf() : m.value;
        if (multiValue && key in out) out[key] = [].concat(out[key], value);
        else out[key] = value;
      }
      return out;
    }
    toJSON() { return this.members.map((m) => (m && typeof m.toJSON === 'function' ? m.toJSON() : m)); }
    [Symbol.iterator]() { return this.members[Symbol.iterator](); }
  }

  // A {key, value} pair: PostmanHeader, PostmanQueryParam, PostmanVariable.
  class Pair {
    constructor(def) { Object.assign(this, def); }
    valueOf() { return this.value; }
    toString() { return `${this.key}: ${this.value}`; }
    toJSON() { return Object.assign({}, this); }
  }
  const PostmanHeader = class PostmanHeader extends Pair {};
  const PostmanQueryParam = class PostmanQueryParam extends Pair {};
  const PostmanVariable = class PostmanVariable extends Pair {};
  const pairMaker = (Type) => (def) => {
    if (def instanceof Pair) return def;
    if (typeof def === 'string') {
      const i = def.indexOf(':');
      return new Type(i < 0 ? { key: def.trim(), value: '' } : { key: def.slice(0, i).trim(), value: def.slice(i + 1).trim() });
    }
    return new Type({ key: def.key, value: def.value, ...def });
  };
  // header: [{key,value}], "K: v\nK2: v2", or {K: v}
  const pairsOf = (def) => {
    if (!def) return [];
    if (Array.isArray(def)) return def;
    if (typeof def === 'string') return def.split(/\r?\n/).filter((l) => l.trim());
    if (def instanceof PostmanPropertyList) return def.all();
    return Object.keys(def).map((key) => ({ key, value: def[key] }));
  };
  // Newman's header lists print as `a{ …(7) }` (a minified class name in its bundle).
  const HeaderList = named(class HeaderList extends PostmanPropertyList {
    constructor(items, parent) {
      super(pairsOf(items), { parent, caseInsensitive: true, multiple: true, make: pairMaker(PostmanHeader), type: PostmanHeader });
    }
    toString() { return this.members.map((h) => `${h.key}: ${h.value}\n`).join(''); }
  }, 'a');
  const QueryList = named(class QueryList extends PostmanPropertyList {
    constructor(items, parent) {
      super(items, { parent, multiple: true, make: pairMaker(PostmanQueryParam), type: PostmanQueryParam });
    }
    toString() {
      return this._enabled().map((q) => (q.value === null || q.value === undefined ? q.key : `${q.key}=${q.value}`)).join('&');
    }
  }, 'PostmanPropertyList');
  class PostmanVariableList extends PostmanPropertyList {
    constructor(items, parent) { super(items, { parent, make: pairMaker(PostmanVariable), type: PostmanVariable }); }
  }

  // -- Url -------------------------------------------------------------------------------
  const parseQuery = (qs) => (qs ? qs.split('&').map((part) => {
    const i = part.indexOf('=');
    return i < 0 ? { key: part, value: null } : { key: part.slice(0, i), value: part.slice(i + 1) };
  }) : []);

  const urlExtras = new WeakMap(); // url -> fields of its definition that scripts do not see
  class PostmanUrl {
    constructor(def) { this.update(def); }
    update(def) {
      if (def instanceof PostmanUrl) def = def.toJSON();
      if (typeof def === 'string' || def === undefined || def === null) def = PostmanUrl.parse(def || '');
      else if (def.raw !== undefined && def.host === undefined && def.path === undefined) {
        def = Object.assign(PostmanUrl.parse(def.raw), def);
      }
      const extra = {};
      for (const k of Object.keys(def)) {
        if (!['raw', 'protocol', 'host', 'port', 'path', 'query', 'hash', 'variable', 'auth'].includes(k)) extra[k] = def[k];
      }
      urlExtras.set(this, extra);
      this.auth = def.auth;
      this.protocol = def.protocol;
      this.port = def.port;
      this.path = typeof def.path === 'string' ? def.path.replace(/^\//, '').split('/') : def.path;
      this.hash = def.hash;
      this.host = typeof def.host === 'string' ? def.host.split('.') : def.host;
      this.query = new QueryList(def.query || [], this);
      this.variables = new PostmanVariableList(def.variable || [], this);
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
      const out = Object.assign({ raw: this.toString() }, urlExtras.get(this));
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
  class PostmanRequestAuth {
    constructor(def) { Object.assign(this, def || {}); }
    parameters() {
      const params = this.type ? this[this.type] : undefined;
      return new PostmanVariableList(Array.isArray(params) ? params : pairsOf(params), this);
    }
    use(type, params) { this.type = type; this[type] = pairsOf(params).map((p) => Object.assign({}, p)); }
    update(params, type) {
      type = type || this.type;
      const list = this.type === type ? this.parameters() : new PostmanVariableList([], this);
      for (const p of pairsOf(params)) list.upsert(p);
      this.type = type;
      this[type] = list.toJSON();
    }
    clear(type) { if (this.type === type) { delete this[type]; this.type = 'noauth'; } }
    toJSON() { return Object.assign({}, this); }
  }

  const requestDefs = new WeakMap(); // request -> its definition (fields kept for toJSON)
  const requestUrls = new WeakMap(); // request -> its PostmanUrl
  const URL_PROPERTY = {
    get() { return requestUrls.get(this); },
    set(value) { requestUrls.set(this, value instanceof PostmanUrl ? value : new PostmanUrl(value)); },
    enumerable: true,
    configurable: true,
  };
  class PostmanRequest {
    constructor(def) {
      if (typeof def === 'string') def = { url: def };
      def = def || {};
      requestDefs.set(this, def);
      requestUrls.set(this, new PostmanUrl(def.url || ''));
      Object.defineProperty(this, 'url', URL_PROPERTY);
      this.headers = new HeaderList(def.header || def.headers, this);
      this.method = (def.method || 'GET').toUpperCase();
      if (def.body !== undefined) this.body = new PostmanRequestBody(def.body);
      if (def.auth !== undefined) this.auth = new PostmanRequestAuth(def.auth);
      for (const extra of ['methodPath', 'metadata', 'messages']) {
        if (def[extra] !== undefined) this[extra] = def[extra];
      }
    }
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
      this.auth = new PostmanRequestAuth({});
      this.auth.use(type, options);
    }
    clone() { return new PostmanRequest(this.toJSON()); }
    toJSON() {
      const out = Object.assign({}, requestDefs.get(this));
      delete out.headers;
      out.method = this.method;
      out.url = this.url.toJSON();
      out.header = this.headers.toJSON();
      if (this.body !== undefined) out.body = JSON.parse(JSON.stringify(this.body)); else delete out.body;
      if (this.auth !== undefined) out.auth = this.auth.toJSON(); else delete out.auth;
      return out;
    }
  }
  // Every body field is an own property, as postman-collection's (undefined when unused).
  const BODY_FIELDS = ['mode', 'raw', 'urlencoded', 'formdata', 'file', 'graphql', 'options', 'disabled'];
  class PostmanRequestBody {
    constructor(def) { this.update(def); }
    isEmpty() {
      const content = this.mode ? this[this.mode] : undefined;
      return !content || (Array.isArray(content) ? content.length === 0 : typeof content === 'object' ? Object.keys(content).length === 0 : String(content).length === 0);
    }
    toString() {
      if (this.mode === 'raw') return String(this.raw || '');
      if (this.mode === 'urlencoded') return (this.urlencoded || []).filter((p) => !p.disabled).map((p) => `${encodeURIComponent(p.key)}=${encodeURIComponent(p.value || '')}`).join('&');
      return '';
    }
    update(def) {
      if (typeof def === 'string') def = { mode: 'raw', raw: def };
      for (const k of Object.keys(this)) delete this[k];
      for (const k of BODY_FIELDS) this[k] = undefined;
      Object.assign(this, def);
    }
    toJSON() {
      const out = {};
      for (const k of Object.keys(this)) if (this[k] !== undefined) out[k] = this[k];
      return out;
    }
  }

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
  class MessageList extends PostmanPropertyList {
    constructor(items, parent) {
      super(items, { parent, make: (m) => (m instanceof Message ? m : new Message(m)), keyOf: (m) => m.index, type: Message, indexKey: 'index' });
    }
    // gRPC examples filter with an object matcher: {data: {type: 'keep-alive'}}
    filter(fn, ctx) { return super.filter(typeof fn === 'function' ? fn : (m) => matches(m, fn), ctx); }
    find(fn, ctx) { return super.find(typeof fn === 'function' ? fn : (m) => matches(m, fn), ctx); }
  }
  const matches = (value, pattern) => {
    if (pattern === null || typeof pattern !== 'object') return value === pattern;
    if (value === null || typeof value !== 'object') return false;
    return Object.keys(pattern).every((k) => matches(value[k], pattern[k]));
  };

  class PostmanCookie {
    constructor(def) { Object.assign(this, def); }
    valueOf() { return this.value; }
    toString() { return `${this.name}=${this.value}`; }
  }
  const CookieList = named(class CookieList extends PostmanPropertyList {
    constructor(items, parent) {
      super(items, {
        parent, caseInsensitive: true, multiple: true, make: (c) => (c instanceof PostmanCookie ? c : new PostmanCookie(c)),
        keyOf: (c) => c.name, type: PostmanCookie, indexKey: 'name',
      });
    }
  }, 'a');

  // What a response keeps out of sight: the body and wirecall's extra fields.
  const responseData = new WeakMap();

  const STREAM = {
    get() {
      const data = responseData.get(this);
      if (data.base64 !== undefined) return W.bytesFromBase64(data.base64);
      return G.Buffer ? G.Buffer.from(data.text, 'utf8') : new TextEncoder().encode(data.text);
    },
    enumerable: true,
    configurable: true,
  };

  // Own properties as Newman's: id, _details, status, code, headers, stream, cookies,
  // responseTime, responseSize (and `to`, added by expect.js).
  class PostmanResponse {
    constructor(def) {
      const data = { text: def.body, base64: def.bodyBase64, protocol: def.protocol };
      responseData.set(this, data);
      this.id = def.id || W.uuid4();
      this._details = { name: REASONS[def.code], detail: '', code: def.code, standardName: REASONS[def.code] };
      this.status = def.status || REASONS[def.code] || '';
      this.code = def.code;
      this.headers = new HeaderList(def.headers.map(([key, value]) => ({ key, value })), this);
      Object.defineProperty(this, 'stream', STREAM);
      this.cookies = new CookieList(def.cookies || [], this);
      this.responseTime = def.responseTime;
      this.responseSize = def.responseSize;
      data.trailers = def.trailers || []; // lists built on first read: most scripts never do
      data.messages = def.messages || [];
    }
    get trailers() {
      const data = responseData.get(this);
      if (Array.isArray(data.trailers)) data.trailers = new HeaderList(data.trailers.map(([key, value]) => ({ key, value })), this);
      return data.trailers;
    }
    get messages() {
      const data = responseData.get(this);
      if (Array.isArray(data.messages)) data.messages = new MessageList(data.messages, this);
      return data.messages;
    }
    get protocol() { return responseData.get(this).protocol; }
    // gRPC's names for the status code and the metadata
    get statusCode() { return this.protocol === 'grpc' ? this.code : undefined; }
    get metadata() { return this.protocol === 'grpc' ? this.headers : undefined; }
    text() {
      const data = responseData.get(this);
      if (data.text === undefined || data.text === null) data.text = data.base64 === undefined ? '' : W.textFromBase64(data.base64);
      return data.text;
    }
    json(reviver, strict) { return parseJson(this.text(), reviver, strict); }
    reason() { return this.status || REASONS[this.code] || ''; }
    details() { return Object.assign({}, this._details); }
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

  W.sdk = {
    PropertyList: PostmanPropertyList, HeaderList, QueryList, VariableList: PostmanVariableList, Pair, Url: PostmanUrl, Request: PostmanRequest,
    RequestAuth: PostmanRequestAuth, Response: PostmanResponse, Message, MessageList, Cookie: PostmanCookie, CookieList, REASONS,
  };
})(globalThis);
