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

  const headerObject = (res) => {
    const out = {};
    for (const h of res.headers.all()) out[h.key] = h.value;
    return out;
  };
  const postman = (run) => {
    const scope = (name) => run.scopes[name];
    const text = (v) => (v === undefined || v === null ? v : v.toString());
    const out = {
      setNextRequest: (target) => run.pm.execution.setNextRequest(target),
      setEnvironmentVariable: (k, v) => scope('environment').set(k, text(v)),
      getEnvironmentVariable: (k) => scope('environment').get(k),
      clearEnvironmentVariable: (k) => scope('environment').unset(k),
      clearEnvironmentVariables: () => scope('environment').clear(),
      setGlobalVariable: (k, v) => scope('globals').set(k, text(v)),
      getGlobalVariable: (k) => scope('globals').get(k),
      clearGlobalVariable: (k) => scope('globals').unset(k),
      clearGlobalVariables: () => scope('globals').clear(),
    };
    const res = run.response;
    if (res) {
      out.getResponseHeader = (name) => res.headers.get(name);
      out.getResponseCookie = (name) => res.cookies.one(name);
    }
    return out;
  };
  const legacyRequest = (run) => {
    const { ctx, request: req } = run;
    return {
      id: ctx.info.requestId, name: ctx.info.requestName, description: ctx.request.description,
      headers: req.getHeaders({ enabled: true }), method: req.method, url: req.url.toString(),
      data: req.body && req.body.mode === 'urlencoded'
        ? Object.fromEntries((req.body.urlencoded || []).map((p) => [p.key, p.value]))
        : (req.body && req.body.mode === 'raw' ? req.body.raw : {}),
    };
  };
  const ifResponse = (make) => (run) => (run.response ? make(run.response) : undefined);
  const VALUES = {
    tests: (run) => (run.legacyTests = {}),
    responseBody: ifResponse((res) => res.text()),
    responseCode: ifResponse((res) => ({ code: res.code, name: res.reason(), detail: res.reason() })),
    responseTime: ifResponse((res) => res.responseTime),
    responseHeaders: ifResponse(headerObject),
    responseCookies: ifResponse((res) => res.cookies.all()),
    request: legacyRequest,
    environment: (run) => run.scopes.environment.toObject(),
    globals: (run) => run.scopes.globals.toObject(),
    data: (run) => run.scopes.data.toObject(),
    iteration: (run) => run.ctx.info.iteration,
    postman,
    JSON: () => W.json, // Postman's liquid-json: a JSONError naming line:column (json.js)
  };
  // The libraries (ctx.uses: the ones the script names, loaded for it).
  const library = (ctx, name) => {
    if (!(ctx.uses || []).includes(name)) return undefined;
    if (name === 'xml2Json') return W.xml2Json;
    return W.require(LIBRARIES[name]);
  };

  // Only the globals the script's text names are parameters of its function, and built
  // (ctx.legacyUsed, found by the host: a parameter cannot be read by any other name, short
  // of a direct eval, when all of them are).
  W.installers.push((run, ctx, args) => {
    if (!ctx.legacy) return;
    for (const name of ctx.legacyUsed || NAMES) {
      args.push(name in VALUES ? VALUES[name](run) : library(ctx, name));
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
