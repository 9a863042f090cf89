import { connect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { CheckSpec } from '@nop/protocol';
import { describeError } from './errors.ts';
import { type Metrics, type Prober, ProbeTimeout, RunDeadline, beginRun, msSince } from './result.ts';
import { isValidHost, splitHostPort } from './target.ts';
import { onPeerCertificate } from './tls-cert.ts';

type TcpSpec = Extract<CheckSpec, { type: 'tcp' }>;

/** Replies kept for the expect regex are cut here. */
const REPLY_LIMIT = 64 * 1024;

const snippet = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

/**
 * A TCP handshake to host:port ([v6]:port), then optionally a TLS handshake, a `send` and a reply
 * that must match `expect` within the timeout. Headline = connect time (after name resolution).
 *
 * The bare handshake is the most frequent probe (/probe tcp_connect, thousands a second), so its
 * path allocates little: a RunDeadline rather than runSignal, `on` rather than `once` wrappers
 * (finish runs once anyway), the address family from the target when it is an IP (no
 * getpeername), and the socket paused so that it never starts reading unless a reply is expected.
 */
export const tcp: Prober<TcpSpec> = (spec, signal) =>
  new Promise((resolve) => {
    const run = beginRun(spec);
    const parsed = splitHostPort(spec.target);
    if (!parsed || parsed.port === 0 || !isValidHost(parsed.host))
      return resolve(run.fail(`invalid target "${spec.target}": must be host:port with port 1-65535`));
    const { host, port } = parsed;
    const hostFamily = isIP(host);
    const metrics: Metrics = {};
    let resolvedAt: bigint | undefined;
    let connectedAt: bigint | undefined;
    let stage: 'connect' | 'tls' | 'reply' = 'connect';
    let reply = '';
    let settled = false;
    let tlsSocket: TLSSocket | undefined;
    const expect = spec.expect === undefined ? undefined : new RegExp(spec.expect);

    const deadline = new RunDeadline(spec.timeout, signal);
    const socket: Socket = connect(spec.ipVersion ? { host, port, family: spec.ipVersion } : { host, port });
    socket.pause();
    const finish = (error?: unknown, words?: string) => {
      if (settled) return;
      settled = true;
      deadline.dispose();
      tlsSocket?.destroy();
      socket.destroy();
      metrics.dns_ms = resolvedAt ? msSince(run.started, resolvedAt) : 0;
      const connectMs = metrics.connect_ms ?? null;
      if (error !== undefined || words !== undefined) {
        let text = words ?? describeError(error, host);
        if (error instanceof ProbeTimeout && stage === 'reply' && expect)
          text = `timeout after ${error.ms} ms waiting for a reply matching /${spec.expect}/ (got ${snippet(reply)})`;
        else if (error instanceof ProbeTimeout && stage === 'tls')
          text = `timeout after ${error.ms} ms in the TLS handshake`;
        return resolve(run.fail(text, stage === 'connect' ? null : connectMs, metrics));
      }
      resolve(run.ok(connectMs, metrics));
    };

    const converse = (stream: Socket) => {
      stage = 'reply';
      const sentAt = process.hrtime.bigint();
      if (expect) {
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          if (reply.length < REPLY_LIMIT) reply += chunk;
          if (expect.test(reply)) {
            metrics.reply_ms = msSince(sentAt);
            metrics.failed_due_to_regex = 0;
            finish();
          }
        });
        stream.on('end', () => {
          metrics.failed_due_to_regex = 1;
          finish(undefined, `reply ${snippet(reply)} does not match /${spec.expect}/ (connection closed)`);
        });
        stream.resume();
      }
      if (spec.send !== undefined)
        stream.write(spec.send, (error) => {
          if (error) finish(error);
          else if (!expect) finish();
        });
      else if (!expect) finish();
    };

    if (hostFamily === 0)
      socket.once('lookup', (error) => {
        if (!error) resolvedAt = process.hrtime.bigint();
      });
    socket.on('connect', () => {
      connectedAt = process.hrtime.bigint();
      metrics.connect_ms = msSince(resolvedAt ?? run.started, connectedAt);
      metrics.ip_version = hostFamily || (socket.remoteFamily === 'IPv6' ? 6 : 4);
      if (!spec.tls) return converse(socket);
      stage = 'tls';
      const name = spec.serverName ?? host;
      tlsSocket = tlsConnect({
        socket,
        host: name,
        servername: isIP(name) === 0 ? name : undefined,
        rejectUnauthorized: spec.tlsVerify,
      });
      metrics.tls = 1;
      onPeerCertificate(tlsSocket, (expiry) => {
        if (expiry !== undefined) metrics.ssl_earliest_cert_expiry = expiry;
      });
      tlsSocket.on('secureConnect', () => {
        metrics.tls_ms = msSince(connectedAt!);
        converse(tlsSocket!);
      });
      tlsSocket.on('error', (error) => finish(error));
    });
    socket.on('error', (error) => finish(error));
    socket.on('close', () => {
      if (stage === 'reply' && expect) {
        metrics.failed_due_to_regex = 1;
        finish(undefined, `reply ${snippet(reply)} does not match /${spec.expect}/ (connection closed)`);
      } else finish(new Error(`connection closed by the peer${stage === 'tls' ? ' during the TLS handshake' : ''}`));
    });
    if (deadline.reason) finish(deadline.reason);
    else deadline.onStop = finish;
  });
