import { ProbeAborted, ProbeTimeout } from './result.ts';

/** System and TLS error codes in words a network engineer reads without looking them up. */
const WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed while writing',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host down',
  ENETDOWN: 'network down',
  EADDRNOTAVAIL: 'address not available',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMSGSIZE: 'message too long',
  ETIMEDOUT: 'timed out',
  HPE_INVALID_CONSTANT: 'invalid HTTP response',
  HPE_HEADER_OVERFLOW: 'HTTP response headers too large',
  ERR_INVALID_HTTP_RESPONSE: 'invalid HTTP response',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: unable to verify the certificate chain',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS: unknown certificate issuer',
  CERT_HAS_EXPIRED: 'TLS: certificate has expired',
  CERT_NOT_YET_VALID: 'TLS: certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate does not match the host name',
  EPROTO: 'TLS/protocol error',
};

/** Turns whatever a socket, resolver or timer threw into one line of words. */
export function describeError(error: unknown, host?: string): string {
  if (error instanceof ProbeTimeout || error instanceof ProbeAborted) return error.message;
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'EAI_NODATA')
    return host ? `cannot resolve host ${host}` : 'cannot resolve host';
  if (code === 'EAI_AGAIN') return host ? `temporary failure resolving host ${host}` : 'temporary DNS failure';
  const words = code ? WORDS[code] : undefined;
  if (words) return words;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
