#!/usr/bin/env node
// An Autobahn testsuite client driver built on the npm `ws` library, as a
// project would write it to test its WebSocket client. Works unchanged with
// the Autobahn fuzzingserver and with wscheck:
//
//   npx wscheck client --exec "node examples/ws-autobahn-client.mjs {url} {agent}"
import WebSocket from 'ws';

const [base = 'ws://127.0.0.1:9001', agent = 'ws'] = process.argv.slice(2);

/** Open a control connection and resolve with the last text message before it closes. */
function query(path) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base + path);
    let answer = '';
    ws.on('message', (data) => {
      answer = data.toString();
    });
    ws.on('close', () => resolve(answer));
    ws.on('error', reject);
  });
}

/** Run one case: echo every message with its type until the server closes. */
function runCase(n) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base}/runCase?case=${n}&agent=${encodeURIComponent(agent)}`);
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => {}); // the cases make the connection fail on purpose
    ws.on('close', resolve);
  });
}

const count = Number(await query('/getCaseCount'));
for (let n = 1; n <= count; n++) await runCase(n);
await query(`/updateReports?agent=${encodeURIComponent(agent)}`);
