import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_LISTEN, formatPath, loadConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'nop-agent-config-'));
let n = 0;
function yamlFile(text: string): string {
  const file = join(dir, `c${n++}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** The one-line error a config produces (and proof that it is one line). */
function errorOf(text: string, env: NodeJS.ProcessEnv = {}): string {
  const file = yamlFile(text);
  try {
    loadConfig({ file, env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message.replace(file, 'FILE');
  }
  throw new Error('config was accepted');
}

describe('loadConfig', () => {
  it('parses a valid file with defaults and durations in ms', () => {
    const file = yamlFile(`
name: edge-1
checks:
  - { id: ping-lo, type: icmp, target: 127.0.0.1, interval: 7500ms }
  - { id: web, type: http, target: "http://127.0.0.1:8080/", timeout: 2s, expectStatus: [200, 204] }
`);
    const settings = loadConfig({ file, env: {} });
    expect(settings.name).toBe('edge-1');
    expect(settings.listen).toBe(DEFAULT_LISTEN);
    expect(settings.backend).toBeUndefined();
    expect(settings.file).toBe(file);
    // no timeout given: half the interval, since the 5 s default would not fit in 7.5 s
    expect(settings.checks[0]).toMatchObject({ id: 'ping-lo', interval: 7500, timeout: 3750, count: 3, size: 56 });
    expect(settings.checks[1]).toMatchObject({ method: 'GET', timeout: 2000, expectStatus: [200, 204] });
  });

  it('lets the environment override the file', () => {
    const file = yamlFile('name: from-file\nlisten: 127.0.0.1:1\n');
    const settings = loadConfig({
      file,
      env: {
        NOP_AGENT_NAME: 'from-env',
        NOP_AGENT_LISTEN: '127.0.0.1:0',
        NOP_BACKEND_URL: 'http://127.0.0.1:8080',
        NOP_AGENT_TOKEN: 'secret',
      },
    });
    expect(settings).toMatchObject({
      name: 'from-env',
      listen: '127.0.0.1:0',
      backend: 'http://127.0.0.1:8080',
      token: 'secret',
    });
  });

  it('needs no file when the environment names a backend and token', () => {
    const settings = loadConfig({ env: { NOP_BACKEND_URL: 'https://nop.example', NOP_AGENT_TOKEN: 't' } });
    expect(settings.checks).toEqual([]);
    expect(settings.name.length).toBeGreaterThan(0);
  });

  it('treats empty variables (as in .env.example) as unset', () => {
    const file = yamlFile('name: a\n');
    expect(loadConfig({ file, env: { NOP_AGENT_TOKEN: '', NOP_BACKEND_URL: '' } }).backend).toBeUndefined();
  });

  it('refuses to start with nothing to do', () => {
    expect(() => loadConfig({ env: {} })).toThrow(
      /nothing to run: give --config FILE, or set NOP_BACKEND_URL and NOP_AGENT_TOKEN/,
    );
  });

  it.each([
    [
      'a bad duration',
      'checks:\n  - { id: a, type: icmp, target: 127.0.0.1, interval: 10x }\n',
      'FILE:2: checks[0].interval: "10x" is not a duration like 500ms, 10s, 1m',
    ],
    [
      'an unknown check type',
      'checks:\n  - { id: a, type: ftp, target: x }\n',
      'FILE:2: checks[0].type: "ftp": must be one of icmp, http, tcp, dns, traceroute, interface',
    ],
    ['a missing target', 'checks:\n  - { id: a, type: tcp }\n', 'FILE:2: checks[0].target: is required'],
    [
      'a tcp target without port',
      'checks:\n  - { id: a, type: tcp, target: "127.0.0.1" }\n',
      'FILE:2: checks[0].target: "127.0.0.1" must be host:port',
    ],
    [
      'an unknown field',
      'checks:\n  - { id: a, type: icmp, target: x, intervall: 5s }\n',
      'FILE:2: checks[0]: unknown field "intervall"',
    ],
    ['an unknown top-level field', 'nmae: x\n', 'FILE:1: (top level): unknown field "nmae"'],
    [
      'a bad check id',
      'checks:\n  - { id: "Bad Id", type: icmp, target: x }\n',
      'FILE:2: checks[0].id: "Bad Id" must be 1-64 chars',
    ],
    [
      'a duplicate id',
      'checks:\n  - { id: a, type: icmp, target: x }\n  - { id: a, type: icmp, target: y }\n',
      'FILE:3: checks[1].id: duplicate id "a" (also checks[0])',
    ],
    ['a backend without token', 'backend: http://127.0.0.1:8080\n', 'FILE:1: token: is required when backend is set'],
    [
      'a bad backend URL',
      'backend: ftp://x\ntoken: t\n',
      'FILE:1: backend: "ftp://x" must be an http(s):// or ws(s):// URL',
    ],
    ['a bad listen address', 'listen: localhost\n', 'FILE:1: listen: "localhost" must be host:port'],
    [
      'a negative count',
      'checks:\n  - { id: a, type: icmp, target: x, count: 0 }\n',
      'FILE:2: checks[0].count: Too small',
    ],
    [
      'a URL as ping target',
      'checks:\n  - { id: a, type: icmp, target: "http://x" }\n',
      'FILE:2: checks[0].target: "http://x" must be a host name or an IP address, not a URL',
    ],
    [
      'a port out of range',
      'checks:\n  - { id: a, type: tcp, target: "127.0.0.1:99999" }\n',
      'FILE:2: checks[0].target: port must be 1-65535 (got "127.0.0.1:99999")',
    ],
    [
      'a bad DNS server',
      'checks:\n  - { id: a, type: dns, target: example.com, server: "1.1.1.1:0" }\n',
      'FILE:2: checks[0].server: port must be 1-65535 (got "1.1.1.1:0")',
    ],
    [
      'a sub-second interval',
      'checks:\n  - { id: a, type: icmp, target: 127.0.0.1, interval: 500ms, timeout: 200ms }\n',
      'FILE:2: checks[0].interval: "500ms" must be at least 1000 ms (1s)',
    ],
    [
      'a timeout longer than the interval',
      'checks:\n  - { id: a, type: icmp, target: 127.0.0.1, interval: 2s, timeout: 3s }\n',
      'FILE:2: checks[0].timeout: "3s" must be shorter than interval (timeout 3000 ms, interval 2000 ms)',
    ],
    ['a list at the top', '- a\n- b\n', 'FILE: the top level must be a mapping'],
    ['broken YAML', 'checks:\n  - id: a\n   type: icmp\n', 'FILE:3: YAML'],
  ])('rejects %s in one line', (_what, text, expected) => {
    expect(errorOf(text)).toContain(expected);
  });

  it('names the variable when the bad value came from the environment', () => {
    expect(errorOf('name: a\n', { NOP_AGENT_LISTEN: 'nope' })).toBe(
      'NOP_AGENT_LISTEN: "nope" must be host:port (port 0-65535; 0 = any free port)',
    );
  });

  it('takes several backend URLs (comma-separated, or a YAML list) and names the variable of a bad entry', () => {
    const env = { NOP_AGENT_TOKEN: 't' };
    expect(loadConfig({ env: { ...env, NOP_BACKEND_URL: 'http://10.0.0.1:8080, https://nop.example' } }).backend).toBe(
      'http://10.0.0.1:8080,https://nop.example',
    );
    const file = yamlFile('backend: [http://a.example:8080, "ws://b.example"]\ntoken: t\n');
    expect(loadConfig({ file, env: {} }).backend).toBe('http://a.example:8080,ws://b.example');
    expect(errorOf('name: a\n', { ...env, NOP_BACKEND_URL: 'http://a:1,ftp://b' })).toBe(
      'NOP_BACKEND_URL: "http://a:1,ftp://b" must be http(s):// or ws(s):// URLs separated by commas ("ftp://b" is not)',
    );
    expect(errorOf('name: a\n', { ...env, NOP_BACKEND_URL: 'http://a:1,,http://b:2' })).toBe(
      'NOP_BACKEND_URL: "http://a:1,,http://b:2" must be http(s):// or ws(s):// URLs separated by commas (entry 2 is empty)',
    );
  });

  it('says how many more problems there are', () => {
    expect(errorOf('checks:\n  - { id: A, type: icmp, target: x, count: 0 }\n')).toMatch(/\(and 1 more problem\)$/);
  });

  it('names a missing file', () => {
    expect(() => loadConfig({ file: join(dir, 'missing.yaml'), env: {} })).toThrow(
      /missing\.yaml: cannot read the file \(no such file\)/,
    );
  });

  it('accepts the example configs in agents/configs', () => {
    const configs = fileURLToPath(new URL('../configs/', import.meta.url));
    const files = readdirSync(configs).filter((name) => name.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files)
      expect(loadConfig({ file: join(configs, name), env: {} }).checks.length).toBeGreaterThan(0);
  });

  it('formats paths like checks[0].interval', () => {
    expect(formatPath(['checks', 0, 'interval'])).toBe('checks[0].interval');
    expect(formatPath([])).toBe('(top level)');
  });
});
