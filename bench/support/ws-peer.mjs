// ws 8 as a separate process, so that its CPU time can be told apart from the
// tester's: `server` prints its port and echoes until SIGTERM; `client BASE
// AGENT LANES` drives the fuzzing server like an Autobahn client driver, LANES
// cases at a time. Either writes its resource use as JSON to $WS_PEER_USAGE.
import { writeFileSync } from 'node:fs';
import WebSocket, { WebSocketServer } from 'ws';

const started = performance.now();
function report() {
  const u = process.resourceUsage();
  const usage = { wallMs: performance.now() - started, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssKiB: u.maxRSS };
  if (process.env.WS_PEER_USAGE) writeFileSync(process.env.WS_PEER_USAGE, JSON.stringify(usage));
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'server') {
  // permessage-deflate offered, as in ws's published Autobahn runs.
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
  server.on('connection', (s) => {
    s.on('error', () => {});
    s.on('message', (data, binary) => s.send(data, { binary }));
  });
  server.on('listening', () => process.stdout.write(`${server.address().port}\n`));
  process.on('SIGTERM', () => {
    report();
    process.exit(0);
  });
} else if (mode === 'client') {
  const [base, agent, lanes = '8'] = rest;
  const text = (url) =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      let answer = '';
      ws.on('message', (d) => (answer = String(d)));
      ws.on('close', () => resolve(answer));
      ws.on('error', reject);
    });
  const runCase = (n) =>
    new Promise((resolve) => {
      const ws = new WebSocket(`${base}/runCase?case=${n}&agent=${encodeURIComponent(agent)}`);
      ws.on('message', (data, binary) => ws.send(data, { binary }));
      ws.on('error', () => {});
      ws.on('close', resolve);
    });
  const count = Number(await text(`${base}/getCaseCount`));
  let next = 1;
  await Promise.all(Array.from({ length: Number(lanes) }, async () => {
    while (next <= count) await runCase(next++);
  }));
  await text(`${base}/updateReports?agent=${encodeURIComponent(agent)}`);
  report();
} else {
  process.stderr.write('usage: ws-peer.mjs server | client BASE AGENT LANES\n');
  process.exit(2);
}
