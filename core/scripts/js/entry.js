// The entry a prerequest or test script starts from when the host calls it as a function
// (Isolate.start_script) instead of evaluating code: `this` is the text
// "<head JSON>\n<context JSON>", a string V8 receives as it is. Evaluated code would carry
// the context as a string literal that V8's scanner reads, hashes and compiles on every
// script (~0.1 M instructions for a bench request's context).
// head: {id, define?, evict?}: the script's function by id, defined (and kept) on first run;
// or a list of such heads, one per line of context that follows (a series of scripts).
// A definition that does not compile answers {state: 'syntax'}: the host then evaluates it
// as code, where V8 reports the error's line and column.
(function (G) {
  'use strict';
  const W = G.__wirecall;
  const compile = (0, eval);

  // Each script's function by id, defined (and kept) on first run: all or none kept.
  const functions = (heads) => {
    const made = [];
    for (const head of heads) {
      if (head.define === undefined) continue;
      if (head.evict !== undefined) W.scripts.delete(head.evict);
      try {
        made.push([head.id, compile(head.define + '\n//# sourceURL=wirecall-script')]);
      } catch (e) {
        if (e instanceof SyntaxError) return null;
        throw e;
      }
    }
    for (const [id, fn] of made) W.keep(id, fn);
    return heads.map((head) => W.scripts.get(head.id));
  };

  G.__wirecall_call = function () {
    const text = this;
    const cut = text.indexOf('\n');
    const head = JSON.parse(text.slice(0, cut));
    // a series (the engine's run_series): one head per script, one document line for each
    const series = Array.isArray(head);
    const fns = functions(series ? head : [head]);
    if (fns === null) return '{"state":"syntax"}';
    const rest = text.slice(cut + 1);
    return series ? G.__wirecall_runSeries(rest.split('\n'), fns) : G.__wirecall_run(rest, fns[0]);
  };
})(globalThis);
