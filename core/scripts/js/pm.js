// The pm object of one script: tests, assertions, request/response, cookies,
// sendRequest, execution control, visualizer, vault, stream messages.
(function (G) {
  'use strict';
  const W = G.__wirecall;
  const { Request, Response, Message, CookieList } = W.sdk;

  const chai = () => {
    const c = G.__wirecall_chai;
    if (!c || typeof c.expect !== 'function') {
      throw new Error('pm.expect is not available: the assertion library (expect.js) is not loaded');
    }
    return c;
  };
  W.expect = (value, message) => chai().expect(value, message);
  W.expect.fail = function () { return chai().expect.fail.apply(undefined, arguments); };

  // -- pm.test ----------------------------------------------------------------------------
  const makeTest = (run, pm) => {
    // Newman reads a failed test's error as `_.get(error, 'name', 'AssertionError')` and
    // `_.get(error, 'message', testName)`: a thrown string fails as AssertionError named
    // after the test.
    const field = (err, key, otherwise) => {
      const value = err === null || err === undefined ? undefined : err[key];
      return value === undefined ? otherwise : String(value);
    };
    const record = (name, index, passed, err, skipped) => {
      run.assertions.push({
        name: String(name), passed, skipped: Boolean(skipped), index,
        error_name: passed ? null : field(err, 'name', 'AssertionError'),
        error_message: passed ? null : field(err, 'message', String(name)),
      });
    };
    // anonymous, so that it prints as Newman's pm.test ([Function]): a function in a comma
    // expression gets no name from the constant
    const test = (0, function (name, fn) {
      const index = run.testIndex++;
      if (typeof fn !== 'function') { record(name, index, true); return pm; }
      if (fn.length > 0) {
        const release = W.hold(`pm.test '${name}' waiting for done()`);
        let finished = false;
        const finish = (passed, err) => {
          if (finished) return;
          finished = true;
          record(name, index, passed, err);
          release();
        };
        try { fn((err) => finish(!err, err)); } catch (e) { finish(false, e); } // even `throw null` fails
        return pm;
      }
      try {
        const ret = fn();
        if (ret && typeof ret.then === 'function') {
          const release = W.hold(`pm.test '${name}' waiting for its promise`);
          ret.then(() => { record(name, index, true); release(); },
            (e) => { record(name, index, false, e); release(); });
          return pm;
        }
        record(name, index, true);
      } catch (e) {
        record(name, index, false, e);
      }
      return pm;
    });
    test.skip = function (name) { record(name, run.testIndex++, true, null, true); return pm; };
    test.index = () => run.testIndex;
    return test;
  };

  // -- pm.response.to / pm.request.to: expect.js marks the objects for its Postman assertions
  // (options {to: false}: no `.to`, as Newman's pm.sendRequest responses have none)
  const mark = (obj, kind, options) => {
    const assertions = G.__wirecall_responseAssertions;
    if (assertions) return assertions(G.__wirecall_chai)[kind](obj, options);
    if (!options || options.to !== false) {
      Object.defineProperty(obj, 'to', { get() { return W.expect(this).to; }, configurable: true });
    }
    return obj;
  };

  // -- cookies ------------------------------------------------------------------------------
  // Each jar method takes a node-style callback or returns a promise.
  const jar = () => {
    const call = (op, args, cb) => {
      const p = W.host('cookies', { op, args }, `pm.cookies.jar().${op}()`);
      if (typeof cb !== 'function') return p;
      p.then(W.guard((v) => cb(null, op === 'getAll' ? new CookieList(v) : v)), W.guard((e) => cb(e)));
      return undefined;
    };
    const checkUrl = (url, op) => {
      if (typeof url !== 'string' && !(url instanceof W.sdk.Url)) throw new TypeError(`CookieJar.${op}() requires a valid url`);
      return String(url);
    };
    return {
      get: (url, name, cb) => call('get', [checkUrl(url, 'get'), name], cb),
      getAll: (url, opts, cb) => {
        if (typeof opts === 'function') { cb = opts; opts = {}; }
        const p = call('getAll', [checkUrl(url, 'getAll'), opts || {}], cb);
        return p && p.then((v) => new CookieList(v));
      },
      set: (url, name, value, cb) => {
        if (typeof value === 'function') { cb = value; value = undefined; }
        const cookie = typeof name === 'object' ? name : (value === undefined ? String(name) : { name, value: String(value) });
        return call('set', [checkUrl(url, 'set'), cookie], cb);
      },
      unset: (url, name, cb) => call('unset', [checkUrl(url, 'unset'), name], cb),
      clear: (url, cb) => call('clear', [checkUrl(url, 'clear')], cb),
    };
  };

  // -- pm.sendRequest -----------------------------------------------------------------------
  const requestDefinition = (req) => {
    if (typeof req === 'string') return { url: req, method: 'GET' };
    if (req instanceof Request) return req.toJSON();
    const def = Object.assign({}, req);
    if (def.url instanceof W.sdk.Url) def.url = def.url.toString();
    if (def.header && !Array.isArray(def.header)) def.header = new W.sdk.HeaderList(def.header).toJSON();
    return def;
  };
  const sendRequest = (req, cb) => {
    const p = W.host('send', requestDefinition(req), 'pm.sendRequest()').then((res) => mark(new Response(res), 'response', { to: false }));
    if (typeof cb !== 'function') return p;
    p.then(W.guard((res) => cb(null, res, { cookies: res.cookies })), W.guard((e) => cb(e, undefined, undefined)));
    return undefined;
  };

  // -- pm.vault -----------------------------------------------------------------------------
  const vault = (ctx) => {
    const call = (op, args) => {
      if (!ctx.vault) return Promise.reject(new Error('pm.vault is not available: no vault configured (see `wirecall vault`)'));
      return W.host('vault', { op, args }, `pm.vault.${op}()`).then((v) => (v === null ? undefined : v));
    };
    return {
      get: (key) => call('get', [String(key)]),
      set: (key, value) => call('set', [String(key), String(value)]),
      unset: (key) => call('unset', [String(key)]),
    };
  };

  // -- pm's other parts, each made on first read ----------------------------------------------
  const info = (ctx) => Object.freeze({
    eventName: ctx.info.eventName, iteration: ctx.info.iteration, iterationCount: ctx.info.iterationCount,
    requestName: ctx.info.requestName, requestId: ctx.info.requestId,
  });
  const cookies = (ctx) => Object.assign(new CookieList(ctx.cookies || []), { jar });
  const visualizer = (run) => Object.freeze({
    set(template, data, options) {
      if (typeof template !== 'string') throw new Error(`Invalid template. Template must be of type string, found ${typeof template}`);
      if (data !== undefined && (data === null || typeof data !== 'object')) throw new Error(`Invalid data. Data must be an object, found ${data === null ? 'null' : typeof data}`);
      if (options !== undefined && (options === null || typeof options !== 'object')) throw new Error(`Invalid options. Options must be an object, found ${options === null ? 'null' : typeof options}`);
      run.visualizer = { template, data: W.plainValue(data === undefined ? {} : data), options: W.plainValue(options === undefined ? {} : options) };
    },
    clear() { run.visualizer = null; },
  });
  const execution = (run, ctx) => {
    const location = ctx.location.slice();
    Object.defineProperty(location, 'current', { value: ctx.current }); // not listed, as Newman's
    const out = {
      setNextRequest(target) { run.nextRequestSet = true; run.nextRequest = target === undefined || target === null ? null : String(target); },
      location: Object.freeze(location),
    };
    if (ctx.event === 'prerequest') out.skipRequest = () => { run.skip = true; };
    return Object.freeze(out);
  };
  // wirecall's own extension for stream protocols: close the stream, send a message.
  const stream = (run) => Object.freeze({
    close() { run.closeStream = true; },
    send(data, fields) {
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      run.send.push(Object.assign({ data: text, type: typeof data === 'string' ? 'text' : 'json' }, W.plainValue(fields || {})));
    },
  });

  // run.request / run.response are what the legacy globals share with pm (built on use).
  W.memo(W.Run, 'request', (run) => {
    const request = mark(new Request(run.ctx.request), 'request');
    if (run.ctx.event === 'prerequest') run.requestBefore = JSON.stringify(request.toJSON());
    return request;
  });
  W.memo(W.Run, 'response', (run) => (run.ctx.response ? mark(new Response(run.ctx.response), 'response') : undefined));

  // -- the pm object ----------------------------------------------------------------------------
  // pm's parts in Newman's order, each made on first use (most scripts touch two or three):
  // make(run, ctx, pm). `message` and `stream` exist only in scripts that have them.
  const PARTS = {
    require: () => pmRequire,
    variables: (run) => run.scopes.local,
    environment: (run) => run.scopes.environment,
    collectionVariables: (run) => run.scopes.collection,
    globals: (run) => run.scopes.globals,
    iterationData: (run) => run.scopes.data,
    info: (run, ctx) => info(ctx),
    test: (run, ctx, pm) => makeTest(run, pm),
    expect: () => W.expect,
    request: (run) => run.request,
    response: (run) => run.response,
    cookies: (run, ctx) => cookies(ctx),
    sendRequest: () => sendRequest,
    vault: (run, ctx) => Object.freeze(vault(ctx)),
    visualizer: (run) => visualizer(run),
    execution: (run, ctx) => execution(run, ctx),
    message: (run, ctx) => new Message(ctx.message),
    stream: (run) => stream(run),
  };
  const pmRequire = { value: (spec) => W.require(spec) }.value; // prints as ever: [Function: value]
  // Per [has message][has stream]: the parts a pm has (name -> index) and its target's own
  // properties: placeholders, never seen by a script, holding the parts' places in the key order.
  const layout = (message, stream) => {
    const names = Object.keys(PARTS).filter((k) => (k !== 'message' || message) && (k !== 'stream' || stream));
    const index = Object.create(null);
    names.forEach((name, i) => { index[name] = i; });
    return { index, blank: Object.fromEntries(names.map((name) => [name, undefined])) };
  };
  const LAYOUTS = [[layout(false, false), layout(false, true)], [layout(true, false), layout(true, true)]];

  // A script's pm is a Proxy over a copy of the placeholders: reading a part makes it once;
  // anything else that names a part (its descriptor, assigning, deleting, redefining it) first
  // fixes it into the target, enumerable and read-only in its place; so a script sees all
  // parts as if made eagerly and fixed. An object literal with a getter per part cost ~10 µs
  // a run (V8 defines each accessor through its runtime, and fixing one reshapes the object):
  // the largest fixed cost of a message script; the copy and the Proxy cost a fraction of one.
  class Parts {
    constructor(run, ctx) {
      const { index, blank } = LAYOUTS[ctx.message ? 1 : 0][ctx.stream ? 1 : 0];
      this.run = run;
      this.ctx = ctx;
      this.index = index;
      this.made = []; // part values by index
      this.madeBits = 0;
      this.fixedBits = 0;
      this.pm = new Proxy({ ...blank }, this);
    }
    get(target, key, receiver) {
      const i = this.index[key];
      if (i === undefined) return Reflect.get(target, key, receiver);
      if ((this.madeBits >> i) & 1) return this.made[i];
      const value = PARTS[key](this.run, this.ctx, this.pm);
      this.made[i] = value;
      this.madeBits |= 1 << i;
      return value;
    }
    fix(target, key) {
      const i = this.index[key];
      if (i === undefined || (this.fixedBits >> i) & 1) return;
      const value = this.get(target, key);
      this.fixedBits |= 1 << i;
      Object.defineProperty(target, key, { value, writable: false, enumerable: true, configurable: false });
    }
    set(target, key, value, receiver) { this.fix(target, key); return Reflect.set(target, key, value, receiver); }
    getOwnPropertyDescriptor(target, key) { this.fix(target, key); return Reflect.getOwnPropertyDescriptor(target, key); }
    defineProperty(target, key, desc) { this.fix(target, key); return Reflect.defineProperty(target, key, desc); }
    deleteProperty(target, key) { this.fix(target, key); return Reflect.deleteProperty(target, key); }
  }
  W.installers.push((run, ctx) => { run.pm = new Parts(run, ctx).pm; });

  // In pre-request scripts, changes to pm.request go back to the host.
  W.finishers.push((run, result) => {
    if (run.requestBefore === undefined) return;
    const after = JSON.stringify(run.request.toJSON());
    if (after !== run.requestBefore) result.request = JSON.parse(after);
  });
})(globalThis);
