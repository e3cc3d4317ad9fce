// Compiles generated JSON Schemas with Ajv (draft 2020-12) in its default
// mode, strict, with ajv-formats, the way a JavaScript pipeline would:
//
//	const ajv = new Ajv2020();
//	addFormats(ajv);
//	ajv.addVocabulary(index.vocabulary);
//
// Usage: node run.mjs DIR
//
// DIR holds one directory of schemas per set (each with its index.json),
// and, optionally, corpus.json: one case a line ({"set", "schema",
// "payload", ...}). It prints one JSON object: the schemas compiled, the
// errors and warnings Ajv gave, and, per case, whether the schema
// accepted the payload. internal/gen/jsonschema's TestAjv runs it.
import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node run.mjs DIR");
  process.exit(2);
}

const warnings = [];
const logger = {
  log: () => {},
  warn: (...args) => warnings.push(args.join(" ")),
  error: (...args) => warnings.push(args.join(" ")),
};
// Strict mode's warnings go through console; keep them to report.
console.warn = logger.warn;

const result = { compiled: 0, errors: [], warnings, accepted: [] };
const validators = new Map();

for (const set of fs.readdirSync(dir, { withFileTypes: true })) {
  if (!set.isDirectory()) {
    continue;
  }
  const root = path.join(dir, set.name);
  const index = JSON.parse(fs.readFileSync(path.join(root, "index.json"), "utf8"));
  const ajv = new Ajv2020();
  addFormats(ajv);
  ajv.addVocabulary(index.vocabulary);
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (e.name.endsWith(".schema.json")) {
        files.push(p);
      }
    }
  };
  walk(root);
  files.sort();
  for (const file of files) {
    const name = path.relative(root, file).split(path.sep).join("/");
    try {
      const validate = ajv.compile(JSON.parse(fs.readFileSync(file, "utf8")));
      validators.set(set.name + "\u0000" + name, validate);
      result.compiled++;
    } catch (e) {
      result.errors.push(`${set.name}/${name}: ${e.message}`);
    }
  }
}

const corpus = path.join(dir, "corpus.json");
if (fs.existsSync(corpus)) {
  for (const line of fs.readFileSync(corpus, "utf8").split("\n")) {
    if (line === "") {
      continue;
    }
    const c = JSON.parse(line);
    const validate = validators.get(c.set + "\u0000" + c.schema);
    result.accepted.push(validate ? validate(c.payload) : null);
  }
}

process.stdout.write(JSON.stringify(result) + "\n");
