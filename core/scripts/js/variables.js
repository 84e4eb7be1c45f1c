// The variable scopes behind pm.variables, pm.environment, pm.collectionVariables,
// pm.globals and pm.iterationData (run.scopes).
// Each scope is a copy of the host's enabled values; every change is applied to the copy
// (so later reads see it) and logged, and the host replays the log on its real scopes.
(function (G) {
  'use strict';
  const W = G.__wirecall;
  const ORDER = ['local', 'data', 'environment', 'collection', 'globals']; // highest first
  const TOKEN = /{{([^{}]*?)}}/g;
  const MAX_PASSES = 19;

  // Every variable scope has an id: 8 random hex digits through a table of bytes cost a third
  // of formatting the number (toString(16), padStart) in V8's interpreter.
  const HEX = Array.from({ length: 256 }, (_, i) => (i + 256).toString(16).slice(1));
  const hex8 = () => {
    const w = Math.random() * 0x100000000 >>> 0;
    return HEX[w >>> 24] + HEX[(w >>> 16) & 255] + HEX[(w >>> 8) & 255] + HEX[w & 255];
  };
  W.uuid4 = () => {
    const a = hex8(), b = hex8(), c = hex8(), d = hex8();
    return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${'89ab'[Math.floor(Math.random() * 4)]}${c.slice(5)}-${c.slice(0, 4)}${d}`;
  };
  const DYNAMIC = {
    $guid: W.uuid4,
    $randomUUID: W.uuid4,
    $timestamp: () => String(Math.round(Date.now() / 1000)),
    $isoTimestamp: () => new Date().toISOString(),
    $randomInt: () => String(Math.floor(Math.random() * 1001)),
    $randomBoolean: () => String(Math.random() < 0.5),
    $randomAlphaNumeric: () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)],
  };
  // Other $random* names come pre-generated from the host (its faker-like generators).
  const dynamic = (run, name) => {
    if (DYNAMIC[name]) return DYNAMIC[name]();
    const pool = run.ctx.dynamic && run.ctx.dynamic[name];
    return pool && pool.length ? pool.shift() : undefined;
  };

  // A scope's state stays out of sight (chai prints own properties in failure messages);
  // the own ones are Newman's: id, [name], values, _postman_enableTracking, mutations.
  // A scope reads through `maps` (its own values, and for pm.variables every scope's, highest
  // first): values by scope name (run.scopes.valuesOf), so reading through a scope needs no
  // object of it.
  const inner = new WeakMap(); // scope -> {run, scope, values: Map, maps: [Map] | null, scopes}
  // An own enumerable property read through a getter. The getter is shared by every scope
  // (it finds its state through `this`): a function of its own per object would give each
  // object a hidden class of its own, and V8's slow dictionary-mode properties.
  const own = (obj, key, get) => Object.defineProperty(obj, key, { get, enumerable: true, configurable: true });
  function valuesOfScope() { return new W.sdk.VariableList(this.toJSON().values, this); }
  function mutationsOfScope() {
    const { run, scope } = inner.get(this);
    return {
      autoCompact: false,
      stream: run.varOps.filter((op) => op[0] === scope).map((op) => op.slice(1, 4)),
      compacted: {},
    };
  }
  function layersOfLocal() {
    const { scopes } = inner.get(this);
    return ORDER.slice(1).map((name) => scopes[name].values);
  }
  const mapsOf = (scope) => {
    const state = inner.get(scope);
    return state.maps || (state.maps = ORDER.map((name) => state.scopes.valuesOf(name)));
  };

  class PostmanVariableScope {
    constructor(run, scopeName, values, label, tracked = true) {
      inner.set(this, { run, scope: scopeName, values, maps: [values], scopes: null });
      this.id = W.uuid4();
      if (label !== undefined && label !== null) this.name = label;
      own(this, 'values', valuesOfScope);
      if (tracked) {
        this._postman_enableTracking = true;
        own(this, 'mutations', mutationsOfScope); // this script's changes: [instruction, key, value]
      }
    }
    get(key) {
      for (const values of mapsOf(this)) if (values.has(key)) return values.get(key);
      return undefined;
    }
    has(key) { return mapsOf(this).some((values) => values.has(key)); }
    set(key, value, type) {
      const { run, scope, values } = inner.get(this);
      if (type !== undefined) value = castTo(value, type);
      values.set(String(key), value);
      run.varOps.push([scope, 'set', String(key), W.plainValue(value), type || null]);
    }
    unset(key) {
      const { run, scope, values } = inner.get(this);
      values.delete(String(key));
      run.varOps.push([scope, 'unset', String(key)]);
    }
    clear() {
      const { run, scope, values } = inner.get(this);
      values.clear();
      run.varOps.push([scope, 'clear']);
    }
    toObject() {
      const out = {};
      for (const values of mapsOf(this).slice().reverse()) {
        for (const [k, v] of values) out[k] = v;
      }
      return out;
    }
    toJSON() {
      const values = Array.from(inner.get(this).values, ([key, value]) => ({ key, value, type: 'any' }));
      return this.name === undefined ? { values } : { name: this.name, values };
    }
    replaceIn(template) {
      if (typeof template === 'string') return replace(this, template);
      if (template && typeof template === 'object') {
        return JSON.parse(replace(this, JSON.stringify(template)));
      }
      return template;
    }
    variables() { throw new Error('VariableScope#variables has been discontinued, use VariableScope#toObject instead.'); }
  }

  const castTo = (value, type) => {
    switch (type) {
      case 'string': return String(value);
      case 'number': return Number(value);
      case 'boolean': return value === 'false' ? false : Boolean(value);
      case 'array': case 'object': return typeof value === 'string' ? JSON.parse(value) : value;
      default: return value;
    }
  };
  // Values cross to the host as JSON; undefined becomes null as Postman's JSON export does.
  W.plainValue = (v) => (v === undefined ? null : JSON.parse(JSON.stringify(v) ?? 'null'));

  // {{name}} substitution: the scope's layers, then dynamic variables; unknown stays literal.
  const replace = (scope, text) => {
    if (text.indexOf('{{') === -1) return text;
    for (let i = 0; i < MAX_PASSES; i++) {
      const next = text.replace(TOKEN, (whole, name) => {
        for (const values of mapsOf(scope)) {
          if (values.has(name)) return String(values.get(name));
        }
        const generated = name.startsWith('$') ? dynamic(inner.get(scope).run, name) : undefined;
        return generated === undefined ? whole : generated;
      });
      if (next === text) break;
      text = next;
    }
    return text;
  };

  // pm.variables: writes go to the local scope, reads look through every scope.
  const layered = (scopes) => {
    const local = new PostmanVariableScope(scopes.run, 'local', scopes.valuesOf('local'));
    Object.assign(inner.get(local), { maps: null, scopes });
    own(local, '_layers', layersOfLocal);
    return local;
  };

  // run.scopes: the run's scopes by name (pm.environment, postman.*, ...), each built on
  // first use (most scripts touch one or two), and their values (a copy of the host's).
  class Scopes {
    constructor(run) {
      this.run = run;
      this.parts = {};
      this.maps = {}; // scope name -> its values (Map)
    }
    valuesOf(name) {
      const s = this.run.ctx.scopes[name];
      return this.maps[name] || (this.maps[name] = new Map(Object.entries((s && s.values) || {})));
    }
  }
  for (const name of ORDER) {
    W.memo(Scopes, name, name === 'local' ? layered : (scopes) => {
      const s = scopes.run.ctx.scopes[name] || {};
      return new PostmanVariableScope(scopes.run, name, scopes.valuesOf(name), s.name, name !== 'data');
    });
  }
  W.memo(W.Run, 'scopes', (run) => new Scopes(run));
  W.VariableScope = PostmanVariableScope;
})(globalThis);
