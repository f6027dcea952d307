// Load the wasm-bindgen output of scripts/build-web.sh under Node and grade
// files with the default rubric, as the page does.
// Usage: node grade.js PKG_DIR FILE...        -> {"FILE": "<grade()'s JSON text>", ...}
//        node grade.js PKG_DIR --error NAME   -> the message grade() throws
//        node grade.js PKG_DIR --time FILE N  -> {"first_ms", "median_ms"}
//        node grade.js PKG_DIR --derive MODEL [ESSAY] -> derive()'s JSON (+ "graded")
"use strict";
const fs = require("fs");
const path = require("path");

const [dir, ...args] = process.argv.slice(2);
const glue = fs.readFileSync(path.join(dir, "essaymark_web.js"), "utf8");
// The no-modules glue declares a global `wasm_bindgen`; evaluate it in a
// function to get hold of it without a DOM.
const api = new Function(glue + "\nreturn wasm_bindgen;")();
api.initSync({ module: fs.readFileSync(path.join(dir, "essaymark_web_bg.wasm")) });

let out;
if (args[0] === "--error") {
  try {
    api.grade(new TextEncoder().encode("%PDF-1.7\n"), args[1], "");
    out = { error: null };
  } catch (e) {
    out = { error: e instanceof Error ? e.message : String(e) };
  }
} else if (args[0] === "--time") {
  const bytes = fs.readFileSync(args[1]);
  const name = path.basename(args[1]);
  const runs = Number(args[2] || 20);
  let t = performance.now();
  api.grade(bytes, name, "");
  const first = performance.now() - t;
  const times = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    api.analyse(bytes, name, "");
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  out = { first_ms: first, median_ms: times[Math.floor(runs / 2)], runs };
} else if (args[0] === "--derive") {
  // node grade.js PKG_DIR --derive MODEL [ESSAY] -> derive()'s JSON, and
  // with ESSAY the essay graded with the draft as it is.
  out = JSON.parse(api.derive(fs.readFileSync(args[1]), path.basename(args[1])));
  if (args[2]) out.graded = JSON.parse(api.grade(fs.readFileSync(args[2]), path.basename(args[2]), out.yaml));
} else {
  out = {};
  for (const f of args) out[f] = api.grade(fs.readFileSync(f), f, "");
}
process.stdout.write(JSON.stringify(out) + "\n");
