import { connect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/**
 * A lean HTTP/1.1 client for probing: one request on a fresh connection (`Connection: close`),
 * the response parsed by hand (status line, headers, Content-Length / chunked / close-delimited
 * body). node:http's ClientRequest/IncomingMessage/Agent machinery costs several times the CPU of
 * the exchange itself at probe rates, and a probe needs none of it.
 */

export interface WireRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  family?: 4 | 6;
  rejectUnauthorized: boolean;
}

export interface WireHandlers {
  socket(socket: Socket | TLSSocket): void;
  response(status: number, headers: Map<string, string>): void;
  data(chunk: Buffer): void;
  end(): void;
  error(error: Error): void;
}

const MAX_HEAD = 64 * 1024;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

class WireError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Starts the exchange; returns a function that aborts it. */
export function wireRequest(req: WireRequest, on: WireHandlers): () => void {
  const { url } = req;
  const https = url.protocol === 'https:';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = Number(url.port) || (https ? 443 : 80);
  let head = `${req.method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  const lower = new Set<string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value) || !/^[!#$%&'*+.^`|~\w-]+$/.test(name)) {
      queueMicrotask(() => on.error(new WireError(`invalid header "${name}"`, 'ERR_INVALID_HTTP_TOKEN')));
      return () => undefined;
    }
    lower.add(name.toLowerCase());
    head += `${name}: ${value}\r\n`;
  }
  if (!lower.has('host')) head = head.replace('\r\n', `\r\nHost: ${url.host}\r\n`);
  if (!lower.has('connection')) head += 'Connection: close\r\n';
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  if (!lower.has('content-length') && (body || /^(POST|PUT|PATCH)$/.test(req.method)))
    head += `Content-Length: ${body?.length ?? 0}\r\n`;
  head += '\r\n';

  const options = { host, port, ...(req.family ? { family: req.family } : {}) };
  const socket: Socket = https
    ? tlsConnect({
        ...options,
        servername: isIP(host) === 0 ? host : undefined,
        rejectUnauthorized: req.rejectUnauthorized,
        ALPNProtocols: ['http/1.1'],
      })
    : connect(options);
  on.socket(socket);

  let done = false;
  const finish = (error?: Error) => {
    if (done) return;
    done = true;
    socket.destroy();
    if (error) on.error(error);
    else on.end();
  };

  // response parser state
  let state: 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailer' | 'close' = 'head';
  let pending: Buffer = EMPTY;
  let remaining = 0;
  const noBody = req.method === 'HEAD';

  const parseHead = (text: string): boolean => {
    const lines = text.split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? '');
    if (!status) {
      finish(new WireError('invalid HTTP response', 'HPE_INVALID_CONSTANT'));
      return false;
    }
    const code = Number(status[1]);
    const headers = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const prev = headers.get(name);
      headers.set(name, prev === undefined ? value : `${prev}, ${value}`);
    }
    if (code >= 100 && code < 200 && code !== 101) return true; // interim: the real head follows
    on.response(code, headers);
    if (done) return false;
    const te = headers.get('transfer-encoding');
    const cl = headers.get('content-length');
    if (noBody || code === 204 || code === 304) {
      finish();
      return false;
    }
    if (te && /chunked/i.test(te)) state = 'chunk-size';
    else if (cl !== undefined) {
      remaining = Number(cl);
      if (!Number.isSafeInteger(remaining) || remaining < 0) {
        finish(new WireError('invalid HTTP response', 'HPE_INVALID_CONTENT_LENGTH'));
        return false;
      }
      state = 'length';
      if (remaining === 0) {
        finish();
        return false;
      }
    } else state = 'close';
    return true;
  };

  const feed = (chunk: Buffer) => {
    let buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    pending = EMPTY;
    while (!done && buf.length > 0) {
      switch (state) {
        case 'head': {
          const end = buf.indexOf(CRLFCRLF);
          if (end < 0) {
            if (buf.length > MAX_HEAD)
              return finish(new WireError('HTTP response headers too large', 'HPE_HEADER_OVERFLOW'));
            pending = buf;
            return;
          }
          const text = buf.toString('latin1', 0, end);
          buf = buf.subarray(end + 4);
          if (!parseHead(text)) return;
          break;
        }
        case 'length': {
          const take = Math.min(remaining, buf.length);
          on.data(take === buf.length ? buf : buf.subarray(0, take));
          remaining -= take;
          buf = buf.subarray(take);
          if (remaining === 0) return finish();
          break;
        }
        case 'close':
          on.data(buf);
          return;
        case 'chunk-size': {
          const eol = buf.indexOf('\r\n');
          if (eol < 0) {
            if (buf.length > 1024) return finish(new WireError('invalid chunked encoding', 'HPE_INVALID_CHUNK_SIZE'));
            pending = buf;
            return;
          }
          const size = parseInt(buf.toString('latin1', 0, eol).split(';')[0]!.trim(), 16);
          if (!Number.isFinite(size) || size < 0)
            return finish(new WireError('invalid chunked encoding', 'HPE_INVALID_CHUNK_SIZE'));
          buf = buf.subarray(eol + 2);
          remaining = size;
          state = size === 0 ? 'trailer' : 'chunk-data';
          break;
        }
        case 'chunk-data': {
          const take = Math.min(remaining, buf.length);
          on.data(take === buf.length ? buf : buf.subarray(0, take));
          remaining -= take;
          buf = buf.subarray(take);
          if (remaining === 0) state = 'chunk-crlf';
          break;
        }
        case 'chunk-crlf': {
          if (buf.length < 2) {
            pending = buf;
            return;
          }
          buf = buf.subarray(2);
          state = 'chunk-size';
          break;
        }
        case 'trailer': {
          // trailers end with an empty line; with none it is just "\r\n"
          if (buf.length >= 2 && buf[0] === 13 && buf[1] === 10) return finish();
          const end = buf.indexOf(CRLFCRLF);
          if (end < 0) {
            pending = buf;
            return;
          }
          return finish();
        }
      }
    }
  };

  // `on`, not `once`: each fires at most once here, or finish ignores the rest; no wrappers per probe.
  socket.on('data', feed);
  socket.on('end', () => {
    if (done) return;
    if (state === 'close') finish();
    else
      finish(
        new WireError(
          state === 'head' ? 'the server closed the connection without answering' : 'response aborted by the server',
        ),
      );
  });
  socket.on('error', (error) => finish(error));
  socket.on('close', () => {
    if (!done) finish(new WireError('connection closed by the peer'));
  });
  // Written once connected (once secure for TLS): a direct write, no queueing before the connect.
  const payload = body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
  socket.on(https ? 'secureConnect' : 'connect', () => {
    if (!done) socket.write(payload);
  });
  return () => {
    if (done) return;
    done = true;
    socket.destroy();
  };
}
