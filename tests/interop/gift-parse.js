#!/usr/bin/env node
// Parses GIFT files with gift-pegjs (the parser a Moodle user checks a file with) and prints, as one
// JSON array on stdout, one result per file: {"file", "ok": true, "questions": [...]} or
// {"file", "ok": false, "error": {"message", "line", "column"}}. Exit status 0 when every file
// was read (parsed or rejected), 2 when the parser or a file is missing.
"use strict";

const fs = require("fs");

let parser;
try {
  parser = require("gift-pegjs");
} catch (error) {
  process.stderr.write(`gift-pegjs is not installed (npm ci --prefix tests/interop): ${error.message}\n`);
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: gift-parse.js FILE.gift [FILE.gift ...]\n");
  process.exit(2);
}

const results = [];
for (const file of files) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    process.stderr.write(`cannot read ${file}: ${error.message}\n`);
    process.exit(2);
  }
  try {
    results.push({ file, ok: true, questions: parser.parse(text) });
  } catch (error) {
    if (error.name !== "SyntaxError" || !error.location) throw error;
    const { line, column } = error.location.start;
    results.push({ file, ok: false, error: { message: error.message, line, column } });
  }
}
process.stdout.write(JSON.stringify(results));
