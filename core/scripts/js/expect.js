/*
 * wirecall's assertion library: a chai-4-compatible BDD `expect` plus Postman's
 * response/request assertions (what chai-postman adds in Postman's sandbox).
 *
 * Why it exists: Newman reports chai's failure messages word for word, so the
 * messages here follow chai 4.4.1 (and its value inspector, loupe 2.3) exactly.
 *
 * Evaluated once per V8 context. It defines exactly two globals:
 *
 *   globalThis.__wirecall_chai = {
 *     expect(value, message?),   // chai's expect, with the Postman plugin installed
 *     AssertionError,            // name 'AssertionError'; message, actual, expected, showDiff
 *     inspect(value),            // chai's inspector (loupe, truncated at 40 chars)
 *     Assertion,                 // for pm.expect-like wrappers that need flags
 *   }
 *   globalThis.__wirecall_responseAssertions(chai) -> { response(obj[, {to}]), request(obj[, {to}]) }
 *     Marks an object as a Postman Response / Request (so the Postman assertions accept
 *     it; the mark is kept inside expect.js, not on the object) and gives it the own `.to`
 *     getter: `obj.to` === expect(obj).to. Pass {to: false} for objects that Newman gives
 *     no `.to`, such as the response handed to a pm.sendRequest callback.
 *     `chai` is __wirecall_chai (accepted for symmetry; the plugin is always installed).
 *
 * Shape expected of a response object (what pm.js builds):
 *   code          number, e.g. 404
 *   status        reason phrase, e.g. 'Not Found' (the server's own phrase)
 *   reason()      returns the reason phrase (defaults to `status`)
 *   details()     optional; {code, name}; defaults to {code: this.code}
 *   headers       has(name) case-insensitive; one(name) -> {key, value} or get(name) -> value
 *   text()        body as a string
 *   json()        parsed body; throws on invalid JSON. Newman's message quotes the first
 *                 line of the error: an error named 'JSONError' is quoted by its message,
 *                 any other as `${name}: ${message}`.
 *   responseTime  number (ms)
 *   size()        optional; {body, header} byte counts
 * A request object needs `headers` (as above) and optionally json().
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------------------
  // 1. Type detection (type-detect's answers: 'Array', 'Object', 'string', 'null', ...)
  // ---------------------------------------------------------------------------

  function typeOf(value) {
    if (value === null) return 'null';
    var t = typeof value;
    if (t !== 'object') return t;
    if (Array.isArray(value) && !(Symbol.toStringTag in value)) return 'Array';
    var tag = value[Symbol.toStringTag];
    if (typeof tag === 'string') return tag;
    return Object.prototype.toString.call(value).slice(8, -1);
  }

  function lowerType(value) {
    return typeOf(value).toLowerCase();
  }

  function isNaNValue(value) {
    return typeof value === 'number' && value !== value; // eslint-disable-line no-self-compare
  }

  function functionName(fn) {
    return typeof fn === 'function' ? fn.name : null;
  }

  // ---------------------------------------------------------------------------
  // 2. Inspection: how chai prints values inside messages (loupe's rules)
  //    Every call works on a copy of the options, as loupe does; list helpers
  //    shrink `truncate` as they go so long values end in '…(n)'.
  // ---------------------------------------------------------------------------

  var TRUNCATE = 40;
  var ELLIPSIS = '\u2026';

  function truncateText(text, length) {
    text = String(text);
    if (ELLIPSIS.length > length && text.length > ELLIPSIS.length) return ELLIPSIS;
    if (text.length > length && text.length > ELLIPSIS.length) {
      return text.slice(0, length - ELLIPSIS.length) + ELLIPSIS;
    }
    return text;
  }

  function inspectList(list, options, inspectItem, separator) {
    separator = separator || ', ';
    inspectItem = inspectItem || inspectValue;
    var size = list.length;
    if (size === 0) return '';
    var budget = options.truncate;
    var output = '';
    var peek = '';
    var tail = '';
    for (var i = 0; i < size; i += 1) {
      var last = i + 1 === size;
      var secondToLast = i + 2 === size;
      tail = ELLIPSIS + '(' + (size - i) + ')';
      options.truncate = budget - output.length - (last ? 0 : separator.length);
      var text = peek || inspectItem(list[i], options) + (last ? '' : separator);
      var nextLength = output.length + text.length;
      var withTail = nextLength + tail.length;
      if (last && nextLength > budget && output.length + tail.length <= budget) break;
      if (!last && !secondToLast && withTail > budget) break;
      peek = last ? '' : inspectItem(list[i + 1], options) + (secondToLast ? '' : separator);
      if (!last && secondToLast && withTail > budget && nextLength + peek.length > budget) break;
      output += text;
      if (!last && !secondToLast && nextLength + peek.length >= budget) {
        tail = ELLIPSIS + '(' + (size - i - 1) + ')';
        break;
      }
      tail = '';
    }
    return output + tail;
  }

  function quoteKey(key) {
    if (/^[a-zA-Z_][a-zA-Z_0-9]*$/.test(key)) return key;
    return JSON.stringify(key).replace(/'/g, "\\'").replace(/\\"/g, '"').replace(/(^"|"$)/g, "'");
  }

  function inspectProperty(entry, options) {
    var key = entry[0];
    options.truncate -= 2;
    if (typeof key === 'string') key = quoteKey(key);
    else if (typeof key !== 'number') key = '[' + inspectValue(key, options) + ']';
    options.truncate -= key.length;
    return key + ': ' + inspectValue(entry[1], options);
  }

  var ESCAPED_CHARS = /['\u0000-\u001f\u007f-\u009f\u00ad\u0600-\u0604\u070f\u17b4\u17b5\u200c-\u200f\u2028-\u202f\u2060-\u206f\ufeff\ufff0-\uffff]/g;
  var ESCAPES = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', "'": "\\'", '\\': '\\\\' };

  function inspectString(text, options) {
    text = text.replace(ESCAPED_CHARS, function (ch) {
      return ESCAPES[ch] || '\\u' + ('0000' + ch.charCodeAt(0).toString(16)).slice(-4);
    });
    return "'" + truncateText(text, options.truncate - 2) + "'";
  }

  function inspectNumber(n, options) {
    n = Number(n);
    if (n !== n) return 'NaN'; // eslint-disable-line no-self-compare
    if (n === Infinity) return 'Infinity';
    if (n === -Infinity) return '-Infinity';
    if (n === 0) return 1 / n === Infinity ? '+0' : '-0';
    return truncateText(n, options.truncate);
  }

  function inspectArray(array, options) {
    var extraKeys = Object.keys(array).slice(array.length);
    if (!array.length && !extraKeys.length) return '[]';
    options.truncate -= 4;
    var items = inspectList(array, options);
    options.truncate -= items.length;
    var extras = extraKeys.length ? inspectList(extraKeys.map(function (k) { return [k, array[k]]; }), options, inspectProperty) : '';
    return '[ ' + items + (extras ? ', ' + extras : '') + ' ]';
  }

  function inspectTypedArray(array, options) {
    // loupe names Node's Buffers (Uint8Arrays by their tag) after their class
    var isBuffer = typeof globalThis.Buffer === 'function' && array instanceof globalThis.Buffer;
    var name = isBuffer ? 'Buffer' : array[Symbol.toStringTag] || functionName(array.constructor);
    options.truncate -= name.length + 4;
    var extraKeys = Object.keys(array).slice(array.length);
    if (!array.length && !extraKeys.length) return name + '[]';
    var output = '';
    for (var i = 0; i < array.length; i++) {
      var text = truncateText(array[i], options.truncate) + (i === array.length - 1 ? '' : ', ');
      options.truncate -= text.length;
      if (array[i] !== array.length && options.truncate <= 3) {
        output += ELLIPSIS + '(' + (array.length - array[i] + 1) + ')';
        break;
      }
      output += text;
    }
    var extras = extraKeys.length ? inspectList(extraKeys.map(function (k) { return [k, array[k]]; }), options, inspectProperty) : '';
    return name + '[ ' + output + (extras ? ', ' + extras : '') + ' ]';
  }

  function inspectObject(object, options) {
    var names = Object.getOwnPropertyNames(object);
    var symbols = Object.getOwnPropertySymbols(object);
    if (!names.length && !symbols.length) return '{}';
    options.truncate -= 4;
    if (options.seen.indexOf(object) >= 0) return '[Circular]';
    options.seen.push(object);
    var props = inspectList(names.map(function (k) { return [k, object[k]]; }), options, inspectProperty);
    var syms = inspectList(symbols.map(function (k) { return [k, object[k]]; }), options, inspectProperty);
    options.seen.pop();
    return '{ ' + props + (props && syms ? ', ' : '') + syms + ' }';
  }

  function inspectClass(value, options) {
    var name = (Symbol.toStringTag in value && value[Symbol.toStringTag]) || functionName(value.constructor);
    if (!name || name === '_class') name = '<Anonymous Class>';
    options.truncate -= name.length;
    return name + inspectObject(value, options);
  }

  var ERROR_KEYS = ['stack', 'line', 'column', 'name', 'message', 'fileName', 'lineNumber', 'columnNumber', 'number', 'description'];

  function inspectError(error, options) {
    var keys = Object.getOwnPropertyNames(error).filter(function (k) { return ERROR_KEYS.indexOf(k) === -1; });
    var name = error.name;
    options.truncate -= name.length;
    var message = '';
    if (typeof error.message === 'string') message = truncateText(error.message, options.truncate);
    else keys.unshift('message');
    message = message ? ': ' + message : '';
    options.truncate -= message.length + 5;
    var props = inspectList(keys.map(function (k) { return [k, error[k]]; }), options, inspectProperty);
    return name + message + (props ? ' { ' + props + ' }' : '');
  }

  function inspectMapEntry(entry, options) {
    options.truncate -= 4;
    var key = inspectValue(entry[0], options);
    options.truncate -= key.length;
    return key + ' => ' + inspectValue(entry[1], options);
  }

  var INSPECTORS = {
    undefined: function () { return 'undefined'; },
    null: function () { return 'null'; },
    boolean: function (v) { return String(v); },
    Boolean: function (v) { return String(v); },
    number: inspectNumber,
    Number: inspectNumber,
    bigint: function (v, o) { return truncateText(v.toString(), o.truncate - 1) + 'n'; },
    BigInt: function (v, o) { return truncateText(v.toString(), o.truncate - 1) + 'n'; },
    string: inspectString,
    String: function (v, o) { return inspectString(String(v), o); },
    function: function (fn, o) {
      var name = functionName(fn);
      return name ? '[Function ' + truncateText(name, o.truncate - 11) + ']' : '[Function]';
    },
    symbol: function (s) { return s.description ? 'Symbol(' + s.description + ')' : 'Symbol()'; },
    Symbol: function (s) { return s.description ? 'Symbol(' + s.description + ')' : 'Symbol()'; },
    Array: inspectArray,
    Date: function (d, o) {
      var json = d.toJSON();
      if (json === null) return 'Invalid Date';
      var parts = json.split('T');
      return parts[0] + 'T' + truncateText(parts[1], o.truncate - parts[0].length - 1);
    },
    Map: function (map, o) {
      if (map.size - 1 <= 0) return 'Map{}'; // sic: loupe 2.3 prints a one-entry Map as Map{}
      o.truncate -= 7;
      var entries = [];
      map.forEach(function (v, k) { entries.push([k, v]); });
      return 'Map{ ' + inspectList(entries, o, inspectMapEntry) + ' }';
    },
    Set: function (set, o) {
      if (set.size === 0) return 'Set{}';
      o.truncate -= 7;
      var values = [];
      set.forEach(function (v) { values.push(v); });
      return 'Set{ ' + inspectList(values, o) + ' }';
    },
    RegExp: function (re, o) {
      var flags = re.toString().split('/')[2];
      return '/' + truncateText(re.source, o.truncate - (2 + flags.length)) + '/' + flags;
    },
    Promise: function () { return 'Promise{\u2026}'; },
    WeakSet: function () { return 'WeakSet{\u2026}'; },
    WeakMap: function () { return 'WeakMap{\u2026}'; },
    Arguments: function (args, o) {
      if (args.length === 0) return 'Arguments[]';
      o.truncate -= 13;
      return 'Arguments[ ' + inspectList(args, o) + ' ]';
    },
    Generator: function () { return ''; },
    DataView: function () { return ''; },
    ArrayBuffer: function () { return ''; },
    Error: inspectError
  };
  ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
    'Uint32Array', 'Float32Array', 'Float64Array'].forEach(function (name) { INSPECTORS[name] = inspectTypedArray; });

  var CHAI_INSPECT = Symbol.for('chai/inspect');

  function customInspection(value, options) {
    if (typeof value[CHAI_INSPECT] === 'function') return value[CHAI_INSPECT](options);
    if ('inspect' in value && typeof value.inspect === 'function') return value.inspect(options.depth, options);
    return '';
  }

  function inspectValue(value, parentOptions) {
    var options = { truncate: parentOptions.truncate, seen: parentOptions.seen, depth: 2 };
    var type = value === null ? 'null' : typeof value;
    if (type === 'object') type = Object.prototype.toString.call(value).slice(8, -1);
    if (Object.prototype.hasOwnProperty.call(INSPECTORS, type)) return INSPECTORS[type](value, options);
    if (value) {
      var custom = customInspection(value, options);
      if (custom) return typeof custom === 'string' ? custom : inspectValue(custom, options);
    }
    var proto = value ? Object.getPrototypeOf(value) : false;
    if (proto === Object.prototype || proto === null) return inspectObject(value, options);
    if ('constructor' in value) {
      return value.constructor !== Object ? inspectClass(value, options) : inspectObject(value, options);
    }
    if (value === Object(value)) return inspectObject(value, options);
    return String(value);
  }

  /** chai's `_.inspect`: the full (loupe-truncated) text of a value. */
  function inspect(value) {
    return inspectValue(value, { truncate: TRUNCATE, seen: [] });
  }

  /** chai's `objDisplay`: inspect, but long arrays/objects/functions become a summary. */
  function objDisplay(value) {
    var text = inspect(value);
    if (text.length < TRUNCATE) return text;
    var type = Object.prototype.toString.call(value);
    if (type === '[object Function]') return value.name ? '[Function: ' + value.name + ']' : '[Function]';
    if (type === '[object Array]') return '[ Array(' + value.length + ') ]';
    if (type === '[object Object]') {
      var keys = Object.keys(value);
      var shown = keys.length > 2 ? keys.slice(0, 2).join(', ') + ', ...' : keys.join(', ');
      return '{ Object (' + shown + ') }';
    }
    return text;
  }

  // ---------------------------------------------------------------------------
  // 3. Deep equality (chai's deep-eql: NaN equals NaN, +0 differs from -0,
  //    key order is irrelevant, types must match, cycles are memoised)
  // ---------------------------------------------------------------------------

  function isPrimitive(value) {
    return value === null || (typeof value !== 'object' && typeof value !== 'function');
  }

  function simpleEqual(a, b) {
    if (a === b) return a !== 0 || 1 / a === 1 / b;
    if (a !== a && b !== b) return true; // eslint-disable-line no-self-compare
    if (isPrimitive(a) || isPrimitive(b)) return false;
    return null;
  }

  function deepEqual(a, b, memo) {
    var simple = simpleEqual(a, b);
    if (simple !== null) return simple;
    memo = memo || new Map();
    var known = (memo.get(a) && memo.get(a).get(b));
    if (typeof known === 'boolean') return known;
    known = memo.get(b) && memo.get(b).get(a);
    if (typeof known === 'boolean') return known;
    var type = typeOf(a);
    if (type !== typeOf(b)) return remember(memo, a, b, false);
    remember(memo, a, b, true);
    return remember(memo, a, b, equalByType(a, b, type, memo));
  }

  function remember(memo, a, b, result) {
    if (!memo.has(a)) memo.set(a, new Map());
    memo.get(a).set(b, result);
    return result;
  }

  function equalByType(a, b, type, memo) {
    switch (type) {
      case 'String': case 'Number': case 'Boolean': case 'Date':
        return deepEqual(a.valueOf(), b.valueOf());
      case 'Promise': case 'Symbol': case 'function': case 'WeakMap': case 'WeakSet':
        return a === b;
      case 'Error':
        return ['name', 'message', 'code'].every(function (k) { return deepEqual(a[k], b[k], memo); });
      case 'Arguments': case 'Int8Array': case 'Uint8Array': case 'Uint8ClampedArray': case 'Int16Array':
      case 'Uint16Array': case 'Int32Array': case 'Uint32Array': case 'Float32Array': case 'Float64Array':
      case 'Array':
        return listEqual(a, b, memo);
      case 'RegExp':
        return a.toString() === b.toString();
      case 'Set': case 'Map':
        return entriesEqual(a, b, memo);
      default:
        return objectEqual(a, b, memo);
    }
  }

  function listEqual(a, b, memo) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) {
      if (!deepEqual(a[i], b[i], memo)) return false;
    }
    return true;
  }

  function entriesEqual(a, b, memo) {
    if (a.size !== b.size) return false;
    if (a.size === 0) return true;
    var left = [];
    var right = [];
    a.forEach(function (v, k) { left.push([k, v]); });
    b.forEach(function (v, k) { right.push([k, v]); });
    return listEqual(left.sort(), right.sort(), memo);
  }

  function enumerableKeys(target) {
    var keys = [];
    for (var key in target) keys.push(key); // inherited enumerable keys count too, as in deep-eql
    Object.getOwnPropertySymbols(target).forEach(function (sym) {
      if (Object.getOwnPropertyDescriptor(target, sym).enumerable) keys.push(sym);
    });
    return keys;
  }

  function iteratorEntries(target) {
    if (typeof target !== 'object' || typeof target[Symbol.iterator] !== 'function') return [];
    try {
      return Array.from(target[Symbol.iterator]());
    } catch (e) {
      return [];
    }
  }

  function objectEqual(a, b, memo) {
    var leftKeys = enumerableKeys(a);
    var rightKeys = enumerableKeys(b);
    if (leftKeys.length && leftKeys.length === rightKeys.length) {
      var names = function (keys) { return keys.map(String).sort(); };
      if (!listEqual(names(leftKeys), names(rightKeys))) return false;
      return leftKeys.every(function (k) { return deepEqual(a[k], b[k], memo); });
    }
    var leftEntries = iteratorEntries(a);
    var rightEntries = iteratorEntries(b);
    if (leftEntries.length && leftEntries.length === rightEntries.length) {
      return listEqual(leftEntries.sort(), rightEntries.sort(), memo);
    }
    return leftKeys.length === 0 && leftEntries.length === 0 &&
      rightKeys.length === 0 && rightEntries.length === 0;
  }

  // ---------------------------------------------------------------------------
  // 4. AssertionError (what the `assertion-error` package gives chai)
  // ---------------------------------------------------------------------------

  function AssertionError(message, props) {
    this.message = message || 'Unspecified AssertionError';
    this.showDiff = false;
    for (var key in props || {}) this[key] = props[key];
    var captured = new Error(this.message);
    captured.name = 'AssertionError';
    this.stack = captured.stack;
  }
  AssertionError.prototype = Object.create(Error.prototype);
  AssertionError.prototype.name = 'AssertionError';
  AssertionError.prototype.constructor = AssertionError;
  AssertionError.prototype.toJSON = function (stack) {
    var out = { name: this.name };
    for (var key in this) if (key !== 'stack' && key !== 'toJSON') out[key] = this[key];
    if (stack !== false && this.stack) out.stack = this.stack;
    return out;
  };

  // ---------------------------------------------------------------------------
  // 5. The Assertion object: flags, chain building, message formatting
  // ---------------------------------------------------------------------------

  function flag(assertion, name, value) {
    var flags = assertion.__flags || (assertion.__flags = Object.create(null));
    if (arguments.length === 3) flags[name] = value;
    else return flags[name];
  }

  /** Copy flags to the next link of a chain (all of them unless `includeAll` is false). */
  function transferFlags(from, to, includeAll) {
    var flags = from.__flags || (from.__flags = Object.create(null));
    if (!to.__flags) to.__flags = Object.create(null);
    if (arguments.length < 3) includeAll = true;
    for (var name in flags) {
      if (includeAll || (name !== 'object' && name !== 'ssfi' && name !== 'lockSsfi' && name !== 'message')) {
        to.__flags[name] = flags[name];
      }
    }
  }

  function Assertion(object, message) {
    flag(this, 'object', object);
    flag(this, 'message', message);
    flag(this, 'eql', deepEqual);
    return guard(this);
  }

  Object.defineProperty(Assertion.prototype, '_obj', {
    get: function () { return flag(this, 'object'); },
    set: function (value) { flag(this, 'object', value); }
  });

  function formatMessage(assertion, args) {
    var negate = flag(assertion, 'negate');
    var template = negate ? args[2] : args[1];
    if (typeof template === 'function') template = template();
    template = template || '';
    var actual = args.length > 4 ? args[4] : assertion._obj;
    var text = template
      .replace(/#\{this\}/g, function () { return objDisplay(flag(assertion, 'object')); })
      .replace(/#\{act\}/g, function () { return objDisplay(actual); })
      .replace(/#\{exp\}/g, function () { return objDisplay(args[3]); });
    var custom = flag(assertion, 'message');
    return custom ? custom + ': ' + text : text;
  }

  /** chai's Assertion#assert(expr, msg, negatedMsg, expected, actual, showDiff). */
  Assertion.prototype.assert = function (expr, msg, negateMsg, expected, actual, showDiff) {
    var ok = flag(this, 'negate') ? !expr : expr;
    if (ok) return;
    showDiff = showDiff !== false && !(expected === undefined && actual === undefined);
    throw new AssertionError(formatMessage(this, arguments), {
      actual: arguments.length > 4 ? actual : this._obj,
      expected: expected,
      showDiff: showDiff
    });
  };

  /** Prefix used by errors chai throws directly (bad arguments, wrong target type). */
  function prefix(assertion) {
    var custom = flag(assertion, 'message');
    return custom ? custom + ': ' : '';
  }

  function fail(assertion, text) {
    throw new AssertionError(prefix(assertion) + text);
  }

  /** A fresh assertion about `value` carrying this one's custom message (chai's sub-assertions). */
  function sub(assertion, value) {
    return new Assertion(value, flag(assertion, 'message'));
  }

  // Preconditions chai (and chai-postman) check with a sub-assertion about a value: its
  // chain of links and proxies costs a few µs, so it only runs when the check fails, for
  // its message. `of`: the assertion whose custom message it carries (chai's own), or null
  // (chai-postman's carry none).
  function subject(of, value) {
    return of ? sub(of, value) : new Assertion(value);
  }
  function requireProperty(of, value, name) {
    if (!hasProperty(value, name)) subject(of, value).to.have.property(name);
  }
  function requireType(of, value, type) {
    if (lowerType(value) !== type) subject(of, value).to.be.a(type);
  }

  function nextLink(from) {
    var next = new Assertion();
    transferFlags(from, next);
    return next;
  }

  function addProperty(name, getter) {
    Object.defineProperty(Assertion.prototype, name, {
      configurable: true,
      get: function () {
        var result = getter ? getter.call(this) : undefined;
        return result !== undefined ? result : nextLink(this);
      }
    });
  }

  function lengthGuard(fn, name, chainable) {
    Object.defineProperty(fn, 'length', {
      get: function () {
        if (chainable) {
          throw Error('Invalid Chai property: ' + name + '.length. Due to a compatibility issue, "length" ' +
            'cannot directly follow "' + name + '". Use "' + name + '.lengthOf" instead.');
        }
        throw Error('Invalid Chai property: ' + name + '.length. See docs for proper usage of "' + name + '".');
      }
    });
    return fn;
  }

  function addMethod(name, method) {
    var wrapper = function () {
      var result = method.apply(this, arguments);
      return result !== undefined ? result : nextLink(this);
    };
    Assertion.prototype[name] = guard(lengthGuard(wrapper, name, false), name);
  }

  /** A name usable both as a chain link (`.include.members`) and a call (`.include(x)`). */
  function addChainableMethod(name, method, chainingBehavior) {
    Object.defineProperty(Assertion.prototype, name, {
      configurable: true,
      get: function () {
        if (chainingBehavior) chainingBehavior.call(this);
        var wrapper = function () {
          var result = method.apply(this, arguments);
          return result !== undefined ? result : nextLink(this);
        };
        lengthGuard(wrapper, name, true);
        var proto = Object.create(this);
        proto.call = Function.prototype.call;
        proto.apply = Function.prototype.apply;
        Object.setPrototypeOf(wrapper, proto);
        transferFlags(this, wrapper);
        return guard(wrapper);
      }
    });
  }

  // Unknown properties throw, with chai's "Did you mean" suggestion (chai's proxify).
  var INTERNAL_NAMES = ['__flags', '__methods', '_obj', 'assert'];
  var PASS_THROUGH = ['then', 'catch', 'inspect', 'toJSON'];

  function allPropertyNames(object) {
    var names = Object.getOwnPropertyNames(object);
    for (var proto = Object.getPrototypeOf(object); proto !== null; proto = Object.getPrototypeOf(proto)) {
      Object.getOwnPropertyNames(proto).forEach(function (n) { if (names.indexOf(n) === -1) names.push(n); });
    }
    return names;
  }

  /** Edit distance, giving up at `cap` (same table as chai's, quirks included). */
  function cappedDistance(a, b, cap) {
    if (Math.abs(a.length - b.length) >= cap) return cap;
    var table = [];
    for (var i = 0; i <= a.length; i++) {
      table[i] = new Array(b.length + 1).fill(0);
      table[i][0] = i;
    }
    for (var j = 0; j < b.length; j++) table[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        if (Math.abs(i - j) >= cap) {
          table[i][j] = cap;
          continue;
        }
        table[i][j] = Math.min(table[i - 1][j] + 1, table[i][j - 1] + 1,
          table[i - 1][j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      }
    }
    return table[a.length][b.length];
  }

  function unknownProperty(target, property, methodName) {
    if (methodName) {
      return Error('Invalid Chai property: ' + methodName + '.' + property +
        '. See docs for proper usage of "' + methodName + '".');
    }
    var suggestion = null;
    var best = 4;
    allPropertyNames(target).forEach(function (name) {
      if (Object.prototype.hasOwnProperty.call(Object.prototype, name) || INTERNAL_NAMES.indexOf(name) !== -1) return;
      var distance = cappedDistance(property, name, best);
      if (distance < best) {
        suggestion = name;
        best = distance;
      }
    });
    return Error('Invalid Chai property: ' + property + (suggestion !== null ? '. Did you mean "' + suggestion + '"?' : ''));
  }

  // One handler per method name (undefined: an assertion), shared by all their proxies.
  var handlers = new Map();
  function guard(target, methodName) {
    var handler = handlers.get(methodName);
    if (!handler) {
      handler = {
        get: function (t, property) {
          if (typeof property === 'string' && !Reflect.has(t, property) && PASS_THROUGH.indexOf(property) === -1) {
            throw unknownProperty(t, property, methodName);
          }
          return Reflect.get(t, property);
        }
      };
      handlers.set(methodName, handler);
    }
    return new Proxy(target, handler);
  }

  // ---------------------------------------------------------------------------
  // 6. chai's core BDD vocabulary (definition order matters for "Did you mean")
  // ---------------------------------------------------------------------------

  ['to', 'be', 'been', 'is', 'and', 'has', 'have', 'with', 'that', 'which', 'at', 'of',
    'same', 'but', 'does', 'still', 'also'].forEach(function (chain) { addProperty(chain); });

  function setter(name, value, extra) {
    return function () {
      flag(this, name, value);
      if (extra) flag(this, extra, false);
    };
  }
  addProperty('not', setter('negate', true));
  addProperty('deep', setter('deep', true));
  addProperty('nested', setter('nested', true));
  addProperty('own', setter('own', true));
  addProperty('ordered', setter('ordered', true));
  addProperty('any', setter('any', true, 'all'));
  addProperty('all', setter('all', true, 'any'));

  function assertType(type, msg) {
    if (msg) flag(this, 'message', msg);
    type = type.toLowerCase();
    var article = 'aeiou'.indexOf(type.charAt(0)) !== -1 ? 'an ' : 'a ';
    this.assert(type === lowerType(flag(this, 'object')),
      'expected #{this} to be ' + article + type,
      'expected #{this} not to be ' + article + type);
  }
  addChainableMethod('an', assertType);
  addChainableMethod('a', assertType);

  function sameValueZero(a, b) {
    return (isNaNValue(a) && isNaNValue(b)) || a === b;
  }

  function assertInclude(value, msg) {
    if (msg) flag(this, 'message', msg);
    var obj = flag(this, 'object');
    var objType = lowerType(obj);
    var negate = flag(this, 'negate');
    var isDeep = flag(this, 'deep');
    var same = isDeep ? flag(this, 'eql') : sameValueZero;
    var included = false;
    switch (objType) {
      case 'string':
        included = obj.indexOf(value) !== -1;
        break;
      case 'weakset':
        if (isDeep) fail(this, 'unable to use .deep.include with WeakSet');
        included = obj.has(value);
        break;
      case 'map':
        obj.forEach(function (item) { included = included || same(item, value); });
        break;
      case 'set':
        if (isDeep) obj.forEach(function (item) { included = included || same(item, value); });
        else included = obj.has(value);
        break;
      case 'array':
        included = isDeep ? obj.some(function (item) { return same(item, value); }) : obj.indexOf(value) !== -1;
        break;
      default:
        return includeProperties(this, obj, objType, value, negate);
    }
    var descriptor = isDeep ? 'deep ' : '';
    this.assert(included,
      'expected #{this} to ' + descriptor + 'include ' + inspect(value),
      'expected #{this} to not ' + descriptor + 'include ' + inspect(value));
  }

  /** `include` on an object: every given property must be present with that value. */
  function includeProperties(assertion, obj, objType, value, negate) {
    if (value !== Object(value)) {
      var valueType = lowerType(value);
      fail(assertion, 'the given combination of arguments (' + objType + ' and ' + valueType + ')' +
        ' is invalid for this assertion. You can use an array, a map, an object, a set, a string, ' +
        'or a weakset instead of a ' + valueType);
    }
    var keys = Object.keys(value);
    var firstError = null;
    var failures = 0;
    keys.forEach(function (key) {
      var check = new Assertion(obj);
      transferFlags(assertion, check, true);
      if (!negate || keys.length === 1) {
        check.property(key, value[key]);
        return;
      }
      try {
        check.property(key, value[key]);
      } catch (err) {
        if (!(err instanceof AssertionError)) throw err;
        if (firstError === null) firstError = err;
        failures++;
      }
    });
    if (negate && keys.length > 1 && failures === keys.length) throw firstError;
  }

  function markContains() {
    flag(this, 'contains', true);
  }
  ['include', 'contain', 'contains', 'includes'].forEach(function (name) {
    addChainableMethod(name, assertInclude, markContains);
  });

  addProperty('ok', function () {
    this.assert(flag(this, 'object'), 'expected #{this} to be truthy', 'expected #{this} to be falsy');
  });
  addProperty('true', function () {
    this.assert(flag(this, 'object') === true, 'expected #{this} to be true', 'expected #{this} to be false',
      !flag(this, 'negate'));
  });
  addProperty('false', function () {
    this.assert(flag(this, 'object') === false, 'expected #{this} to be false', 'expected #{this} to be true',
      !!flag(this, 'negate'));
  });
  addProperty('null', function () {
    this.assert(flag(this, 'object') === null, 'expected #{this} to be null', 'expected #{this} not to be null');
  });
  addProperty('undefined', function () {
    this.assert(flag(this, 'object') === undefined, 'expected #{this} to be undefined',
      'expected #{this} not to be undefined');
  });
  addProperty('NaN', function () {
    this.assert(isNaNValue(flag(this, 'object')), 'expected #{this} to be NaN', 'expected #{this} not to be NaN');
  });

  function assertExist() {
    var value = flag(this, 'object');
    this.assert(value !== null && value !== undefined, 'expected #{this} to exist', 'expected #{this} to not exist');
  }
  addProperty('exist', assertExist);
  addProperty('exists', assertExist);

  addProperty('empty', function () {
    var value = flag(this, 'object');
    var count;
    switch (lowerType(value)) {
      case 'array': case 'string':
        count = value.length;
        break;
      case 'map': case 'set':
        count = value.size;
        break;
      case 'weakmap': case 'weakset':
        fail(this, '.empty was passed a weak collection');
        break;
      case 'function':
        throw new AssertionError((prefix(this) + '.empty was passed a function ' + functionName(value)).trim());
      default:
        if (value !== Object(value)) fail(this, '.empty was passed non-string primitive ' + inspect(value));
        count = Object.keys(value).length;
    }
    this.assert(count === 0, 'expected #{this} to be empty', 'expected #{this} not to be empty');
  });

  function assertArguments() {
    var type = typeOf(flag(this, 'object'));
    this.assert(type === 'Arguments', 'expected #{this} to be arguments but got ' + type,
      'expected #{this} to not be arguments');
  }
  addProperty('arguments', assertArguments);
  addProperty('Arguments', assertArguments);

  function assertEqual(value, msg) {
    if (msg) flag(this, 'message', msg);
    if (flag(this, 'deep')) return void this.eql(value);
    this.assert(value === flag(this, 'object'), 'expected #{this} to equal #{exp}',
      'expected #{this} to not equal #{exp}', value, this._obj, true);
  }
  ['equal', 'equals', 'eq'].forEach(function (name) { addMethod(name, assertEqual); });

  function assertEql(value, msg) {
    if (msg) flag(this, 'message', msg);
    this.assert(flag(this, 'eql')(value, flag(this, 'object')), 'expected #{this} to deeply equal #{exp}',
      'expected #{this} to not deeply equal #{exp}', value, this._obj, true);
  }
  addMethod('eql', assertEql);
  addMethod('eqls', assertEql);

  /** The size being compared by a `.length`-flagged comparison: [descriptor, count]. */
  function measured(obj, objType) {
    if (objType === 'map' || objType === 'set') return ['size', obj.size];
    return ['length', obj.length];
  }

  /** Shared checks of above/least/below/most: target and argument types. */
  function checkComparable(assertion, name, n) {
    var obj = flag(assertion, 'object');
    var doLength = flag(assertion, 'doLength');
    var objType = lowerType(obj);
    var nType = lowerType(n);
    if (doLength && objType !== 'map' && objType !== 'set') requireProperty(assertion, obj, 'length');
    if (!doLength && objType === 'date' && nType !== 'date') fail(assertion, 'the argument to ' + name + ' must be a date');
    else if (nType !== 'number' && (doLength || objType === 'number')) fail(assertion, 'the argument to ' + name + ' must be a number');
    else if (!doLength && objType !== 'date' && objType !== 'number') {
      fail(assertion, 'expected ' + (objType === 'string' ? "'" + obj + "'" : obj) + ' to be a number or a date');
    }
    return { obj: obj, doLength: doLength, objType: objType };
  }

  function comparison(name, test, lengthWords, valueWords) {
    return function (n, msg) {
      if (msg) flag(this, 'message', msg);
      var c = checkComparable(this, name, n);
      if (c.doLength) {
        var m = measured(c.obj, c.objType);
        this.assert(test(m[1], n),
          'expected #{this} to have a ' + m[0] + ' ' + lengthWords[0] + ' #{exp} but got #{act}',
          'expected #{this} ' + lengthWords[1].replace('%s', m[0]) + ' #{exp}', n, m[1]);
      } else {
        this.assert(test(c.obj, n), 'expected #{this} to be ' + valueWords[0] + ' #{exp}',
          'expected #{this} to be ' + valueWords[1] + ' #{exp}', n);
      }
    };
  }
  var assertAbove = comparison('above', function (a, b) { return a > b; },
    ['above', 'to not have a %s above'], ['above', 'at most']);
  var assertLeast = comparison('least', function (a, b) { return a >= b; },
    ['at least', 'to have a %s below'], ['at least', 'below']);
  var assertBelow = comparison('below', function (a, b) { return a < b; },
    ['below', 'to not have a %s below'], ['below', 'at least']);
  var assertMost = comparison('most', function (a, b) { return a <= b; },
    ['at most', 'to have a %s above'], ['at most', 'above']);
  ['above', 'gt', 'greaterThan'].forEach(function (n) { addMethod(n, assertAbove); });
  ['least', 'gte', 'greaterThanOrEqual'].forEach(function (n) { addMethod(n, assertLeast); });
  ['below', 'lt', 'lessThan'].forEach(function (n) { addMethod(n, assertBelow); });
  ['most', 'lte', 'lessThanOrEqual'].forEach(function (n) { addMethod(n, assertMost); });

  addMethod('within', function (start, finish, msg) {
    if (msg) flag(this, 'message', msg);
    var obj = flag(this, 'object');
    var doLength = flag(this, 'doLength');
    var objType = lowerType(obj);
    var startType = lowerType(start);
    var finishType = lowerType(finish);
    var range = startType === 'date' && finishType === 'date'
      ? start.toISOString() + '..' + finish.toISOString() : start + '..' + finish;
    if (doLength && objType !== 'map' && objType !== 'set') requireProperty(this, obj, 'length');
    if (!doLength && objType === 'date' && (startType !== 'date' || finishType !== 'date')) {
      fail(this, 'the arguments to within must be dates');
    } else if ((startType !== 'number' || finishType !== 'number') && (doLength || objType === 'number')) {
      fail(this, 'the arguments to within must be numbers');
    } else if (!doLength && objType !== 'date' && objType !== 'number') {
      fail(this, 'expected ' + (objType === 'string' ? "'" + obj + "'" : obj) + ' to be a number or a date');
    }
    if (doLength) {
      var m = measured(obj, objType);
      this.assert(m[1] >= start && m[1] <= finish, 'expected #{this} to have a ' + m[0] + ' within ' + range,
        'expected #{this} to not have a ' + m[0] + ' within ' + range);
    } else {
      this.assert(obj >= start && obj <= finish, 'expected #{this} to be within ' + range,
        'expected #{this} to not be within ' + range);
    }
  });

  function assertInstanceOf(constructor, msg) {
    if (msg) flag(this, 'message', msg);
    var isInstance;
    try {
      isInstance = flag(this, 'object') instanceof constructor;
    } catch (err) {
      if (err instanceof TypeError) {
        fail(this, 'The instanceof assertion needs a constructor but ' + typeOf(constructor) + ' was given.');
      }
      throw err;
    }
    var name = functionName(constructor);
    if (name === null) name = 'an unnamed constructor';
    this.assert(isInstance, 'expected #{this} to be an instance of ' + name,
      'expected #{this} to not be an instance of ' + name);
  }
  addMethod('instanceof', assertInstanceOf);
  addMethod('instanceOf', assertInstanceOf);

  /** pathval's path syntax for `.nested`: 'a.b[0].c', with '\\.' and '\\[' escapes. */
  function parseNestedPath(path) {
    var parts = path.replace(/([^\\])\[/g, '$1.[').match(/(\\\.|[^.]+?)+/g) || [];
    return parts.map(function (part) {
      if (part === 'constructor' || part === '__proto__' || part === 'prototype') return {};
      var index = /^\[(\d+)\]$/.exec(part);
      return index ? { i: parseFloat(index[1]) } : { p: part.replace(/\\([.[\]])/g, '$1') };
    });
  }

  function walkPath(obj, parts, depth) {
    var current = obj;
    var result = null;
    depth = depth === undefined ? parts.length : depth;
    for (var i = 0; i < depth; i++) {
      var part = parts[i];
      if (current) {
        current = part.p === undefined ? current[part.i] : current[part.p];
        if (i === depth - 1) result = current;
      }
    }
    return result;
  }

  function hasProperty(obj, name) {
    return obj !== undefined && obj !== null && name in Object(obj);
  }

  function nestedInfo(obj, path) {
    var parts = parseNestedPath(path);
    var last = parts[parts.length - 1] || {};
    var parent = parts.length > 1 ? walkPath(obj, parts, parts.length - 1) : obj;
    var name = last.p || last.i;
    return { value: walkPath(obj, parts), exists: hasProperty(parent, name) };
  }

  function assertProperty(name, value, msg) {
    if (msg) flag(this, 'message', msg);
    var isNested = flag(this, 'nested');
    var isOwn = flag(this, 'own');
    var obj = flag(this, 'object');
    var nameType = typeof name;
    if (isNested && nameType !== 'string') {
      fail(this, 'the argument to property must be a string when using nested syntax');
    }
    if (!isNested && nameType !== 'string' && nameType !== 'number' && nameType !== 'symbol') {
      fail(this, 'the argument to property must be a string, number, or symbol');
    }
    if (isNested && isOwn) fail(this, 'The "nested" and "own" flags cannot be combined.');
    if (obj === null || obj === undefined) fail(this, 'Target cannot be null or undefined.');
    var isDeep = flag(this, 'deep');
    var info = isNested ? nestedInfo(obj, name) : null;
    var actual = isNested ? info.value : obj[name];
    var same = isDeep ? flag(this, 'eql') : function (a, b) { return a === b; };
    var descriptor = (isDeep ? 'deep ' : '') + (isOwn ? 'own ' : '') + (isNested ? 'nested ' : '') + 'property ';
    var has = isOwn ? Object.prototype.hasOwnProperty.call(obj, name) : isNested ? info.exists : hasProperty(obj, name);
    if (!flag(this, 'negate') || arguments.length === 1) {
      this.assert(has, 'expected #{this} to have ' + descriptor + inspect(name),
        'expected #{this} to not have ' + descriptor + inspect(name));
    }
    if (arguments.length > 1) {
      this.assert(has && same(value, actual),
        'expected #{this} to have ' + descriptor + inspect(name) + ' of #{exp}, but got #{act}',
        'expected #{this} to not have ' + descriptor + inspect(name) + ' of #{act}', value, actual);
    }
    flag(this, 'object', actual);
  }
  addMethod('property', assertProperty);

  function assertOwnProperty() {
    flag(this, 'own', true);
    assertProperty.apply(this, arguments);
  }
  addMethod('ownProperty', assertOwnProperty);
  addMethod('haveOwnProperty', assertOwnProperty);

  function assertOwnPropertyDescriptor(name, descriptor, msg) {
    if (typeof descriptor === 'string') {
      msg = descriptor;
      descriptor = null;
    }
    if (msg) flag(this, 'message', msg);
    var actual = Object.getOwnPropertyDescriptor(Object(flag(this, 'object')), name);
    if (actual && descriptor) {
      this.assert(flag(this, 'eql')(descriptor, actual),
        'expected the own property descriptor for ' + inspect(name) + ' on #{this} to match ' + inspect(descriptor) + ', got ' + inspect(actual),
        'expected the own property descriptor for ' + inspect(name) + ' on #{this} to not match ' + inspect(descriptor),
        descriptor, actual, true);
    } else {
      this.assert(actual, 'expected #{this} to have an own property descriptor for ' + inspect(name),
        'expected #{this} to not have an own property descriptor for ' + inspect(name));
    }
    flag(this, 'object', actual);
  }
  addMethod('ownPropertyDescriptor', assertOwnPropertyDescriptor);
  addMethod('haveOwnPropertyDescriptor', assertOwnPropertyDescriptor);

  function assertLength(n, msg) {
    if (msg) flag(this, 'message', msg);
    var obj = flag(this, 'object');
    var objType = lowerType(obj);
    if (objType !== 'map' && objType !== 'set') requireProperty(this, obj, 'length');
    var m = measured(obj, objType);
    this.assert(m[1] == n, // eslint-disable-line eqeqeq
      'expected #{this} to have a ' + m[0] + ' of #{exp} but got #{act}',
      'expected #{this} to not have a ' + m[0] + ' of #{act}', n, m[1]);
  }
  function markLength() {
    flag(this, 'doLength', true);
  }
  addChainableMethod('length', assertLength, markLength);
  addChainableMethod('lengthOf', assertLength, markLength);

  function assertMatch(re, msg) {
    if (msg) flag(this, 'message', msg);
    this.assert(re.exec(flag(this, 'object')), 'expected #{this} to match ' + re, 'expected #{this} not to match ' + re);
  }
  addMethod('match', assertMatch);
  addMethod('matches', assertMatch);

  addMethod('string', function (text, msg) {
    if (msg) flag(this, 'message', msg);
    var obj = flag(this, 'object');
    requireType(this, obj, 'string');
    this.assert(obj.indexOf(text) !== -1, 'expected #{this} to contain ' + inspect(text),
      'expected #{this} to not contain ' + inspect(text));
  });

  /** chai's compareByInspect: sort keys by their printed form. */
  function byInspection(a, b) {
    return inspect(a) < inspect(b) ? -1 : 1;
  }

  function ownEnumerableKeys(obj) {
    var keys = Object.keys(obj);
    Object.getOwnPropertySymbols(obj).forEach(function (sym) {
      if (Object.getOwnPropertyDescriptor(obj, sym).enumerable) keys.push(sym);
    });
    return keys;
  }

  function assertKeys(keys) {
    var obj = flag(this, 'object');
    var objType = typeOf(obj);
    var keysType = typeOf(keys);
    var isDeep = flag(this, 'deep');
    var deepWord = '';
    var actual;
    var mixed = 'when testing keys against an object or an array you must give a single ' +
      'Array|Object|String argument or multiple String arguments';
    if (objType === 'Map' || objType === 'Set') {
      deepWord = isDeep ? 'deeply ' : '';
      actual = [];
      obj.forEach(function (v, k) { actual.push(k); });
      if (keysType !== 'Array') keys = Array.prototype.slice.call(arguments);
    } else {
      actual = ownEnumerableKeys(obj);
      if (keysType === 'Array' || keysType === 'Object') {
        if (arguments.length > 1) fail(this, mixed);
        if (keysType === 'Object') keys = Object.keys(keys);
      } else {
        keys = Array.prototype.slice.call(arguments);
      }
      keys = keys.map(function (k) { return typeof k === 'symbol' ? k : String(k); });
    }
    if (!keys.length) fail(this, 'keys required');
    var any = flag(this, 'any');
    var all = flag(this, 'all') || !any;
    var same = isDeep ? flag(this, 'eql') : function (a, b) { return a === b; };
    var found = function (key) { return actual.some(function (k) { return same(key, k); }); };
    var ok = any ? keys.some(found) : true;
    if (all && !any) {
      ok = keys.every(found);
      if (!flag(this, 'contains')) ok = ok && keys.length === actual.length;
    }
    var words;
    if (keys.length > 1) {
      var shown = keys.map(function (k) { return inspect(k); });
      var last = shown.pop();
      words = shown.join(', ') + (any ? ', or ' : ', and ') + last;
    } else {
      words = inspect(keys[0]);
    }
    words = (flag(this, 'contains') ? 'contain ' : 'have ') + (keys.length > 1 ? 'keys ' : 'key ') + words;
    this.assert(ok, 'expected #{this} to ' + deepWord + words, 'expected #{this} to not ' + deepWord + words,
      keys.slice(0).sort(byInspection), actual.sort(byInspection), true);
  }
  addMethod('keys', assertKeys);
  addMethod('key', assertKeys);

  // check-error's helpers, used by `.throw`
  function constructorName(errorLike) {
    if (errorLike instanceof Error) return functionName(errorLike.constructor) || '';
    if (typeof errorLike === 'function') return functionName(errorLike) || '';
    return functionName(errorLike && errorLike.constructor) || '';
  }
  function errorMessage(err) {
    return err && err.message ? err.message : typeof err === 'string' ? err : '';
  }
  function sameInstance(thrown, errorLike) {
    return errorLike instanceof Error && thrown === errorLike;
  }
  function sameConstructor(thrown, errorLike) {
    if (errorLike instanceof Error) {
      return thrown.constructor === errorLike.constructor || thrown instanceof errorLike.constructor;
    }
    if (errorLike.prototype instanceof Error || errorLike === Error) {
      return thrown.constructor === errorLike || thrown instanceof errorLike;
    }
    return false;
  }
  function sameMessage(thrown, matcher) {
    var text = typeof thrown === 'string' ? thrown : thrown.message;
    if (matcher instanceof RegExp) return matcher.test(text);
    if (typeof matcher === 'string') return text.indexOf(matcher) !== -1;
    return false;
  }
  function describeThrown(err) {
    if (err instanceof Error) return err.toString();
    return typeof err === 'string' ? err : err && constructorName(err);
  }

  function assertThrows(errorLike, messageMatcher, msg) {
    if (msg) flag(this, 'message', msg);
    var fn = flag(this, 'object');
    var negate = flag(this, 'negate') || false;
    requireType(this, fn, 'function');
    if (errorLike instanceof RegExp || typeof errorLike === 'string') {
      messageMatcher = errorLike;
      errorLike = null;
    }
    var thrown;
    try {
      fn();
    } catch (err) {
      thrown = err;
    }
    var noArgs = errorLike === undefined && messageMatcher === undefined;
    var bothArgs = Boolean(errorLike && messageMatcher);
    var errorLikeFailed = false;
    var messageFailed = false;
    var expectedName = errorLike instanceof Error ? errorLike.toString() : errorLike && constructorName(errorLike);

    if (noArgs || !negate) {
      var what = errorLike instanceof Error ? '#{exp}' : errorLike ? constructorName(errorLike) : 'an error';
      this.assert(thrown, 'expected #{this} to throw ' + what,
        'expected #{this} to not throw an error but #{act} was thrown',
        errorLike && errorLike.toString(), describeThrown(thrown));
    }
    if (errorLike && thrown) {
      if (errorLike instanceof Error && sameInstance(thrown, errorLike) === negate) {
        if (bothArgs && negate) errorLikeFailed = true;
        else {
          this.assert(negate, 'expected #{this} to throw #{exp} but #{act} was thrown',
            'expected #{this} to not throw #{exp}' + (thrown && !negate ? ' but #{act} was thrown' : ''),
            errorLike.toString(), thrown.toString());
        }
      }
      if (sameConstructor(thrown, errorLike) === negate) {
        if (bothArgs && negate) errorLikeFailed = true;
        else {
          this.assert(negate, 'expected #{this} to throw #{exp} but #{act} was thrown',
            'expected #{this} to not throw #{exp}' + (thrown ? ' but #{act} was thrown' : ''),
            expectedName, describeThrown(thrown));
        }
      }
    }
    if (thrown && messageMatcher !== undefined && messageMatcher !== null) {
      var how = messageMatcher instanceof RegExp ? 'matching' : 'including';
      if (sameMessage(thrown, messageMatcher) === negate) {
        if (bothArgs && negate) messageFailed = true;
        else {
          this.assert(negate, 'expected #{this} to throw error ' + how + ' #{exp} but got #{act}',
            'expected #{this} to throw error not ' + how + ' #{exp}', messageMatcher, errorMessage(thrown));
        }
      }
    }
    if (errorLikeFailed && messageFailed) {
      this.assert(negate, 'expected #{this} to throw #{exp} but #{act} was thrown',
        'expected #{this} to not throw #{exp}' + (thrown ? ' but #{act} was thrown' : ''),
        expectedName, describeThrown(thrown));
    }
    flag(this, 'object', thrown);
  }
  ['throw', 'throws', 'Throw'].forEach(function (n) { addMethod(n, assertThrows); });

  function respondTo(method, msg) {
    if (msg) flag(this, 'message', msg);
    var obj = flag(this, 'object');
    var target = typeof obj === 'function' && !flag(this, 'itself') ? obj.prototype[method] : obj[method];
    this.assert(typeof target === 'function', 'expected #{this} to respond to ' + inspect(method),
      'expected #{this} to not respond to ' + inspect(method));
  }
  addMethod('respondTo', respondTo);
  addMethod('respondsTo', respondTo);
  addProperty('itself', setter('itself', true));

  function satisfy(matcher, msg) {
    if (msg) flag(this, 'message', msg);
    var result = matcher(flag(this, 'object'));
    this.assert(result, 'expected #{this} to satisfy ' + objDisplay(matcher),
      'expected #{this} to not satisfy' + objDisplay(matcher), !flag(this, 'negate'), result);
  }
  addMethod('satisfy', satisfy);
  addMethod('satisfies', satisfy);

  function closeTo(expected, delta, msg) {
    if (msg) flag(this, 'message', msg);
    var obj = flag(this, 'object');
    requireType(this, obj, 'number');
    if (typeof expected !== 'number' || typeof delta !== 'number') {
      fail(this, 'the arguments to closeTo or approximately must be numbers' +
        (delta === undefined ? ', and a delta is required' : ''));
    }
    this.assert(Math.abs(obj - expected) <= delta, 'expected #{this} to be close to ' + expected + ' +/- ' + delta,
      'expected #{this} not to be close to ' + expected + ' +/- ' + delta);
  }
  addMethod('closeTo', closeTo);
  addMethod('approximately', closeTo);

  function isSubsetOf(subset, superset, cmp, contains, ordered) {
    if (!contains) {
      if (subset.length !== superset.length) return false;
      superset = superset.slice();
    }
    return subset.every(function (item, index) {
      if (ordered) return cmp ? cmp(item, superset[index]) : item === superset[index];
      if (!cmp) {
        var at = superset.indexOf(item);
        if (at === -1) return false;
        if (!contains) superset.splice(at, 1);
        return true;
      }
      return superset.some(function (other, at) {
        if (!cmp(item, other)) return false;
        if (!contains) superset.splice(at, 1);
        return true;
      });
    });
  }

  addMethod('members', function (subset, msg) {
    if (msg) flag(this, 'message', msg);
    var obj = flag(this, 'object');
    requireType(this, obj, 'array');
    requireType(this, subset, 'array');
    var contains = flag(this, 'contains');
    var ordered = flag(this, 'ordered');
    var yes;
    var no;
    if (contains) {
      var subject = ordered ? 'an ordered superset' : 'a superset';
      yes = 'expected #{this} to be ' + subject + ' of #{exp}';
      no = 'expected #{this} to not be ' + subject + ' of #{exp}';
    } else {
      var what = ordered ? 'ordered members' : 'members';
      yes = 'expected #{this} to have the same ' + what + ' as #{exp}';
      no = 'expected #{this} to not have the same ' + what + ' as #{exp}';
    }
    var cmp = flag(this, 'deep') ? flag(this, 'eql') : undefined;
    this.assert(isSubsetOf(subset, obj, cmp, contains, ordered), yes, no, subset, obj, true);
  });

  addMethod('oneOf', function (list, msg) {
    if (msg) flag(this, 'message', msg);
    var value = flag(this, 'object');
    var eql = flag(this, 'eql');
    requireType(this, list, 'array');
    if (flag(this, 'contains')) {
      this.assert(list.some(function (p) { return value.indexOf(p) > -1; }),
        'expected #{this} to contain one of #{exp}', 'expected #{this} to not contain one of #{exp}', list, value);
    } else if (flag(this, 'deep')) {
      this.assert(list.some(function (p) { return eql(value, p); }),
        'expected #{this} to deeply equal one of #{exp}', 'expected #{this} to deeply equal one of #{exp}', list, value);
    } else {
      this.assert(list.indexOf(value) > -1, 'expected #{this} to be one of #{exp}',
        'expected #{this} to not be one of #{exp}', list, value);
    }
  });

  /** change/increase/decrease: run the target function and compare a value before and after. */
  function delta(behavior, test) {
    return function (subject, prop, msg) {
      if (msg) flag(this, 'message', msg);
      var fn = flag(this, 'object');
      requireType(this, fn, 'function');
      var initial;
      if (!prop) {
        requireType(this, subject, 'function');
        initial = subject();
      } else {
        sub(this, subject).to.have.property(prop);
        initial = subject[prop];
      }
      if (behavior !== 'change') requireType(this, initial, 'number');
      fn();
      var noProp = prop === undefined || prop === null;
      var final = noProp ? subject() : subject[prop];
      var label = noProp ? initial : '.' + prop;
      flag(this, 'deltaMsgObj', label);
      flag(this, 'initialDeltaValue', initial);
      flag(this, 'finalDeltaValue', final);
      flag(this, 'deltaBehavior', behavior);
      flag(this, 'realDelta', behavior === 'change' ? final !== initial
        : behavior === 'increase' ? final - initial : initial - final);
      this.assert(test(initial, final), 'expected ' + label + ' to ' + behavior,
        'expected ' + label + ' to not ' + behavior);
    };
  }
  var assertChange = delta('change', function (a, b) { return a !== b; });
  var assertIncrease = delta('increase', function (a, b) { return b - a > 0; });
  var assertDecrease = delta('decrease', function (a, b) { return b - a < 0; });
  addMethod('change', assertChange);
  addMethod('changes', assertChange);
  addMethod('increase', assertIncrease);
  addMethod('increases', assertIncrease);
  addMethod('decrease', assertDecrease);
  addMethod('decreases', assertDecrease);

  addMethod('by', function (amount, msg) {
    if (msg) flag(this, 'message', msg);
    var label = flag(this, 'deltaMsgObj');
    var behavior = flag(this, 'deltaBehavior');
    var ok = behavior === 'change'
      ? Math.abs(flag(this, 'finalDeltaValue') - flag(this, 'initialDeltaValue')) === Math.abs(amount)
      : flag(this, 'realDelta') === Math.abs(amount);
    this.assert(ok, 'expected ' + label + ' to ' + behavior + ' by ' + amount,
      'expected ' + label + ' to not ' + behavior + ' by ' + amount);
  });

  addProperty('extensible', function () {
    var obj = flag(this, 'object');
    this.assert(obj === Object(obj) && Object.isExtensible(obj), 'expected #{this} to be extensible',
      'expected #{this} to not be extensible');
  });
  addProperty('sealed', function () {
    var obj = flag(this, 'object');
    this.assert(obj === Object(obj) ? Object.isSealed(obj) : true, 'expected #{this} to be sealed',
      'expected #{this} to not be sealed');
  });
  addProperty('frozen', function () {
    var obj = flag(this, 'object');
    this.assert(obj === Object(obj) ? Object.isFrozen(obj) : true, 'expected #{this} to be frozen',
      'expected #{this} to not be frozen');
  });
  addProperty('finite', function () {
    var obj = flag(this, 'object');
    this.assert(typeof obj === 'number' && isFinite(obj), 'expected #{this} to be a finite number',
      'expected #{this} to not be a finite number');
  });

  // ---------------------------------------------------------------------------
  // 7. JSON schema validation (Ajv 6 semantics and message texts, draft-07 subset)
  // ---------------------------------------------------------------------------

  /** Ajv's data path for a property named in the schema: '.name' or "['odd name']". */
  function propertyAccess(key) {
    if (/^[a-z$_][a-z$_0-9]*$/i.test(key)) return '.' + key;
    return dynamicAccess(key);
  }

  /** Ajv's data path for a property found in the data (additional/pattern properties). */
  function dynamicAccess(key) {
    return "['" + key.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r').replace(/\f/g, '\\f').replace(/\t/g, '\\t') + "']";
  }

  function jsonType(value) {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'array';
    return typeof value;
  }

  function hasJsonType(value, type) {
    switch (type) {
      case 'null': return value === null;
      case 'array': return Array.isArray(value);
      case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
      case 'integer': return typeof value === 'number' && !(value % 1) && !isNaN(value);
      case 'number': return typeof value === 'number';
      case 'string': return typeof value === 'string';
      case 'boolean': return typeof value === 'boolean';
      default: return false;
    }
  }

  var FORMATS = {
    'date-time': /^\d\d\d\d-[0-1]\d-[0-3]\d[t\s](?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$/i,
    date: /^\d\d\d\d-[0-1]\d-[0-3]\d$/,
    time: /^(?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)?$/i,
    email: /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i,
    hostname: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*$/i,
    ipv4: /^(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)$/,
    uri: /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/)?[^\s]*$/i,
    uuid: /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i
  };

  /** Validate `data` against `schema`, pushing Ajv-style {dataPath, message} errors. */
  function validateSchema(schema, data, path, errors, root) {
    if (schema === true || schema === undefined) return;
    if (schema === false) {
      errors.push({ dataPath: path, message: 'boolean schema is false' });
      return;
    }
    if (schema.$ref) {
      validateSchema(resolveRef(root, schema.$ref), data, path, errors, root);
      return;
    }
    var types = schema.type === undefined ? null : [].concat(schema.type);
    var typeOk = !types || types.some(function (t) { return hasJsonType(data, t); });
    var typeError = { dataPath: path, message: 'should be ' + (types ? types.join(',') : '') };
    // Ajv reports a single declared type inside that type's keyword group; otherwise first.
    var single = types && types.length === 1 ? types[0] : null;
    // ('integer' has no group of its own: its type error always comes first.)
    var groupUsed = single && GROUP_KEYWORDS[single] && GROUP_KEYWORDS[single].some(function (k) { return k in schema; });
    if (!typeOk && !groupUsed) errors.push(typeError);
    ['number', 'string', 'array', 'object'].forEach(function (group) {
      if (!GROUP_KEYWORDS[group].some(function (k) { return k in schema; })) return;
      if (hasJsonType(data, group)) GROUP_CHECKS[group](schema, data, path, errors, root);
      else if (!typeOk && groupUsed && single === group) errors.push(typeError);
    });
    generalChecks(schema, data, path, errors, root);
  }

  function resolveRef(root, ref) {
    if (ref === '#') return root;
    if (ref.indexOf('#/') !== 0) return true;
    return ref.slice(2).split('/').reduce(function (node, part) {
      return node === undefined ? undefined : node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }, root);
  }

  var GROUP_KEYWORDS = {
    number: ['maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'multipleOf', 'format'],
    string: ['maxLength', 'minLength', 'pattern', 'format'],
    array: ['maxItems', 'minItems', 'items', 'contains', 'uniqueItems'],
    object: ['maxProperties', 'minProperties', 'required', 'dependencies', 'propertyNames', 'properties',
      'additionalProperties', 'patternProperties']
  };

  function unicodeLength(text) {
    return Array.from(text).length;
  }

  var GROUP_CHECKS = {
    number: function (s, data, path, errors) {
      if ('maximum' in s && !(data <= s.maximum)) errors.push({ dataPath: path, message: 'should be <= ' + s.maximum });
      if ('exclusiveMaximum' in s && !(data < s.exclusiveMaximum)) errors.push({ dataPath: path, message: 'should be < ' + s.exclusiveMaximum });
      if ('minimum' in s && !(data >= s.minimum)) errors.push({ dataPath: path, message: 'should be >= ' + s.minimum });
      if ('exclusiveMinimum' in s && !(data > s.exclusiveMinimum)) errors.push({ dataPath: path, message: 'should be > ' + s.exclusiveMinimum });
      if ('multipleOf' in s) {
        var division = data / s.multipleOf;
        if (division !== Math.round(division)) errors.push({ dataPath: path, message: 'should be multiple of ' + s.multipleOf });
      }
    },
    string: function (s, data, path, errors) {
      if ('maxLength' in s && unicodeLength(data) > s.maxLength) {
        errors.push({ dataPath: path, message: 'should NOT be longer than ' + s.maxLength + ' characters' });
      }
      if ('minLength' in s && unicodeLength(data) < s.minLength) {
        errors.push({ dataPath: path, message: 'should NOT be shorter than ' + s.minLength + ' characters' });
      }
      if ('pattern' in s && !new RegExp(s.pattern, 'u').test(data)) {
        errors.push({ dataPath: path, message: 'should match pattern "' + s.pattern + '"' });
      }
      if ('format' in s && FORMATS[s.format] && !FORMATS[s.format].test(data)) {
        errors.push({ dataPath: path, message: 'should match format "' + s.format + '"' });
      }
    },
    array: function (s, data, path, errors, root) {
      if ('maxItems' in s && data.length > s.maxItems) errors.push({ dataPath: path, message: 'should NOT have more than ' + s.maxItems + ' items' });
      if ('minItems' in s && data.length < s.minItems) errors.push({ dataPath: path, message: 'should NOT have fewer than ' + s.minItems + ' items' });
      if (Array.isArray(s.items)) {
        if (s.additionalItems === false && data.length > s.items.length) {
          errors.push({ dataPath: path, message: 'should NOT have more than ' + s.items.length + ' items' });
        }
        s.items.forEach(function (itemSchema, i) {
          if (i < data.length) validateSchema(itemSchema, data[i], path + '[' + i + ']', errors, root);
        });
      } else if (s.items !== undefined) {
        data.forEach(function (item, i) { validateSchema(s.items, item, path + '[' + i + ']', errors, root); });
      }
      if (s.contains !== undefined) {
        var itemErrors = [];
        var some = data.some(function (item, i) {
          var found = [];
          validateSchema(s.contains, item, path + '[' + i + ']', found, root);
          itemErrors = itemErrors.concat(found);
          return found.length === 0;
        });
        if (!some) errors.push.apply(errors, itemErrors.concat([{ dataPath: path, message: 'should contain a valid item' }]));
      }
      if (s.uniqueItems) {
        for (var i = data.length - 1; i > 0; i--) {
          for (var j = i - 1; j >= 0; j--) {
            if (deepEqual(data[i], data[j])) {
              errors.push({ dataPath: path, message: 'should NOT have duplicate items (items ## ' + j + ' and ' + i + ' are identical)' });
              return;
            }
          }
        }
      }
    },
    object: function (s, data, path, errors, root) {
      var keys = Object.keys(data);
      if ('maxProperties' in s && keys.length > s.maxProperties) errors.push({ dataPath: path, message: 'should NOT have more than ' + s.maxProperties + ' properties' });
      if ('minProperties' in s && keys.length < s.minProperties) errors.push({ dataPath: path, message: 'should NOT have fewer than ' + s.minProperties + ' properties' });
      (s.required || []).forEach(function (name) {
        if (data[name] === undefined) {
          errors.push({ dataPath: path, message: "should have required property '" + name + "'" });
        }
      });
      if (s.dependencies) {
        Object.keys(s.dependencies).forEach(function (name) {
          if (data[name] === undefined) return;
          var dep = s.dependencies[name];
          if (Array.isArray(dep)) {
            var wanted = dep.length === 1 ? 'property ' + dep[0] : 'properties ' + dep.join(', ');
            dep.forEach(function (d) {
              if (data[d] !== undefined) return;
              errors.push({ dataPath: path, message: 'should have ' + wanted + ' when property ' + name + ' is present' });
            });
          } else {
            validateSchema(dep, data, path, errors, root);
          }
        });
      }
      if (s.propertyNames !== undefined) {
        keys.forEach(function (key) {
          var found = [];
          validateSchema(s.propertyNames, key, path, found, root);
          if (found.length) {
            found.forEach(function (e) { errors.push(e); });
            errors.push({ dataPath: path, message: "property name '" + key + "' is invalid" });
          }
        });
      }
      var props = s.properties || {};
      var patterns = s.patternProperties || {};
      if (s.additionalProperties !== undefined) {
        keys.forEach(function (key) {
          var known = Object.prototype.hasOwnProperty.call(props, key) ||
            Object.keys(patterns).some(function (p) { return new RegExp(p, 'u').test(key); });
          if (known) return;
          if (s.additionalProperties === false) {
            errors.push({ dataPath: path, message: 'should NOT have additional properties' });
          } else {
            validateSchema(s.additionalProperties, data[key], path + dynamicAccess(key), errors, root);
          }
        });
      }
      Object.keys(props).forEach(function (key) {
        if (data[key] !== undefined) validateSchema(props[key], data[key], path + propertyAccess(key), errors, root);
      });
      Object.keys(patterns).forEach(function (pattern) {
        keys.forEach(function (key) {
          if (new RegExp(pattern, 'u').test(key)) validateSchema(patterns[pattern], data[key], path + dynamicAccess(key), errors, root);
        });
      });
    }
  };

  function generalChecks(s, data, path, errors, root) {
    if ('const' in s && !deepEqual(data, s.const)) errors.push({ dataPath: path, message: 'should be equal to constant' });
    if (Array.isArray(s.enum) && !s.enum.some(function (v) { return deepEqual(data, v); })) {
      errors.push({ dataPath: path, message: 'should be equal to one of the allowed values' });
    }
    if (s.not !== undefined) {
      var notErrors = [];
      validateSchema(s.not, data, path, notErrors, root);
      if (!notErrors.length) errors.push({ dataPath: path, message: 'should NOT be valid' });
    }
    if (Array.isArray(s.anyOf)) {
      var anyErrors = [];
      var anyOk = s.anyOf.some(function (branch) {
        var found = [];
        validateSchema(branch, data, path, found, root);
        anyErrors = anyErrors.concat(found);
        return found.length === 0;
      });
      if (!anyOk) errors.push.apply(errors, anyErrors.concat([{ dataPath: path, message: 'should match some schema in anyOf' }]));
    }
    if (Array.isArray(s.oneOf)) {
      var oneErrors = [];
      var passing = 0;
      s.oneOf.forEach(function (branch) {
        var found = [];
        validateSchema(branch, data, path, found, root);
        oneErrors = oneErrors.concat(found);
        if (!found.length) passing++;
      });
      if (passing !== 1) errors.push.apply(errors, oneErrors.concat([{ dataPath: path, message: 'should match exactly one schema in oneOf' }]));
    }
    if (Array.isArray(s.allOf)) s.allOf.forEach(function (branch) { validateSchema(branch, data, path, errors, root); });
    if (s.if !== undefined && (s.then !== undefined || s.else !== undefined)) {
      var ifErrors = [];
      validateSchema(s.if, data, path, ifErrors, root);
      var which = ifErrors.length ? 'else' : 'then';
      if (s[which] !== undefined) {
        var branchErrors = [];
        validateSchema(s[which], data, path, branchErrors, root);
        if (branchErrors.length) {
          errors.push.apply(errors, branchErrors.concat([{ dataPath: path, message: 'should match "' + which + '" schema' }]));
        }
      }
    }
  }

  /** Ajv's errorsText(): 'data.a should be string, data should have required property \'b\''. */
  function schemaErrorsText(errors) {
    if (!errors.length) return 'No errors';
    return errors.map(function (e) { return 'data' + e.dataPath + ' ' + e.message; }).join(', ');
  }

  // ---------------------------------------------------------------------------
  // 8. Postman's response/request assertions (chai-postman 2.0.1)
  // ---------------------------------------------------------------------------

  // Objects marked by __wirecall_responseAssertions (kept here, so no property shows up
  // when chai prints a response, as Newman prints PostmanResponse{ … }).
  var RESPONSE_MARK = 'Response';
  var REQUEST_MARK = 'Request';
  var marked = new WeakMap();

  function isKind(obj, kind) {
    return obj !== null && typeof obj === 'object' && marked.get(obj) === kind;
  }
  function isResponse(obj) { return isKind(obj, RESPONSE_MARK); }
  function isRequest(obj) { return isKind(obj, REQUEST_MARK); }

  function reasonOf(res) {
    return typeof res.reason === 'function' ? res.reason() : res.status;
  }
  function detailsOf(res) {
    return typeof res.details === 'function' ? res.details() : { code: res.code };
  }

  function requireResponse(assertion) {
    var obj = assertion._obj;
    if (!isResponse(obj)) new Assertion(obj).to.be.postmanResponse; // eslint-disable-line no-unused-expressions
  }

  function requireCode(assertion) {
    requireResponse(assertion);
    requireProperty(null, assertion._obj, 'code');
    requireType(null, assertion._obj.code, 'number');
  }

  function assertCode(assertion, expected, actual) {
    assertion.assert(actual === expected, 'expected response to have status code #{exp} but got #{act}',
      'expected response to not have status code #{act}', expected, actual);
  }
  function assertReason(assertion, expected, actual) {
    assertion.assert(actual === expected, 'expected response to have status reason #{exp} but got #{act}',
      'expected response to not have status reason #{act}', expected, actual);
  }

  addProperty('postmanRequest', function () {
    this.assert(isRequest(this._obj), 'expecting a postman request object but got #{this}', 'not expecting a postman request object');
  });
  addProperty('postmanResponse', function () {
    this.assert(isResponse(this._obj), 'expecting a postman response object but got #{this}', 'not expecting a postman response object');
  });
  addProperty('postmanRequestOrResponse', function () {
    this.assert(isResponse(this._obj) || isRequest(this._obj),
      'expecting a postman request or response object but got #{this}', 'not expecting a postman request or response object');
  });

  function assertCodeClass(assertion, expectedClass) {
    requireCode(assertion);
    assertion.assert(Math.floor(assertion._obj.code / 100) === expectedClass,
      'expected response code to be #{exp}XX but found #{act}', 'expected response code to not be #{exp}XX',
      expectedClass, assertion._obj.code);
  }
  addMethod('statusCodeClass', function (n) { assertCodeClass(this, n); });
  var CODE_CLASSES = { info: 1, success: 2, redirection: 3, clientError: 4, serverError: 5 };
  Object.keys(CODE_CLASSES).forEach(function (name) {
    addProperty(name, function () { assertCodeClass(this, CODE_CLASSES[name]); });
  });
  addProperty('error', function () {
    requireCode(this);
    var codeClass = Math.floor(this._obj.code / 100);
    this.assert(codeClass === 4 || codeClass === 5, 'expected response code to be 4XX or 5XX but found #{act}',
      'expected response code to not be 4XX or 5XX', null, this._obj.code);
  });
  addMethod('statusCode', function (code) {
    requireCode(this);
    assertCode(this, Number(code), this._obj.code);
  });
  addMethod('statusReason', function (reason) {
    requireResponse(this);
    assertReason(this, String(reason), reasonOf(this._obj));
  });

  // chai-postman's table (its 'Acceptable' for 406 is a known upstream bug, kept for parity)
  var NAMED_STATUSES = {
    accepted: [202, 'Accepted'], withoutContent: [204, 'No Content'], badRequest: [400, 'Bad Request'],
    unauthorised: [401, 'Unauthorised'], unauthorized: [401, 'Unauthorized'], forbidden: [403, 'Forbidden'],
    notFound: [404, 'Not Found'], notAcceptable: [406, 'Acceptable'], rateLimited: [429, 'Too Many Requests']
  };
  Object.keys(NAMED_STATUSES).forEach(function (name) {
    addProperty(name, function () {
      requireResponse(this);
      var expected = NAMED_STATUSES[name];
      assertReason(this, expected[1].toUpperCase(), String(reasonOf(this._obj)).toUpperCase());
      assertCode(this, expected[0], Number(detailsOf(this._obj).code));
    });
  });

  // `ok` on a response means "200 OK"; on anything else it is chai's truthiness check.
  addProperty('ok', function () {
    if (!isResponse(this._obj)) {
      this.assert(flag(this, 'object'), 'expected #{this} to be truthy', 'expected #{this} to be falsy');
      return;
    }
    assertReason(this, 'OK', String(reasonOf(this._obj)).toUpperCase());
    assertCode(this, 200, Number(detailsOf(this._obj).code));
  });

  addMethod('status', function (expected) {
    requireResponse(this);
    if (typeof expected === 'number') {
      requireCode(this);
      assertCode(this, Number(expected), this._obj.code);
    } else {
      assertReason(this, expected, reasonOf(this._obj));
    }
  });

  function headerValue(headers, name) {
    if (typeof headers.one === 'function') {
      var header = headers.one(name);
      return header ? header.value : undefined;
    }
    return headers.get(name);
  }

  addMethod('header', function (name, value) {
    if (!isResponse(this._obj) && !isRequest(this._obj)) {
      new Assertion(this._obj).to.be.postmanRequestOrResponse; // eslint-disable-line no-unused-expressions
    }
    requireProperty(null, this._obj, 'headers');
    var kind = isRequest(this._obj) ? 'request' : 'response';
    var headers = this._obj.headers;
    this.assert(headers.has(name), 'expected ' + kind + " to have header with key '" + String(name) + "'",
      'expected ' + kind + " to not have header with key '" + String(name) + "'", true, headers.has(name));
    if (arguments.length < 2) return;
    this.assert(headerValue(headers, name) === value,
      "expected '" + String(name) + "' " + kind + ' header to be #{exp} but got #{act}',
      "expected '" + String(name) + "' " + kind + ' header to not be #{act}', value, headerValue(headers, name));
  });

  function bodyText(assertion) {
    return assertion._obj.text();
  }

  function assertHasBody(assertion) {
    var text = bodyText(assertion);
    assertion.assert(typeof text === 'string' && text.length, 'expected response to have content in body',
      'expected response to not have content in body');
  }

  addProperty('withBody', function () {
    requireResponse(this);
    assertHasBody(this);
  });

  /** Newman quotes the first line of a JSON parse error. */
  function jsonError(res) {
    try {
      res.json();
      return undefined;
    } catch (err) {
      return err.name === 'JSONError' && err.message ? err.message.replace(/(.*?)\n.*/g, '$1') : err.name + ': ' + err.message;
    }
  }

  addProperty('json', function () {
    requireResponse(this);
    var error = jsonError(this._obj);
    this.assert(!error, 'expected response body to be a valid json but got error ' + error,
      'expected response body not to be a valid json');
  });

  function isPlainObject(value) {
    if (value === null || typeof value !== 'object') return false;
    var proto = Object.getPrototypeOf(value);
    return proto === null || proto === Object.prototype;
  }

  function parsedBody(res) {
    try {
      return res.json();
    } catch (e) {
      return undefined;
    }
  }

  addMethod('body', function (expected) {
    requireResponse(this);
    if (isPlainObject(expected)) {
      var json = parsedBody(this._obj);
      this.assert(lodashEqual(json, expected), 'expected response body json to equal #{exp} but got #{act}',
        'expected response body json to not equal #{exp} but got #{act}', expected, json);
      return;
    }
    if (arguments.length === 0) return void assertHasBody(this);
    var text = bodyText(this);
    if (expected instanceof RegExp) {
      this.assert(expected.exec(text) !== null, 'expected response body text to match #{exp} but got #{act}',
        'expected response body text #{act} to not match #{exp}', expected, text);
    } else {
      this.assert(lodashEqual(text, expected), 'expected response body to equal #{exp} but got #{act}',
        'expected response body to not equal #{exp}', expected, text);
    }
  });

  /** lodash's path syntax: 'a.b[0].c', 'a["b.c"]'. */
  function lodashPath(path) {
    var parts = [];
    String(path).replace(/[^.[\]]+|\[(?:(-?\d+(?:\.\d+)?)|(["'])((?:(?!\2)[^\\]|\\.)*?)\2)\]|(?=(?:\.|\[\])(?:\.|\[\]|$))/g,
      function (match, number, quote, quoted) {
        parts.push(quote ? quoted.replace(/\\(\\)?/g, '$1') : number || match);
      });
    return parts;
  }

  function lodashHas(obj, path) {
    if (obj === null || obj === undefined) return false;
    if (Object.prototype.hasOwnProperty.call(Object(obj), path)) return true;
    var parts = lodashPath(path);
    var current = obj;
    for (var i = 0; i < parts.length; i++) {
      if (current === null || current === undefined || !Object.prototype.hasOwnProperty.call(Object(current), parts[i])) return false;
      current = current[parts[i]];
    }
    return parts.length > 0;
  }

  function lodashGet(obj, path) {
    if (obj !== null && obj !== undefined && Object.prototype.hasOwnProperty.call(Object(obj), path)) return obj[path];
    return lodashPath(path).reduce(function (node, part) {
      return node === null || node === undefined ? undefined : node[part];
    }, obj);
  }

  /** lodash's isEqual: like deep-eql, but NaN/±0 handled as SameValueZero. */
  function lodashEqual(a, b) {
    if (a === b || (isNaNValue(a) && isNaNValue(b))) return true;
    return deepEqual(a, b);
  }

  addMethod('jsonBody', function (path, value) {
    requireResponse(this);
    var json;
    var error;
    try {
      json = this._obj.json();
    } catch (err) {
      error = jsonError({ json: function () { throw err; } });
    }
    if (arguments.length === 0) {
      this.assert(!error, 'expected response body to be a valid json but got error ' + error,
        'expected response body not to be a valid json');
      return;
    }
    if (typeof path !== 'string') return;
    this.assert(lodashHas(json, path), 'expected #{act} in response to contain property #{exp}',
      'expected #{act} in response to not contain property #{exp}', path, json);
    if (arguments.length < 2) return;
    var actual = lodashGet(json, path);
    this.assert(lodashEqual(actual, value), 'expected response body json at "' + path + '" to contain #{exp} but got #{act}',
      'expected response body json at "' + path + '" to not contain #{exp} but got #{act}', value, actual);
  });

  function measuredNumber(valid, invalid, label) {
    return function (expected) {
      var n = flag(this, 'number');
      this.assert(typeof n === 'number', valid, invalid, null, n);
      if (!arguments.length) return;
      if (label === 'time') this.assert(lodashEqual(n, expected), valid, invalid, null, n);
      else {
        this.assert(lodashEqual(n, expected), 'expected response size to equal #{act} but got #{exp}',
          'expected response size to not equal #{act} but got #{exp}', expected, n);
      }
    };
  }

  addChainableMethod('responseTime', measuredNumber(
    'expected response to have a valid response time but got #{act}',
    'expected response to not have a valid response time but got #{act}', 'time'), function () {
    requireResponse(this);
    requireProperty(null, this._obj, 'responseTime');
    flag(this, 'number', this._obj.responseTime);
    this._obj = this._obj.responseTime;
  });

  addChainableMethod('responseSize', measuredNumber(
    'expected response to have a valid response size but got #{act}',
    'expected response to not have a valid response size but got #{act}', 'size'), function () {
    requireResponse(this);
    requireProperty(null, this._obj, 'size');
    requireType(null, this._obj.size, 'function');
    var size = this._obj.size();
    var total = (size.header || 0) + (size.body || 0);
    flag(this, 'number', total);
    this._obj = total;
  });

  addMethod('jsonSchema', function (schema) {
    requireType(null, schema, 'object');
    var obj = this._obj;
    var data = isResponse(obj) || (isRequest(obj) && typeof obj.json === 'function') ? obj.json() : obj;
    var errors = [];
    validateSchema(schema, data, '', errors, schema);
    this.assert(errors.length === 0, 'expected data to satisfy schema but found following errors: \n' +
      schemaErrorsText(errors), 'expected data to not satisfy schema', true, errors.length === 0);
  });

  // ---------------------------------------------------------------------------
  // 9. Public surface
  // ---------------------------------------------------------------------------

  function expect(value, message) {
    return new Assertion(value, message);
  }

  expect.fail = function (actual, expected, message, operator) {
    if (arguments.length < 2) {
      message = actual;
      actual = undefined;
    }
    throw new AssertionError(message || 'expect.fail()', { actual: actual, expected: expected, operator: operator });
  };

  // One descriptor for every marked object: a getter of its own per object would give each
  // one a hidden class of its own (and V8's slow dictionary-mode properties).
  var TO = { configurable: true, get: function () { return expect(this).to; } };

  /** Let the Postman assertions accept `obj`; give it the `.to` getter unless told not to. */
  function mark(obj, kind, options) {
    marked.set(obj, kind);
    if (!options || options.to !== false) Object.defineProperty(obj, 'to', TO);
    return obj;
  }

  var chai = { expect: expect, AssertionError: AssertionError, inspect: inspect, Assertion: Assertion };

  Object.defineProperty(globalThis, '__wirecall_chai', { value: chai, configurable: true });
  Object.defineProperty(globalThis, '__wirecall_responseAssertions', {
    configurable: true,
    value: function () {
      return {
        response: function (obj, options) { return mark(obj, RESPONSE_MARK, options); },
        request: function (obj, options) { return mark(obj, REQUEST_MARK, options); }
      };
    }
  });
})();
