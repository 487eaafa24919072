#!/usr/bin/env node
// The CLI runs from the compiled package (npm install builds it via "prepare").
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
