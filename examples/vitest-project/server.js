// The application's WebSocket echo server (what a project would test). With
// `messagesAsBinary` it has a bug: every echo goes back as a binary message.
import { WebSocketServer } from 'ws';

export async function startServer({ messagesAsBinary = false } = {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (socket) => {
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => socket.send(data, { binary: messagesAsBinary || isBinary }));
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  return {
    url: `ws://127.0.0.1:${wss.address().port}`,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
