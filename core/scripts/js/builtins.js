// Node-like built-ins (filled in below)
(function (G) { 'use strict'; G.__wirecall.builtins = G.__wirecall.builtins || {}; })(globalThis);
