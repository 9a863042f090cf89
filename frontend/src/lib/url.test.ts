import { describe, expect, it } from 'vitest';
import { apiUrl, normalizeBase, socketUrl } from './url.ts';

describe('apiUrl', () => {
  it('keeps same-origin paths relative when no base is set', () => {
    expect(apiUrl('', '/api/v1/agents')).toBe('/api/v1/agents');
    expect(apiUrl(undefined, 'api/v1/agents')).toBe('/api/v1/agents');
  });

  it('joins a base without doubling slashes', () => {
    expect(apiUrl('https://nop.example.com/', '/api/v1/agents')).toBe('https://nop.example.com/api/v1/agents');
    expect(normalizeBase(' https://x.io// ')).toBe('https://x.io');
  });

  it('encodes query values and skips empty ones', () => {
    const url = apiUrl('', '/api/v1/metrics', {
      agent_id: 'a1',
      check_id: 'http-example.com/x y',
      from: '2026-01-01T00:00:00.000Z',
      to: undefined,
      step: null,
      metric: '',
    });
    expect(url).toBe('/api/v1/metrics?agent_id=a1&check_id=http-example.com%2Fx+y&from=2026-01-01T00%3A00%3A00.000Z');
  });
});

describe('socketUrl', () => {
  it('follows the page origin and scheme when same-origin', () => {
    expect(socketUrl('', { protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/ws/stream');
    expect(socketUrl('', { protocol: 'https:', host: 'nop.example.com' })).toBe('wss://nop.example.com/ws/stream');
  });

  it('derives ws/wss from VITE_API_URL when set', () => {
    const page = { protocol: 'http:', host: 'localhost:5173' };
    expect(socketUrl('https://api.example.com', page)).toBe('wss://api.example.com/ws/stream');
    expect(socketUrl('http://10.0.0.5:8080/', page)).toBe('ws://10.0.0.5:8080/ws/stream');
  });
});
