import WebSocket from 'ws';

/** Resolves with the socket once open, or rejects with the HTTP status the upgrade was refused with. */
export function connect(url: string, opts: { protocols?: string[]; headers?: Record<string, string> } = {}) {
  return new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(url, opts.protocols ?? [], { headers: opts.headers });
    // listen from the start: a server may speak first, before the caller gets the socket
    inbox(socket);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
    );
    socket.once('error', reject);
  });
}

/** Collects JSON messages; `next(pred)` waits for the first (past or future) one matching. */
const inboxes = new WeakMap<WebSocket, ReturnType<typeof makeInbox>>();
export function inbox(socket: WebSocket) {
  let box = inboxes.get(socket);
  if (!box) inboxes.set(socket, (box = makeInbox(socket)));
  return box;
}

function makeInbox(socket: WebSocket) {
  const messages: any[] = [];
  const waiters: Array<{ pred: (m: any) => boolean; resolve: (m: any) => void }> = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    messages.push(message);
    for (const w of [...waiters])
      if (w.pred(message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
  });
  return {
    messages,
    next(pred: (m: any) => boolean, timeoutMs = 5000): Promise<any> {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 500)}`),
            ),
          timeoutMs,
        );
        waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

export const closed = (socket: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );

/** The result of a stream `results` frame that matches `pred`, if the frame is one and holds it. */
export const resultIn = (message: any, pred: (result: any) => boolean = () => true): any =>
  message?.type === 'results' ? message.results.find(pred) : undefined;

/** How many results matching `pred` the stream has sent in all (over every `results` frame). */
export const countResults = (messages: any[], pred: (result: any) => boolean) =>
  messages.reduce((n, m) => n + (m.type === 'results' ? m.results.filter(pred).length : 0), 0);
