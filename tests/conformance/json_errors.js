// Compares wirecall's JSON (core/scripts/js/json.js) with liquid-json, the parser whose
// error texts Newman reports: fixed cases, then mutations of valid documents.
// usage: node json_errors.js <json.js> <liquid-json dir>; prints the differences as JSON lines.
'use strict';
globalThis.__wirecall = {};
require(process.argv[2]);
const ours = globalThis.__wirecall.json;
const liquid = require(process.argv[3]);

const outcome = (parse, text) => {
  try { return 'ok ' + JSON.stringify(parse(text)); } catch (e) { return `${e.name}: ${e.message}`; }
};
const CASES = ['not json', '', '   ', '\n\n', '<?xml version="1.0"?>\n<a/>', '{', '[', '[1,', '[1,]', '[,1]',
  '{"a":1,}', '{"a":1 "b":2}', '{"a"}', '{"a":}', '{a:1}', '{1:2}', '{"a":1}x', '"abc', '"a\nb"', '"a\\x"',
  '"\\u12g4"', '"\t"', '01', '-', '1.', '.5', '1e', '1e+', '1e+x', 'tru', 'falsey', '{"constructor":1,}',
  '[1 2]', '{"a":[1,}', "'x'", '\uFEFF{"a":1}', 'a'.repeat(200), '{"k":"' + 'x'.repeat(100) + '" x}',
  '{"a":1,\n"b":\n2 3}', '[1,\r\n2,,]', 'NaN', '+1', '"\u0001"', '{"a":"b"}}', undefined];
const SEEDS = ['{"a": [1, 2.5, -3e2, true, false, null], "b": {"c": "d\\n\\u0041"}}',
  '[{"x":1},{"y":[[]]},"s p a c e",0]', '{\n  "k": "v",\n  "n": 1\n}'];
const ALPHABET = '{}[]:,"\\ \n\tabc01-.eE+ntfu\r';

let seed = 7;
const random = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const mutate = (text) => {
  const chars = text.split('');
  for (let k = 1 + random(3); k > 0; k--) {
    const at = random(chars.length + 1);
    const c = ALPHABET[random(ALPHABET.length)];
    const op = random(3);
    if (op === 0) chars.splice(at, 1); else if (op === 1) chars.splice(at, 0, c); else chars[at] = c;
  }
  return chars.join('');
};

const inputs = CASES.concat(Array.from({ length: 20000 }, () => mutate(SEEDS[random(SEEDS.length)])));
for (const text of inputs) {
  const want = outcome(liquid.parse, text);
  const got = outcome(ours.parse, text);
  if (want !== got) console.log(JSON.stringify({ text, liquid: want, wirecall: got }));
}
