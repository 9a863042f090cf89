import { describe, expect, it } from 'vitest';
import { isHostName, isValidHost, splitHostPort, stripBrackets } from './target.ts';

describe('target parsing', () => {
  it('splits host:port and [v6]:port', () => {
    expect(splitHostPort('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(splitHostPort('[::1]:53')).toEqual({ host: '::1', port: 53 });
    expect(splitHostPort('example.com:443')).toEqual({ host: 'example.com', port: 443 });
    expect(splitHostPort('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(splitHostPort('::1:53')).toBeUndefined();
    expect(splitHostPort('host:70000')).toBeUndefined();
    expect(splitHostPort('host')).toBeUndefined();
  });

  it('tells host names from junk without asking a resolver', () => {
    expect(isHostName('example.com')).toBe(true);
    expect(isHostName('example.com.')).toBe(true);
    expect(isHostName('_dmarc.example.com')).toBe(true);
    expect(isHostName('bad host')).toBe(false);
    expect(isHostName('-bad.example')).toBe(false);
    expect(isHostName('a..b')).toBe(false);
    expect(isHostName('x'.repeat(64))).toBe(false);
    expect(isValidHost('::1')).toBe(true);
    expect(isValidHost('300.1.1.1')).toBe(true); // a legal (numeric) label; the resolver says no later
    expect(stripBrackets('[::1]')).toBe('::1');
  });
});
