import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

/** The earliest notAfter (epoch seconds) among the certificates the peer presented. */
export function earliestCertExpiry(socket: TLSSocket): number | undefined {
  let cert: DetailedPeerCertificate | undefined;
  try {
    cert = socket.getPeerCertificate(true);
  } catch {
    return undefined;
  }
  let earliest: number | undefined;
  const seen = new Set<DetailedPeerCertificate>();
  while (cert && Object.keys(cert).length > 0 && !seen.has(cert)) {
    seen.add(cert);
    const end = Date.parse(cert.valid_to);
    if (Number.isFinite(end)) earliest = earliest === undefined ? end : Math.min(earliest, end);
    cert = cert.issuerCertificate;
  }
  return earliest === undefined ? undefined : Math.round(earliest / 1000);
}

/**
 * Reads the peer's certificate expiry as soon as the handshake completes, before Node verifies the
 * chain (and destroys the socket when verification fails): an expired or self-signed certificate
 * still reports its expiry. 'secure' is emitted by TLSSocket right after the handshake.
 */
export function onPeerCertificate(socket: TLSSocket, callback: (expiry: number | undefined) => void): void {
  socket.prependOnceListener('secure', () => callback(earliestCertExpiry(socket)));
}
