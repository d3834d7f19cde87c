#!/usr/bin/env node
// Benchmarks of the pure hot paths, printing figures (never asserted in tests):
// spec parsing of the examples, and the analysis pipeline observation → measurement → run
// verdict. Run with `npm run bench` (compiles first).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parsePromotionSpec } = require('../dist/spec/parse');
const { toMeasurement } = require('../dist/analysis/measurement');
const { newRunState, recordMeasurement, runVerdict } = require('../dist/analysis/run');

function bench(name, iterations, fn) {
  for (let i = 0; i < Math.min(1000, iterations); i++) fn(i); // warm up
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - start);
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(`${name.padEnd(44)} ${(ns / iterations / 1000).toFixed(2).padStart(9)} µs/op  ${Math.round(iterations / (ns / 1e9)).toLocaleString().padStart(12)} ops/s  heap Δ ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB`);
}

const examples = fs.readdirSync(path.join(__dirname, '..', 'examples')).filter((f) => f.endsWith('.yaml'))
  .map((f) => fs.readFileSync(path.join(__dirname, '..', 'examples', f), 'utf8'));
bench(`parse + validate ${examples.length} example specs (per spec)`, 2000, (i) => {
  const r = parsePromotionSpec(examples[i % examples.length], { image: 'registry.local/zai-proxy:1.3.0' });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
});

const check = {
  name: 'error-rate', source: { kind: 'prometheus', query: 'q' }, condition: { kind: 'threshold', op: '<', value: 0.05 },
  noData: 'inconclusive', interval: 1000, initialDelay: 0, count: 1e9, failureLimit: 1e9, inconclusiveLimit: 1e9,
  onInconclusiveLimit: 'fail', consecutiveErrorLimit: 1e9, for: 120000, dryRun: false,
};
let state = newRunState(check);
bench('measurement → run state → verdict (flapping)', 200000, (i) => {
  const m = toMeasurement(check, { kind: 'value', value: i % 7 === 0 ? 0.2 : 0.01 }, i * 1000, {});
  state = recordMeasurement(state, m);
  runVerdict(state, check);
});
console.log(`run state after 200k measurements keeps ${state.recent.length} recent measurements (bounded)`);
