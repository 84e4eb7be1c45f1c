// Postman's JSON (liquid-json 0.3.1): the sandbox's `JSON` and what Response.json() parses
// with. Valid input goes through the native parser; for invalid input Newman reports the
// error of a second, hand-written parser (jju in JSON mode), whose text names the first bad
// token's line:column and shows that line with a caret:
//   JSONError: Unexpected token 'n' at 1:1
//   not json
//   ^
// Scripts quote these texts in assertions, so the scanner below reproduces where that
// parser stops and what it says (also its quirks, such as an unclosed array being "No data,
// only a whitespace"); it was checked against liquid-json on many inputs.
(function (G) {
  'use strict';
  const W = G.__wirecall;
  const nativeParse = JSON.parse;
  const nativeStringify = JSON.stringify;

  const isNewline = (c) => c === '\n' || c === '\r';
  const isSpace = (c) => c === ' ' || c === '\t' || isNewline(c);
  const isDigit = (c) => c >= '0' && c <= '9';
  const isHex = (c) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  const ESCAPES = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[+-]?[0-9]+)?$/i;

  /** Thrown inside the scanner; carries what the error text needs. */
  class Stop {
    constructor(message, pos, line, column) {
      Object.assign(this, { message, pos, line, column });
    }
  }

  // The error text: message, 1-based line:column, the line (at most ~70 characters before
  // the position) and a caret under the position (after the line's end if it is past it).
  const format = (text, { message, pos, line, column }) => {
    let i = Math.max(pos - column - 1, pos - 70);
    let source = '';
    let caret = '';
    for (;;) {
      const c = text[++i];
      if (isNewline(c) || i === text.length) {
        if (pos >= i) caret += '^';
        break;
      }
      source += c;
      if (pos === i) caret += '^';
      else if (pos > i) caret += c === '\t' ? '\t' : ' ';
      if (source.length > 78) break;
    }
    return `${message} at ${line + 1}:${column + 1}\n${source}\n${caret}`;
  };

  /** Scan `text` as that parser does; throw a Stop at its first complaint. */
  const scan = (text) => {
    const length = text.length;
    let pos = 0;
    let line = 0;
    let lineStart = 0;

    const stop = (message) => {
      if (!message) {
        message = pos < length
          ? `Unexpected token '${nativeStringify(text[pos]).slice(1, -1).replace(/'/g, "\\'").replace(/\\"/g, '"')}'`
          : 'Unexpected end of input';
      }
      throw new Stop(message, pos, line, pos - lineStart);
    };

    const space = () => {
      while (pos < length) {
        const c = text[pos++];
        if (isNewline(c)) {
          if (c === '\r' && text[pos] === '\n') pos++;
          lineStart = pos;
          line++;
        } else if (!isSpace(c)) {
          pos--;
          return;
        }
      }
    };

    const keyword = (word) => {
      const start = pos - 1;
      for (let i = 1; i < word.length; i++, pos++) {
        if (pos >= length || text[pos] !== word[i]) {
          pos = start;
          stop();
        }
      }
    };

    const string = () => {
      let out = '';
      while (pos < length) {
        let c = text[pos++];
        if (c === '"') return out;
        if (c === '\\') {
          if (pos >= length) stop();
          c = text[pos++];
          if (Object.prototype.hasOwnProperty.call(ESCAPES, c)) {
            out += ESCAPES[c];
          } else if (c === 'u') {
            for (let i = 0; i < 4; i++, pos++) {
              if (pos >= length) stop();
              if (!isHex(text[pos])) stop('Bad escape sequence');
            }
            out += String.fromCharCode(parseInt(text.substr(pos - 4, 4), 16));
          } else {
            pos--;
            stop();
          }
        } else if (isNewline(c)) {
          stop(); // one character past the line break, as the original does
        } else if (c.charCodeAt(0) < 32) {
          pos--;
          stop('Unexpected control character');
        } else {
          out += c;
        }
      }
      return stop();
    };

    // Reads on while it sees number characters, then lets Number() judge; one character
    // after an exponent's sign is taken unseen (so '1e+x' is a bad literal, not a bad token).
    const number = () => {
      const start = pos - 1;
      let c = text[start];
      if (c === '-') c = text[pos++];
      if (c >= '1' && c <= '9') {
        while (pos < length && isDigit(text[pos])) pos++;
        c = text[pos++];
      }
      if (c === '0') c = text[pos++];
      if (c === '.') {
        while (pos < length && isDigit(text[pos])) pos++;
        c = text[pos++];
      }
      if (c === 'e' || c === 'E') {
        c = text[pos++];
        if (c === '-' || c === '+') pos++;
        while (pos < length && isDigit(text[pos])) pos++;
        pos++;
      }
      pos--;
      const literal = text.substr(start, pos - start);
      const value = Number(literal);
      const bad = Number.isNaN(value) ? 'Bad' : (JSON_NUMBER.test(literal) ? null : 'Non-json');
      if (bad) {
        pos--;
        stop(`${bad} numeric literal - "${text.substr(start, pos - start + 1)}"`);
      }
      return value;
    };

    // undefined: no value starts here (pos stays at the character).
    const value = (isKey) => {
      if (pos >= length) return undefined;
      const c = text[pos++];
      if (c === '"') return string();
      if (c === '{') return object();
      if (c === '[') return array();
      if (c === '.' || isDigit(c) || (c === '-' && !isKey)) return number();
      if (!isKey && (c === 'n' || c === 't' || c === 'f')) {
        keyword({ n: 'null', t: 'true', f: 'false' }[c]);
        return { n: null, t: true, f: false }[c];
      }
      pos--;
      return undefined;
    };

    const object = () => {
      const out = Object.create(null);
      let filled = false;
      while (pos < length) {
        space();
        const key = value(true);
        space();
        let c = text[pos++];
        if (c === '}' && key === undefined) {
          if (filled) {
            pos--;
            stop('Trailing comma in object');
          }
          return out;
        }
        if (c !== ':' || key === undefined) {
          pos--;
          stop();
        }
        space();
        const item = value(false);
        if (item === undefined) stop('No value found for key ' + key);
        if (typeof key !== 'string') stop('Wrong key type: ' + key);
        if (!(key in {})) { // keys such as 'constructor' are dropped (and not counted)
          out[key] = item;
          filled = true;
        }
        space();
        c = text[pos++];
        if (c === '}') return out;
        if (c !== ',') stop(); // one character past the unexpected one, as the original does
      }
      return stop();
    };

    // An array that the input ends inside is "no value" (not an error of its own).
    const array = () => {
      const out = [];
      while (pos < length) {
        space();
        const item = value(false);
        space();
        const c = text[pos++];
        if (item !== undefined) out.push(item);
        if (c === ',') {
          if (item === undefined) stop('Elisions are not supported');
        } else if (c === ']') {
          if (item === undefined && out.length) {
            pos--;
            stop('Trailing comma in array');
          }
          return out;
        } else {
          pos--;
          stop();
        }
      }
      return undefined;
    };

    space();
    const result = value(false);
    if (result === undefined && pos >= length) stop(pos ? 'No data, only a whitespace' : 'No data, empty input');
    space();
    if (pos < length) stop();
  };

  const named = (error) => {
    error.name = 'JSONError';
    return error;
  };

  /** The byte order mark's length at the start of `text` (UTF-8/16/32 marks as read by liquid-json). */
  const bomLength = (text) => {
    const c = (i) => text.charCodeAt(i);
    if (c(0) === 0xfeff || c(0) === 0xbbbf) return 1;
    if ((c(0) === 0xfe && c(1) === 0xff) || (c(0) === 0xff && c(1) === 0xfe)) return 2;
    return c(0) === 0xef && c(1) === 0xbb && c(2) === 0xbf ? 3 : 0;
  };

  const parse = (text, reviver, strict) => {
    try {
      const bom = typeof text === 'string' ? bomLength(text) : 0;
      if (bom && strict) throw new SyntaxError(`Unexpected byte order mark found in first ${bom} character(s)`);
      if (bom) text = text.slice(bom);
      try {
        return nativeParse(text, reviver);
      } catch (native) {
        if (text !== undefined) {
          const source = String(text);
          try {
            scan(source);
          } catch (e) {
            if (!(e instanceof Stop)) throw e;
            const error = new SyntaxError(format(source, e));
            Object.assign(error, { row: e.line + 1, column: e.column + 1 });
            throw error;
          }
        }
        throw native; // the second parser accepted it: the native complaint stands
      }
    } catch (e) {
      throw named(e);
    }
  };

  const stringify = function () {
    try {
      return nativeStringify.apply(JSON, arguments);
    } catch (e) {
      throw named(e);
    }
  };

  W.json = Object.freeze({ parse, stringify });
})(globalThis);
