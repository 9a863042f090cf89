import { SECRET_MASK, type Check } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import {
  changeType,
  checkToDraft,
  draftSpec,
  emptyDraft,
  formatEquals,
  parseEquals,
  parseLabels,
  validateDraft,
  withInterval,
  type EditorDraft,
} from './checkEditorDraft.ts';

const AGENT = '00000000-0000-4000-8000-000000000001';
const meta = {
  labels: { team: 'net' },
  enabled: false,
  agentIds: [AGENT],
  selector: 'region=eu',
  agents: [],
  ownerId: null,
  version: 3,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('the editor draft', () => {
  it('starts from the schema’s defaults and follows the type’s interval when untouched', () => {
    const draft = emptyDraft('icmp');
    expect(draft).toMatchObject({ interval: '10s', timeout: '5s', count: '3', size: '56', echoInterval: '100ms' });
    expect(changeType(draft, 'traceroute')).toMatchObject({ type: 'traceroute', interval: '1m', timeout: '30s' });
    expect(changeType({ ...draft, interval: '2s' }, 'traceroute').interval).toBe('2s');
  });

  it('builds a create body with numbers, durations and meta, the id only when typed', () => {
    const draft: EditorDraft = {
      ...emptyDraft('icmp'),
      target: '127.0.0.1',
      interval: '1s',
      timeout: '500ms',
      ttl: '64',
      labels: 'region=test, role=edge',
      selector: ' region=test ',
    };
    const { body, errors } = validateDraft(draft, 'create');
    expect(errors).toEqual({});
    expect(body).toEqual({
      type: 'icmp',
      target: '127.0.0.1',
      interval: 1000,
      timeout: 500,
      count: 3,
      size: 56,
      echoInterval: 100,
      ttl: 64,
      dontFragment: false,
      labels: { region: 'test', role: 'edge' },
      enabled: true,
      agentIds: [],
      selector: 'region=test',
    });
    expect(validateDraft({ ...draft, id: 'my-ping' }, 'create').body).toMatchObject({ id: 'my-ping' });
    expect(validateDraft({ ...draft, id: 'my-ping' }, 'edit').body).not.toHaveProperty('id');
  });

  it('shows schema errors on their fields, before sending anything', () => {
    const { body, errors } = validateDraft(
      {
        ...emptyDraft('tcp'),
        target: 'no-port',
        interval: 'soon',
        labels: 'Bad=x',
        selector: 'region',
      },
      'create',
    );
    expect(body).toBeNull();
    expect(errors.target).toMatch(/^Must be host:port/);
    expect(errors.interval).toMatch(/not a duration/);
    expect(errors.labels).toMatch(/a-z/);
    expect(errors.selector).toMatch(/not a term like region=eu/);
    expect(validateDraft(emptyDraft('dns'), 'create').errors.target).toBe('Enter a target.');
    expect(validateDraft({ ...emptyDraft('icmp'), target: 'x', count: 'many' }, 'create').errors.count).toBeDefined();
  });

  it('round-trips every HTTP setting, keeping write-only secrets as the mask', () => {
    const check = {
      id: 'http-api',
      type: 'http',
      target: 'https://api.example.com/health',
      interval: 30_000,
      timeout: 5000,
      method: 'POST',
      headers: { Authorization: SECRET_MASK, Accept: SECRET_MASK },
      body: SECRET_MASK,
      expectStatus: [200, '3xx'],
      bodyRegex: 'ok',
      jsonAssertions: [
        { path: 'status' },
        { path: 'n', equals: 1 },
        { path: 's', equals: '42' },
        { path: 'v', matches: '^1' },
      ],
      maxRedirects: 0,
      tlsVerify: false,
      basicAuth: { username: 'me', password: SECRET_MASK },
      ipVersion: 6,
      ...meta,
    } as Check;
    const draft = checkToDraft(check);
    expect(draft.headers).toEqual([
      { name: 'Authorization', value: '', stored: true },
      { name: 'Accept', value: '', stored: true },
    ]);
    expect(draft).toMatchObject({ bodyStored: true, body: '', basicAuthStored: true, expectStatus: '200, 3xx' });
    expect(draft.labels).toBe('team=net');
    // one header replaced: the other still goes back masked
    draft.headers[1] = { name: 'Accept', value: 'application/json', stored: false };
    const { body, errors } = validateDraft(draft, 'edit');
    expect(errors).toEqual({});
    const {
      labels: _l,
      enabled: _e,
      agentIds: _a,
      selector: _s,
      agents: _ag,
      ownerId: _o,
      version: _v,
      createdAt: _c,
      updatedAt: _u,
      id: _id,
      ...spec
    } = check as Check & Record<string, unknown>;
    expect(body).toEqual({
      ...spec,
      headers: { Authorization: SECRET_MASK, Accept: 'application/json' },
      labels: { team: 'net' },
      enabled: false,
      agentIds: [AGENT],
      selector: 'region=eu',
    });
  });

  it('round-trips DNS, TCP, traceroute and interface settings', () => {
    const checks = [
      {
        id: 'd',
        type: 'dns',
        target: 'example.com',
        interval: 10_000,
        timeout: 5000,
        recordType: 'MX',
        server: '1.1.1.1:53',
        transport: 'tcp',
        expectRcode: 'NXDOMAIN',
        expectAnswers: ['a', 'b'],
        expectRegex: 'x',
      },
      {
        id: 't',
        type: 'tcp',
        target: 'db:5432',
        interval: 10_000,
        timeout: 5000,
        tls: true,
        tlsVerify: false,
        serverName: 'db.example',
        send: 'PING\r\n',
        expect: '^\\+PONG',
      },
      {
        id: 'r',
        type: 'traceroute',
        target: '8.8.8.8',
        interval: 60_000,
        timeout: 30_000,
        mode: 'tcp',
        port: 443,
        maxHops: 20,
        probesPerHop: 2,
        flows: 4,
        probeTimeout: 500,
        resolveNames: true,
      },
      { id: 'i', type: 'interface', target: 'eth0', interval: 10_000, timeout: 5000, sampleWindow: 2000 },
    ];
    for (const spec of checks) {
      const { id: _id, ...rest } = spec;
      expect(draftSpec(checkToDraft({ ...spec, ...meta } as Check))).toEqual(spec);
      expect(validateDraft(checkToDraft({ ...spec, ...meta } as Check), 'edit').body).toMatchObject(rest);
    }
  });

  it('removes settings cleared while editing (PATCH keeps what is not sent)', () => {
    const check = {
      id: 'h',
      type: 'http',
      target: 'https://a.example',
      interval: 10_000,
      timeout: 5000,
      method: 'GET',
      headers: {},
      bodyRegex: 'ok',
      maxRedirects: 5,
      tlsVerify: true,
      basicAuth: { username: 'u', password: SECRET_MASK },
      ...meta,
    } as Check;
    const draft = { ...checkToDraft(check), bodyRegex: '', basicAuthUser: '', basicAuthStored: false };
    const { body } = validateDraft(draft, 'edit', check);
    expect(body).toMatchObject({ bodyRegex: null, basicAuth: null, selector: 'region=eu' });
    expect(body).not.toHaveProperty('agents');
    expect(body).not.toHaveProperty('version');
  });

  it('lets an untouched timeout follow a shorter interval', () => {
    expect(withInterval(emptyDraft('icmp'), '1s')).toMatchObject({ interval: '1s', timeout: '500ms' });
    expect(withInterval({ ...emptyDraft('icmp'), timeout: '9s' }, '1s').timeout).toBe('9s');
    expect(withInterval(emptyDraft('icmp'), '1m').timeout).toBe('5s');
    expect(withInterval(emptyDraft('icmp'), 'soon').timeout).toBe('5s');
  });

  it('tells JSON literals from text in equals', () => {
    expect(parseEquals('42')).toBe(42);
    expect(parseEquals('true')).toBe(true);
    expect(parseEquals('null')).toBeNull();
    expect(parseEquals('"42"')).toBe('42');
    expect(parseEquals('up')).toBe('up');
    for (const v of ['42', 'up', true, 0, null, '"q"']) expect(parseEquals(formatEquals(v))).toEqual(v);
  });

  it('parses labels like a selector, by commas or lines', () => {
    expect(parseLabels('a=1,\nb = 2')).toEqual({ labels: { a: '1', b: '2' } });
    expect(parseLabels('')).toEqual({ labels: {} });
    expect(parseLabels('novalue')).toEqual({ error: '"novalue" is not a label like region=eu' });
  });
});
