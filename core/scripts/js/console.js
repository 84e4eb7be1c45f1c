// console.* captured into the script's result (mini-racer's own console prints nowhere).
(function (G) {
  'use strict';
  const W = G.__wirecall;

  // A JSON-safe copy of a logged value: functions, undefined, symbols and cycles become
  // the text Node's console would show for them.
  const plain = (v, seen) => {
    if (v === undefined) return 'undefined';
    if (typeof v === 'function') return `[Function: ${v.name || '(anonymous)'}]`;
    if (typeof v === 'symbol' || typeof v === 'bigint') return String(v);
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Error) return v.stack ? String(v.stack).split('\n')[0] : `${v.name}: ${v.message}`;
    if (v instanceof Date) return isNaN(v) ? 'Invalid Date' : v.toISOString();
    if (v instanceof RegExp) return String(v);
    if (seen.has(v)) return '[Circular]';
    seen.add(v);
    let out;
    if (Array.isArray(v) || ArrayBuffer.isView(v)) out = Array.from(v, (x) => plain(x, seen));
    else if (typeof v.toJSON === 'function') {
      try { out = plain(v.toJSON(), seen); } catch (e) { out = String(v); }
    } else {
      out = {};
      for (const k of Object.keys(v)) out[k] = plain(v[k], seen);
    }
    seen.delete(v);
    return out;
  };
  W.plain = (v) => plain(v, new Set());

  const console = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    console[level] = (...args) => {
      if (W.run) W.run.console.push([level, args.map(W.plain)]);
    };
  }
  console.clear = () => {};
  Object.defineProperty(G, 'console', { value: console, writable: true, configurable: true, enumerable: false });
})(globalThis);
