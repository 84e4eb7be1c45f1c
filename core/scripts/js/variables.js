// pm.variables, pm.environment, pm.collectionVariables, pm.globals, pm.iterationData.
// Each scope is a copy of the host's enabled values; every change is applied to the copy
// (so later reads see it) and logged, and the host replays the log on its real scopes.
(function (G) {
  'use strict';
  const W = G.__wirecall;
  const ORDER = ['local', 'data', 'environment', 'collection', 'globals']; // highest first
  const TOKEN = /{{([^{}]*?)}}/g;
  const MAX_PASSES = 19;

  const hex = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  W.uuid4 = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(Math.random() * 4)]}${hex(3)}-${hex(12)}`;
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

  class VariableScope {
    constructor(run, scopeName, values, label) {
      this._run = run;
      this._scope = scopeName;
      this._values = new Map(Object.entries(values || {}));
      if (label !== undefined && label !== null) this.name = label;
    }
    _layers() { return [this]; }
    get(key) {
      for (const layer of this._layers()) if (layer._values.has(key)) return layer._values.get(key);
      return undefined;
    }
    has(key) { return this._layers().some((layer) => layer._values.has(key)); }
    set(key, value, type) {
      if (type !== undefined) value = castTo(value, type);
      this._values.set(String(key), value);
      this._run.varOps.push([this._scope, 'set', String(key), W.plainValue(value), type || null]);
    }
    unset(key) {
      this._values.delete(String(key));
      this._run.varOps.push([this._scope, 'unset', String(key)]);
    }
    clear() {
      this._values.clear();
      this._run.varOps.push([this._scope, 'clear']);
    }
    toObject() {
      const out = {};
      for (const layer of this._layers().slice().reverse()) {
        for (const [k, v] of layer._values) out[k] = v;
      }
      return out;
    }
    toJSON() {
      const values = Array.from(this._values, ([key, value]) => ({ key, value, type: 'any' }));
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
        for (const layer of scope._layers()) {
          if (layer._values.has(name)) return String(layer._values.get(name));
        }
        const generated = name.startsWith('$') ? dynamic(scope._run, name) : undefined;
        return generated === undefined ? whole : generated;
      });
      if (next === text) break;
      text = next;
    }
    return text;
  };

  // pm.variables: writes go to the local scope, reads look through every scope.
  class LayeredScope extends VariableScope {
    constructor(run, scopes) {
      super(run, 'local', run.ctx.scopes.local && run.ctx.scopes.local.values);
      this._all = scopes;
    }
    _layers() { return ORDER.map((name) => (name === 'local' ? this : this._all[name])); }
  }

  W.installers.push((run, ctx, pm) => {
    const scopes = {};
    for (const name of ORDER) {
      if (name === 'local') continue;
      const s = ctx.scopes[name] || {};
      scopes[name] = new VariableScope(run, name, s.values, s.name);
    }
    scopes.local = new LayeredScope(run, scopes);
    run.scopes = scopes;
    const ro = (key, value) => Object.defineProperty(pm, key, { value, enumerable: true });
    ro('variables', scopes.local);
    ro('environment', scopes.environment);
    ro('collectionVariables', scopes.collection);
    ro('globals', scopes.globals);
    ro('iterationData', scopes.data);
  });
  W.VariableScope = VariableScope;
})(globalThis);
