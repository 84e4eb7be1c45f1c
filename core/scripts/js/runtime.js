// The sandbox's engine room: per-script run state, the host queue and the entry points
// the Python engine calls (__wirecall_run, __wirecall_runEach, __wirecall_poll,
// __wirecall_deliver).
//
// Nothing here waits: V8 has no event loop of its own that we can interrupt safely, so
// every asynchronous thing a script starts (a timer, pm.sendRequest, the cookie jar, the
// vault) is recorded as "pending", and Python drives it: it polls for requests and the
// next timer, does the I/O, and delivers results back in a later (cancelable) eval.
(function (G) {
  'use strict';

  const W = {};
  Object.defineProperty(G, '__wirecall', { value: W, enumerable: false });

  W.run = null;
  // functions(run, ctx, args) called at the start of every script: pm.js sets run.pm, and
  // legacy.js appends the legacy globals to args (the script's parameters after pm)
  W.installers = [];

  // -- error texts ---------------------------------------------------------------------
  W.errorName = (e) => (e && typeof e === 'object' && e.name) ? String(e.name) : 'Error';
  W.errorMessage = (e) => {
    if (e && typeof e === 'object' && 'message' in e) return String(e.message);
    return String(e);
  };
  // line:col of the first stack frame inside the user's script (the wrapper adds 1 line)
  W.errorPosition = (e) => {
    const stack = (e && typeof e === 'object' && typeof e.stack === 'string') ? e.stack : '';
    const m = /wirecall-script:(\d+):(\d+)/.exec(stack);
    return m && Number(m[1]) > 1 ? [Number(m[1]) - 1, Number(m[2])] : [null, null];
  };
  W.describeError = (e) => {
    const [line, column] = W.errorPosition(e);
    return { name: W.errorName(e), message: W.errorMessage(e), line, column };
  };

  // A property built on first read, then fixed (enumerable, read-only) like an eager one.
  W.lazy = (obj, key, make) => Object.defineProperty(obj, key, {
    get() {
      const value = make();
      Object.defineProperty(obj, key, { value, enumerable: true, configurable: false });
      return value;
    },
    enumerable: true,
    configurable: true,
  });

  // -- pending work ----------------------------------------------------------------------
  let nextToken = 1;
  // Keep the script alive until the returned release() is called.
  W.hold = (label) => {
    const run = W.run;
    const token = nextToken++;
    run.pending.set(token, label);
    return () => { if (W.run === run) run.pending.delete(token); };
  };
  // Run a callback of the current script; a throw there is an async error (as Newman's
  // "exception" event: reported, but not the script's failure).
  W.guard = (fn) => function () {
    try { return fn.apply(this, arguments); } catch (e) { W.asyncError(e); }
  };
  W.asyncError = (e) => { if (W.run) W.run.asyncErrors.push(W.describeError(e)); };
  W.fail = (e) => { if (W.run && !W.run.error) W.run.error = W.describeError(e); };

  // A call into the host: resolves with the host's JSON value or rejects with an Error.
  let nextOp = 1;
  W.host = (kind, payload, label) => {
    const run = W.run;
    const id = nextOp++;
    const release = W.hold(label || kind);
    return new Promise((resolve, reject) => {
      run.ops.set(id, {
        resolve: (v) => { release(); resolve(v); },
        reject: (err) => { release(); reject(err); },
      });
      run.outbox.push({ id, kind, payload });
    });
  };

  // -- globals reset between scripts -----------------------------------------------------
  // A script may add globals (`x = 1`, `globalThis.y = 2`, Object.defineProperty(...)); the
  // next one starts without them. Listing all the global's names costs ~60k instructions
  // (a message script's largest fixed cost), listing its enumerable ones a fraction of that.
  // A global a script adds by assigning it is enumerable; only the three defining functions
  // can add one that is not, so from the seal on they note a definition on the global, and
  // all names are listed only after one (or when the enumerable names changed). Names are
  // interned strings: the same names in the same order mean none was added.
  let baseline = null; // {names: Set, list: all names, keys: the enumerable ones, in order}
  let defined = false; // a defining function targeted the global since the last check
  const noting = (holder, key, arity) => {
    const native = holder[key];
    // a method: named and non-constructible as the native, with its length
    const wrapped = {
      [key](target, a, b) { if (target === G) defined = true; return native(target, a, b); },
    }[key];
    Object.defineProperty(wrapped, 'length', { value: arity });
    Object.defineProperty(holder, key, { value: wrapped, writable: true, enumerable: false, configurable: true });
  };
  W.sealGlobals = () => {
    const list = Object.getOwnPropertyNames(G);
    baseline = { names: new Set(list), list, keys: Object.keys(G) };
    noting(Reflect, 'defineProperty', 3);
    noting(Object, 'defineProperties', 2);
    noting(Object, 'defineProperty', 3); // last: the two calls above use the native
  };
  const same = (names, list) => {
    if (names.length !== list.length) return false;
    for (let i = 0; i < names.length; i++) if (names[i] !== list[i]) return false;
    return true;
  };
  const resetGlobals = () => {
    if (!baseline) return;
    if (!defined && same(Object.keys(G), baseline.keys)) return;
    defined = false;
    const names = Object.getOwnPropertyNames(G);
    if (same(names, baseline.list)) return;
    for (const name of names) {
      if (!baseline.names.has(name)) {
        try { delete G[name]; } catch (e) { /* non-configurable: leave it */ }
      }
    }
  };

  // Compiled script functions, by the engine's id: a script that runs again is not recompiled.
  W.scripts = new Map();
  W.keep = (id, fn) => { W.scripts.set(id, fn); return fn; };

  // -- the entry points ------------------------------------------------------------------
  // A stream's message scripts share one request, which may list thousands of messages:
  // the engine sends it with the first one and then only requestCached (tests/bench).
  let lastRequest = null;
  const readContext = (ctxJson) => {
    const ctx = JSON.parse(ctxJson);
    if (ctx.requestCached) {
      const text = lastRequest; // parsed only for a script that reads the request (it may
      W.lazy(ctx, 'request', () => JSON.parse(text)); // list thousands of messages)
    } else lastRequest = ctx.event === 'message' ? JSON.stringify(ctx.request) : null;
    return ctx;
  };

  // -- one script's run ----------------------------------------------------------------
  // Its state, never seen by scripts. What other modules build for it on first use
  // (W.memo) are getters on the prototype: starting a run costs one allocation.
  class Run {
    constructor(ctx) {
      this.ctx = ctx;
      this.pending = new Map();
      this.ops = new Map();
      this.outbox = [];
      this.timers = new Map();
      this.console = [];
      this.assertions = [];
      this.testIndex = 0;
      this.error = null;
      this.asyncErrors = [];
      this.varOps = [];
      this.nextRequest = undefined;
      this.nextRequestSet = false;
      this.skip = false;
      this.closeStream = false;
      this.send = [];
      this.visualizer = null;
      this.result = null;
      this.pm = null;
      this.parts = {}; // name -> what a W.memo getter built
    }
  }
  W.Run = Run;
  // A getter on cls's prototype: make(instance) on first read, then kept in its `parts`.
  W.memo = (cls, name, make) => Object.defineProperty(cls.prototype, name, {
    get() {
      const parts = this.parts;
      return name in parts ? parts[name] : (parts[name] = make(this));
    },
  });

  // Start one script: fresh globals, run state and pm; run its synchronous part.
  const start = (ctx, fn) => {
    resetGlobals();
    const run = W.run = new Run(ctx);
    const args = [];
    try {
      for (const install of W.installers) install(run, ctx, args);
    } catch (e) {
      W.fail(e);
      return;
    }
    try {
      const ret = fn.apply(undefined, [run.pm].concat(args));
      if (ret && typeof ret.then === 'function') {
        const release = W.hold('the promise returned by the script');
        ret.then(release, (e) => { W.fail(e); release(); });
      }
    } catch (e) {
      W.fail(e);
    }
  };

  G.__wirecall_run = function (ctxJson, fn) {
    const ctx = readContext(ctxJson);
    start(ctx, fn);
    return W.poll(!ctx.maybeAsync);
  };

  // Replay a finished script's variable changes on the context's plain scopes, so the next
  // script of the same evaluation starts from what the host will hold.
  const replay = (scopes, ops) => {
    for (const [name, op, key, value] of ops) {
      const scope = scopes[name] || (scopes[name] = { name: null, values: {} });
      if (op === 'set') scope.values[key] = value;
      else if (op === 'unset') delete scope.values[key];
      else scope.values = {};
    }
  };

  // A run that only passed tests (numbered from 0, as pm.test numbers them) answers just
  // their names, as most message script runs do: the full records cost both sides more.
  const brief = (result) => {
    for (const key in result) if (key !== 'assertions') return result;
    const tests = result.assertions || [];
    const names = [];
    for (let i = 0; i < tests.length; i++) {
      const test = tests[i];
      if (!test.passed || test.skipped || test.index !== i) return result;
      names.push(test.name);
    }
    return names;
  };

  // A message of a batch from its row: the index of its keys, then its values (as
  // JSON.parse would make it, an own __proto__ key included).
  const message = (keys, row) => {
    if (row === null) return null;
    const names = keys[row[0]];
    const out = {};
    for (let k = 0; k < names.length; k++) {
      if (names[k] === '__proto__') Object.defineProperty(out, '__proto__', { value: row[k + 1], writable: true, enumerable: true, configurable: true });
      else out[names[k]] = row[k + 1];
    }
    return out;
  };

  // Message scripts for several messages of a stream in one evaluation (one thread hop for
  // them all): per message, each script in order, each a run of its own, until a message
  // whose scripts close the stream. `messagesJson` holds the messages as rows of values
  // under shared key lists ({keys, rows}); `scripts` holds, per script, its function and
  // its own context fields (legacy, uses, ...). The answer lists the finished results
  // (brief ones as names); a run left waiting (a timer, a host call) ends the batch as
  // `pending`, for the engine to drive. `first` is the first message's first script (a
  // batch may resume in the middle of a message). W.batch holds the runs a batch finished,
  // should V8 stop it (time or memory limit).
  G.__wirecall_runEach = function (ctxJson, messagesJson, scripts, first) {
    const ctx = readContext(ctxJson);
    const { keys, rows } = JSON.parse(messagesJson);
    const results = [];
    W.batch = { results };
    let fields = -1; // the script whose fields ctx holds (no run writes to ctx)
    for (let i = 0; i < rows.length; i++) {
      ctx.message = message(keys, rows[i]);
      let closing = false;
      for (let j = i === 0 ? first : 0; j < scripts.length; j++) {
        if (j !== fields) Object.assign(ctx, scripts[(fields = j)].fields);
        start(ctx, scripts[j].fn);
        const state = W.state(!ctx.maybeAsync);
        if (state.state !== 'done') { W.batch = null; return JSON.stringify({ results, pending: state }); }
        results.push(brief(state.result));
        if (state.result.variables) replay(ctx.scopes, state.result.variables);
        closing = closing || Boolean(state.result.closeStream);
      }
      if (closing) break; // the stream is closed: no later message is read
    }
    W.batch = null;
    return JSON.stringify({ results, pending: null });
  };
  // The runs a stopped batch or series finished, taken once: a later stop before the next
  // batch starts must not find these again.
  G.__wirecall_batch = () => {
    const batch = W.batch;
    W.batch = null;
    return JSON.stringify(batch);
  };

  // Scripts of two items in one evaluation (the engine's run_series): one item's test
  // scripts, then the next item's pre-request scripts, each run on its own context document.
  // Later documents without scopes share the first's, with the variable changes of the runs
  // before them replayed, and a pre-request script's request is the one the pre-request
  // scripts before it left (as the host hands it on). Stops at a run left waiting (`pending`,
  // for the engine to drive) and after a run that skips its request (no later pre-request
  // script runs, as in Newman). W.batch holds the finished runs, should V8 stop the evaluation.
  G.__wirecall_runSeries = function (docs, fns) {
    const ctxs = docs.map((text) => JSON.parse(text));
    for (const ctx of ctxs) if (ctx.scopes === null) ctx.scopes = ctxs[0].scopes;
    const results = [];
    W.batch = { results };
    let request; // the request a pre-request script changed
    for (let i = 0; i < ctxs.length; i++) {
      const ctx = ctxs[i];
      if (request !== undefined && ctx.event === 'prerequest') ctx.request = request;
      start(ctx, fns[i]);
      const state = W.state(!ctx.maybeAsync);
      if (state.state !== 'done') { W.batch = null; return JSON.stringify({ results, pending: state }); }
      const result = state.result;
      results.push(result);
      if (result.variables) replay(ctx.scopes, result.variables);
      if (result.request !== undefined && ctx.event === 'prerequest') request = result.request;
      if (result.skipRequest) break;
    }
    W.batch = null;
    return JSON.stringify({ results, pending: null });
  };

  // settled: the microtasks of the last eval have run, so an idle run is really done.
  W.state = (settled) => {
    const run = W.run;
    if (run.result === null && (run.error || run.skip ||
        (settled && run.pending.size === 0 && run.timers.size === 0))) {
      run.result = W.finish(run);
    }
    if (run.result !== null) return { state: 'done', result: run.result };
    return {
      state: 'wait',
      requests: run.outbox.splice(0),
      timer: W.nextTimerDelay(run),
      waiting: Array.from(run.pending.values()),
    };
  };
  W.poll = (settled) => JSON.stringify(W.state(settled));
  G.__wirecall_poll = () => W.poll(true);

  G.__wirecall_deliver = (json) => {
    const run = W.run;
    for (const r of JSON.parse(json)) {
      const op = run.ops.get(r.id);
      if (!op) continue;
      run.ops.delete(r.id);
      if (r.ok) op.resolve(r.value);
      else op.reject(new Error(r.error));
    }
    W.fireTimer(run);
    return 1;
  };

  // Everything Python needs back, as plain JSON: only what the script did (the host reads
  // a missing field as nothing), so a run that did little sends little.
  W.finishers = []; // functions(run, result) adding their part
  W.finish = (run) => {
    const result = {};
    for (const f of W.finishers) {
      try { f(run, result); } catch (e) { if (!run.error) run.error = W.describeError(e); }
    }
    if (run.assertions.length) result.assertions = run.assertions;
    if (run.console.length) result.console = run.console;
    if (run.error) result.error = run.error;
    if (run.asyncErrors.length) result.asyncErrors = run.asyncErrors;
    if (run.varOps.length) result.variables = run.varOps;
    if (run.skip) result.skipRequest = true;
    if (run.closeStream) result.closeStream = true;
    if (run.send.length) result.send = run.send;
    if (run.visualizer !== null) result.visualizer = run.visualizer;
    if (run.nextRequestSet) result.nextRequest = run.nextRequest === undefined ? null : run.nextRequest;
    return result;
  };
})(globalThis);
