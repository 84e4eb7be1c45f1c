// require(): Node-like built-ins written here, and npm packages whose files the host ships.
(function (G) {
  'use strict';
  const W = G.__wirecall;
  const builtins = W.builtins = W.builtins || {};
  const cache = new Map(); // resolved path or built-in name -> module.exports
  const files = new Map(); // path -> {source, deps: {specifier: path}}
  const entries = new Map(); // specifier the script used -> path
  const errors = new Map(); // specifier -> why it is not available

  const notFound = (name) => {
    const why = errors.get(name);
    const err = new Error(why || `Cannot find module '${name}': run \`wirecall deps fetch\` to fill the module cache, or check the name`);
    err.code = 'MODULE_NOT_FOUND';
    return err;
  };

  const load = (path) => {
    if (cache.has(path)) return cache.get(path);
    const file = files.get(path);
    const module = { exports: {}, id: path, filename: path, loaded: false };
    cache.set(path, module.exports);
    if (path.endsWith('.json')) {
      module.exports = JSON.parse(file.source);
    } else {
      const localRequire = (spec) => {
        if (Object.prototype.hasOwnProperty.call(file.deps, spec)) return load(file.deps[spec]);
        return W.require(spec);
      };
      const fn = (0, eval)(`(function (exports, require, module, __filename, __dirname, global) {${file.source}\n})\n//# sourceURL=npm/${path}`);
      fn.call(module.exports, module.exports, localRequire, module, path, path.replace(/\/[^/]*$/, ''), G);
    }
    module.loaded = true;
    cache.set(path, module.exports);
    return module.exports;
  };

  W.require = (name) => {
    name = String(name);
    const bare = name.replace(/^node:/, '');
    if (Object.prototype.hasOwnProperty.call(builtins, bare)) {
      if (!cache.has(bare)) cache.set(bare, builtins[bare]());
      return cache.get(bare);
    }
    if (entries.has(name)) return load(entries.get(name));
    throw notFound(name);
  };

  // The files the host ships with a script that may require something (pm.require: pm.js).
  W.installers.push((run, ctx) => {
    const m = ctx.modules;
    if (!m) return;
    for (const [path, file] of Object.entries(m.files || {})) files.set(path, file);
    for (const [spec, path] of Object.entries(m.entries || {})) entries.set(spec, path);
    for (const [spec, why] of Object.entries(m.errors || {})) errors.set(spec, why);
  });
  Object.defineProperty(G, 'require', { value: (name) => W.require(name), writable: true, configurable: true, enumerable: false });
})(globalThis);
