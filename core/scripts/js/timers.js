// setTimeout/setInterval/setImmediate and their clear* functions, driven by the host.
// Timers belong to the running script: Python sleeps until the next one is due and asks
// for it to fire; when the script finishes, its remaining timers are dropped (Postman
// "seals" them the same way). mini-racer's own setTimeout is replaced because its
// callbacks run outside any evaluation Python can cancel.
(function (G) {
  'use strict';
  const W = G.__wirecall;
  let nextId = 1;

  const add = (fn, delay, args, repeat) => {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
    const run = W.run;
    const ms = Math.max(0, Number(delay) || 0);
    const id = nextId++;
    run.timers.set(id, { id, due: Date.now() + ms, ms, fn, args, repeat });
    return id;
  };
  const clear = (id) => { if (W.run) W.run.timers.delete(Number(id)); };

  W.nextTimerDelay = (run) => {
    let due = null;
    for (const t of run.timers.values()) if (due === null || t.due < due) due = t.due;
    return due === null ? null : Math.max(0, due - Date.now());
  };

  // Fire the earliest due timer (one per host step, so its promise reactions run
  // before the next timer, as in Node).
  W.fireTimer = (run) => {
    let next = null;
    for (const t of run.timers.values()) {
      if (t.due <= Date.now() && (next === null || t.due < next.due)) next = t;
    }
    if (next === null) return;
    if (next.repeat) next.due = Date.now() + Math.max(1, next.ms);
    else run.timers.delete(next.id);
    try { next.fn.apply(undefined, next.args); } catch (e) { W.asyncError(e); }
  };

  const api = {
    setTimeout: (fn, delay, ...args) => add(fn, delay, args, false),
    setInterval: (fn, delay, ...args) => add(fn, delay, args, true),
    setImmediate: (fn, ...args) => add(fn, 0, args, false),
    clearTimeout: clear, clearInterval: clear, clearImmediate: clear,
  };
  for (const [name, fn] of Object.entries(api)) {
    G[name] = fn; // mini-racer declared setTimeout with `var`: assign, do not redefine
  }
  W.timers = api;
})(globalThis);
