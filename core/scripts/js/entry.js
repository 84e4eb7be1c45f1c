// The entry a prerequest or test script starts from when the host calls it as a function
// (Isolate.start_script) instead of evaluating code: `this` is the text
// "<head JSON>\n<context JSON>", a string V8 receives as it is. Evaluated code would carry
// the context as a string literal that V8's scanner reads, hashes and compiles on every
// script (~0.1 M instructions for a bench request's context).
// head: {id, define?, evict?}: the script's function by id, defined (and kept) on first run.
// A definition that does not compile answers {state: 'syntax'}: the host then evaluates it
// as code, where V8 reports the error's line and column.
(function (G) {
  'use strict';
  const W = G.__wirecall;
  const compile = (0, eval);

  G.__wirecall_call = function () {
    const text = this;
    const cut = text.indexOf('\n');
    const head = JSON.parse(text.slice(0, cut));
    let fn = W.scripts.get(head.id);
    if (head.define !== undefined) {
      if (head.evict !== undefined) W.scripts.delete(head.evict);
      try {
        fn = W.keep(head.id, compile(head.define + '\n//# sourceURL=wirecall-script'));
      } catch (e) {
        if (e instanceof SyntaxError) return '{"state":"syntax"}';
        throw e;
      }
    }
    return G.__wirecall_run(text.slice(cut + 1), fn);
  };
})(globalThis);
