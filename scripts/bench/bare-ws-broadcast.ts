// The peer of stream-fanout.ts: a bare `ws` server that does nothing but broadcast. A feeder
// connects to /feed and sends batches; each batch goes out as one frame, encoded once, to every
// client of /. Prints its port on stdout. Loopback only.
import { WebSocketServer, type WebSocket } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
const clients = new Set<WebSocket>();
server.on('connection', (socket, request) => {
  if (request.url === '/feed') {
    socket.on('message', (data) => {
      const frame = JSON.stringify({ type: 'results', results: JSON.parse(String(data)).results });
      for (const client of clients) client.send(frame);
    });
    return;
  }
  clients.add(socket);
  socket.on('close', () => clients.delete(socket));
});
server.on('listening', () => console.log(`port ${(server.address() as { port: number }).port}`));
