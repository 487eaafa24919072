#!/bin/bash -eu
# OSS-Fuzz build script for wscheck: install, then write every fuzz target,
# its dictionary, options and seed corpus to $OUT (fuzz/jazzer/oss-fuzz.ts).
cd "$SRC/wscheck"
npm ci
npx tsx fuzz oss-fuzz --out "$OUT"
