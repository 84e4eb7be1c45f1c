// Postman's legacy globals (tests[], responseBody, postman.setEnvironmentVariable, ...)
// and its JSON.
// They reach the script as parameters of its wrapper function, so a top-level
// `let data` clashes with them exactly as in Newman while `var data` works. Libraries
// (_ , CryptoJS, tv4, cheerio, xml2Json) are only loaded when the script names them.
(function (G) {
  'use strict';
  const W = G.__wirecall;

  const NAMES = ['tests', 'responseBody', 'responseCode', 'responseTime', 'responseHeaders',
    'responseCookies', 'request', 'environment', 'globals', 'data', 'iteration', 'postman',
    'xml2Json', '_', 'CryptoJS', 'tv4', 'cheerio', 'moment', 'JSON'];
  const LIBRARIES = { _: 'lodash@3', CryptoJS: 'crypto-js', tv4: 'tv4', cheerio: 'cheerio', moment: 'moment' };
  Object.defineProperty(G, '__wirecall_legacyNames', { value: NAMES });

  // The message chai would give for tests["x"] = value (AssertionError: expected <v> to be truthy)
  const show = (v) => (G.__wirecall_chai && G.__wirecall_chai.inspect ? G.__wirecall_chai.inspect(v)
    : (typeof v === 'string' ? `'${v}'` : String(v)));

  // Each global is built only when the script's text names it (ctx.legacyUsed, found by the
  // host; a parameter cannot be read by any other name, short of a direct eval).
  W.installers.push((run, ctx, pm, args) => {
    if (!ctx.legacy) return;
    const scopes = run.scopes;
    const headerObject = (res) => {
      const out = {};
      for (const h of res.headers.all()) out[h.key] = h.value;
      return out;
    };
    const postman = () => {
      const out = {
        setNextRequest: (target) => pm.execution.setNextRequest(target),
        setEnvironmentVariable: (k, v) => scopes.environment.set(k, v === undefined || v === null ? v : v.toString()),
        getEnvironmentVariable: (k) => scopes.environment.get(k),
        clearEnvironmentVariable: (k) => scopes.environment.unset(k),
        clearEnvironmentVariables: () => scopes.environment.clear(),
        setGlobalVariable: (k, v) => scopes.globals.set(k, v === undefined || v === null ? v : v.toString()),
        getGlobalVariable: (k) => scopes.globals.get(k),
        clearGlobalVariable: (k) => scopes.globals.unset(k),
        clearGlobalVariables: () => scopes.globals.clear(),
      };
      const res = run.response;
      if (res) {
        out.getResponseHeader = (name) => res.headers.get(name);
        out.getResponseCookie = (name) => res.cookies.one(name);
      }
      return out;
    };
    const legacyRequest = () => {
      const req = run.request;
      return {
        id: ctx.info.requestId, name: ctx.info.requestName, description: ctx.request.description,
        headers: req.getHeaders({ enabled: true }), method: req.method, url: req.url.toString(),
        data: req.body && req.body.mode === 'urlencoded'
          ? Object.fromEntries((req.body.urlencoded || []).map((p) => [p.key, p.value]))
          : (req.body && req.body.mode === 'raw' ? req.body.raw : {}),
      };
    };
    const ifResponse = (make) => () => (run.response ? make(run.response) : undefined);
    const values = {
      tests: () => (run.legacyTests = {}),
      responseBody: ifResponse((res) => res.text()),
      responseCode: ifResponse((res) => ({ code: res.code, name: res.reason(), detail: res.reason() })),
      responseTime: ifResponse((res) => res.responseTime),
      responseHeaders: ifResponse(headerObject),
      responseCookies: ifResponse((res) => res.cookies.all()),
      request: legacyRequest,
      environment: () => scopes.environment.toObject(),
      globals: () => scopes.globals.toObject(),
      data: () => scopes.data.toObject(),
      iteration: () => ctx.info.iteration,
      postman,
      JSON: () => W.json, // Postman's liquid-json: a JSONError naming line:column (json.js)
    };
    const uses = new Set(ctx.uses || []);
    const lazy = (name) => {
      if (!uses.has(name)) return undefined;
      if (name === 'xml2Json') return W.xml2Json;
      return W.require(LIBRARIES[name]);
    };
    const used = ctx.legacyUsed ? new Set(ctx.legacyUsed) : null;
    for (const name of NAMES) {
      if (used && !used.has(name)) args.push(undefined);
      else args.push(name in values ? values[name]() : lazy(name));
    }
  });

  W.xml2Json = (xml) => {
    let out;
    W.require('xml2js').parseString(xml, { explicitArray: false, trim: true, mergeAttrs: false, async: false },
      (err, parsed) => { if (err) throw err; out = parsed; });
    return out;
  };

  // tests["name"] = value become assertions after the pm.test ones.
  W.finishers.unshift((run) => {
    const tests = run.legacyTests;
    if (!tests) return;
    for (const name of Object.keys(tests)) {
      const value = tests[name];
      run.assertions.push({
        name, passed: Boolean(value), skipped: false, index: run.testIndex++,
        error_name: value ? null : 'AssertionError',
        error_message: value ? null : `expected ${show(value)} to be truthy`,
      });
    }
  });
})(globalThis);
