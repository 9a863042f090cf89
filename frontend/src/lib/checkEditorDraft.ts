import {
  CheckSpec,
  DnsCheck,
  HttpCheck,
  IcmpCheck,
  InterfaceCheck,
  Labels,
  SECRET_MASK,
  Selector,
  TcpCheck,
  TracerouteCheck,
  formatSelector,
  parseDuration,
  type Check,
  type CheckType,
} from '@nop/protocol';
import { issuesToCheckErrors } from './checkFieldErrors.ts';
import { suggestCheckId } from './checkId.ts';
import { formatInterval } from './format.ts';

/**
 * The check editor's form state: every setting of every type as the text of its input (so a half
 * typed "1." stays on screen), and the conversions between it and the API's flat check body. The
 * protocol schemas decide what is valid; this only parses numbers and lists and keeps write-only
 * secrets write-only (a stored value is sent back as the mask, which keeps it).
 */
export interface HeaderRow {
  name: string;
  value: string;
  /** the API holds a value it did not show: sent back as the mask unless a new value is typed */
  stored: boolean;
}

export type AssertionKind = 'exists' | 'equals' | 'matches';
export interface AssertionRow {
  path: string;
  kind: AssertionKind;
  value: string;
}

export interface EditorDraft {
  type: CheckType;
  /** '' = made from type and target */
  id: string;
  target: string;
  interval: string;
  timeout: string;
  /** "region=eu, role=edge" */
  labels: string;
  enabled: boolean;
  agentIds: string[];
  selector: string;
  ipVersion: '' | '4' | '6';
  // icmp
  count: string;
  size: string;
  echoInterval: string;
  ttl: string;
  dontFragment: boolean;
  // http
  method: string;
  headers: HeaderRow[];
  body: string;
  bodyStored: boolean;
  expectStatus: string;
  bodyRegex: string;
  jsonAssertions: AssertionRow[];
  maxRedirects: string;
  tlsVerify: boolean;
  basicAuthUser: string;
  basicAuthPassword: string;
  basicAuthStored: boolean;
  // tcp
  tls: boolean;
  serverName: string;
  send: string;
  expect: string;
  // dns
  server: string;
  recordType: string;
  transport: string;
  expectRcode: string;
  expectAnswers: string;
  expectRegex: string;
  // traceroute
  mode: string;
  port: string;
  flows: string;
  maxHops: string;
  probesPerHop: string;
  probeTimeout: string;
  resolveNames: boolean;
  // interface
  sampleWindow: string;
}

/** Each type's defaults, straight from its schema. */
const DEFAULTS = {
  icmp: IcmpCheck.parse({ id: 'x', type: 'icmp', target: 'x' }),
  http: HttpCheck.parse({ id: 'x', type: 'http', target: 'http://x' }),
  tcp: TcpCheck.parse({ id: 'x', type: 'tcp', target: 'x:1' }),
  dns: DnsCheck.parse({ id: 'x', type: 'dns', target: 'x' }),
  traceroute: TracerouteCheck.parse({ id: 'x', type: 'traceroute', target: 'x' }),
  interface: InterfaceCheck.parse({ id: 'x', type: 'interface', target: 'x' }),
};

const text = (value: number | undefined) => (value === undefined ? '' : String(value));
const duration = (ms: number) => formatInterval(ms);

export function emptyDraft(type: CheckType = 'icmp'): EditorDraft {
  const { icmp, http, tcp, dns, traceroute, interface: iface } = DEFAULTS;
  const base = DEFAULTS[type];
  return {
    type,
    id: '',
    target: '',
    interval: duration(base.interval),
    timeout: duration(base.timeout),
    labels: '',
    enabled: true,
    agentIds: [],
    selector: '',
    ipVersion: '',
    count: text(icmp.count),
    size: text(icmp.size),
    echoInterval: duration(icmp.echoInterval),
    ttl: '',
    dontFragment: icmp.dontFragment,
    method: http.method,
    headers: [],
    body: '',
    bodyStored: false,
    expectStatus: '',
    bodyRegex: '',
    jsonAssertions: [],
    maxRedirects: text(http.maxRedirects),
    tlsVerify: http.tlsVerify,
    basicAuthUser: '',
    basicAuthPassword: '',
    basicAuthStored: false,
    tls: tcp.tls,
    serverName: '',
    send: '',
    expect: '',
    server: '',
    recordType: dns.recordType,
    transport: dns.transport,
    expectRcode: dns.expectRcode,
    expectAnswers: '',
    expectRegex: '',
    mode: traceroute.mode,
    port: '',
    flows: text(traceroute.flows),
    maxHops: text(traceroute.maxHops),
    probesPerHop: text(traceroute.probesPerHop),
    probeTimeout: duration(traceroute.probeTimeout),
    resolveNames: traceroute.resolveNames,
    sampleWindow: duration(iface.sampleWindow),
  };
}

/** A new type keeps what was typed; interval and timeout follow the type's defaults if untouched. */
export function changeType(draft: EditorDraft, type: CheckType): EditorDraft {
  const before = DEFAULTS[draft.type];
  const after = DEFAULTS[type];
  return {
    ...draft,
    type,
    interval: draft.interval === duration(before.interval) ? duration(after.interval) : draft.interval,
    timeout: draft.timeout === duration(before.timeout) ? duration(after.timeout) : draft.timeout,
  };
}

/**
 * A new interval; a timeout left at the type's default that would no longer fit (runs must end
 * before the next is due) follows it down to half the interval, so "every 1 s" just works.
 */
export function withInterval(draft: EditorDraft, interval: string): EditorDraft {
  const next = { ...draft, interval };
  const intervalMs = dur(interval);
  const timeoutMs = dur(draft.timeout);
  const isDefault = draft.timeout === duration(DEFAULTS[draft.type].timeout);
  if (typeof intervalMs === 'number' && typeof timeoutMs === 'number' && isDefault && timeoutMs >= intervalMs)
    next.timeout = duration(Math.max(1, Math.floor(intervalMs / 2)));
  return next;
}

/** An `equals` value as typed: JSON literals (42, true, null, "42") or else plain text. */
export function parseEquals(value: string): string | number | boolean | null {
  const trimmed = value.trim();
  if (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null|".*")$/.test(trimmed)) {
    try {
      return JSON.parse(trimmed) as string | number | boolean | null;
    } catch {
      return value;
    }
  }
  return value;
}

/** The reverse: text that parses back to the same value (a string that looks like a literal gets quotes). */
export function formatEquals(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return parseEquals(value) === value ? value : JSON.stringify(value);
}

/** The form state of a check as the API answered it. */
export function checkToDraft(check: Check): EditorDraft {
  const draft = { ...emptyDraft(check.type), type: check.type, id: check.id, target: check.target };
  draft.interval = duration(check.interval);
  draft.timeout = duration(check.timeout);
  draft.labels = formatSelector(check.labels ?? {}).replaceAll(',', ', ');
  draft.enabled = check.enabled;
  draft.agentIds = [...(check.agentIds ?? [])];
  draft.selector = check.selector ?? '';
  if ('ipVersion' in check && check.ipVersion) draft.ipVersion = String(check.ipVersion) as '4' | '6';
  switch (check.type) {
    case 'icmp':
      Object.assign(draft, {
        count: text(check.count),
        size: text(check.size),
        echoInterval: duration(check.echoInterval),
        ttl: text(check.ttl),
        dontFragment: check.dontFragment,
      });
      break;
    case 'http':
      Object.assign(draft, {
        method: check.method,
        headers: Object.entries(check.headers ?? {}).map(([name, value]) =>
          value === SECRET_MASK ? { name, value: '', stored: true } : { name, value, stored: false },
        ),
        body: check.body === undefined || check.body === SECRET_MASK ? '' : check.body,
        bodyStored: check.body === SECRET_MASK,
        expectStatus: (check.expectStatus ?? []).join(', '),
        bodyRegex: check.bodyRegex ?? '',
        jsonAssertions: (check.jsonAssertions ?? []).map((a) =>
          a.matches !== undefined
            ? { path: a.path, kind: 'matches', value: a.matches }
            : a.equals !== undefined
              ? { path: a.path, kind: 'equals', value: formatEquals(a.equals) }
              : { path: a.path, kind: 'exists', value: '' },
        ),
        maxRedirects: text(check.maxRedirects),
        tlsVerify: check.tlsVerify,
        basicAuthUser: check.basicAuth?.username ?? '',
        basicAuthPassword: check.basicAuth && check.basicAuth.password !== SECRET_MASK ? check.basicAuth.password : '',
        basicAuthStored: check.basicAuth?.password === SECRET_MASK,
      } satisfies Partial<EditorDraft>);
      break;
    case 'tcp':
      Object.assign(draft, {
        tls: check.tls,
        tlsVerify: check.tlsVerify,
        serverName: check.serverName ?? '',
        send: check.send ?? '',
        expect: check.expect ?? '',
      });
      break;
    case 'dns':
      Object.assign(draft, {
        server: check.server ?? '',
        recordType: check.recordType,
        transport: check.transport,
        expectRcode: check.expectRcode,
        expectAnswers: (check.expectAnswers ?? []).join('\n'),
        expectRegex: check.expectRegex ?? '',
      });
      break;
    case 'traceroute':
      Object.assign(draft, {
        mode: check.mode,
        port: text(check.port),
        flows: text(check.flows),
        maxHops: text(check.maxHops),
        probesPerHop: text(check.probesPerHop),
        probeTimeout: duration(check.probeTimeout),
        resolveNames: check.resolveNames,
      });
      break;
    case 'interface':
      draft.sampleWindow = duration(check.sampleWindow);
      break;
  }
  return draft;
}

/** Numbers as typed: '' = not set, text that is no number stays text so the schema names the field. */
const num = (value: string): number | string | undefined => {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
};
/** Durations: "10s", "500ms", or bare milliseconds; sent as milliseconds when readable. */
const dur = (value: string): number | string | undefined => {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return parseDuration(trimmed) ?? trimmed;
};
const opt = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
/** Like opt, but the text as written: a regex or a payload may start or end with a space on purpose. */
const raw = (value: string): string | undefined => (value === '' ? undefined : value);
const list = (value: string, split: RegExp): string[] =>
  value
    .split(split)
    .map((s) => s.trim())
    .filter(Boolean);

/** Drops keys whose value is undefined, so the body holds only what is set. */
function compact<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** The id the check gets: the typed one, else made from type and target. */
export const draftId = (draft: EditorDraft): string =>
  draft.id.trim() || (draft.target.trim() ? suggestCheckId(draft.type, draft.target) : '');

/** The type's settings of the draft (no meta), ready for the schema: every set field, nothing else. */
export function draftSpec(draft: EditorDraft): Record<string, unknown> {
  const base = {
    id: draftId(draft),
    type: draft.type,
    target: draft.target.trim(),
    interval: dur(draft.interval),
    timeout: dur(draft.timeout),
  };
  const ipVersion = draft.ipVersion === '' ? undefined : Number(draft.ipVersion);
  switch (draft.type) {
    case 'icmp':
      return compact({
        ...base,
        count: num(draft.count),
        size: num(draft.size),
        echoInterval: dur(draft.echoInterval),
        ttl: num(draft.ttl),
        dontFragment: draft.dontFragment,
        ipVersion,
      });
    case 'http': {
      const headers = Object.fromEntries(
        draft.headers
          .filter((h) => h.name.trim() !== '')
          .map((h) => [h.name.trim(), h.stored && h.value === '' ? SECRET_MASK : h.value]),
      );
      const password = draft.basicAuthStored && draft.basicAuthPassword === '' ? SECRET_MASK : draft.basicAuthPassword;
      const hasAuth = draft.basicAuthUser !== '' || password !== '';
      return compact({
        ...base,
        method: draft.method,
        headers,
        body: draft.bodyStored && draft.body === '' ? SECRET_MASK : raw(draft.body),
        expectStatus: draft.expectStatus.trim()
          ? list(draft.expectStatus, /[\s,]+/).map((s) => (/^\d+$/.test(s) ? Number(s) : s))
          : undefined,
        bodyRegex: raw(draft.bodyRegex),
        jsonAssertions: draft.jsonAssertions.length
          ? draft.jsonAssertions.map((a) =>
              a.kind === 'equals'
                ? { path: a.path.trim(), equals: parseEquals(a.value) }
                : a.kind === 'matches'
                  ? { path: a.path.trim(), matches: a.value }
                  : { path: a.path.trim() },
            )
          : undefined,
        maxRedirects: num(draft.maxRedirects),
        tlsVerify: draft.tlsVerify,
        basicAuth: hasAuth ? { username: draft.basicAuthUser, password } : undefined,
        ipVersion,
      });
    }
    case 'tcp':
      return compact({
        ...base,
        tls: draft.tls,
        tlsVerify: draft.tlsVerify,
        serverName: draft.tls ? opt(draft.serverName) : undefined,
        send: raw(draft.send),
        expect: raw(draft.expect),
        ipVersion,
      });
    case 'dns':
      return compact({
        ...base,
        server: opt(draft.server),
        recordType: draft.recordType,
        transport: draft.transport,
        expectRcode: draft.expectRcode,
        expectAnswers: draft.expectAnswers.trim() ? list(draft.expectAnswers, /\n+/) : undefined,
        expectRegex: raw(draft.expectRegex),
      });
    case 'traceroute':
      return compact({
        ...base,
        mode: draft.mode,
        port: num(draft.port),
        flows: num(draft.flows),
        maxHops: num(draft.maxHops),
        probesPerHop: num(draft.probesPerHop),
        probeTimeout: dur(draft.probeTimeout),
        resolveNames: draft.resolveNames,
        ipVersion,
      });
    case 'interface':
      return compact({ ...base, sampleWindow: dur(draft.sampleWindow) });
  }
}

/** "region=eu, role=edge" (commas or new lines) as a label map, or why not. */
export function parseLabels(textValue: string): { labels: Record<string, string> } | { error: string } {
  const labels: Record<string, string> = {};
  for (const term of list(textValue, /[,\n]+/)) {
    const match = /^([^=\s]+)\s*=\s*(\S*)$/.exec(term);
    if (!match) return { error: `"${term.slice(0, 60)}" is not a label like region=eu` };
    labels[match[1]!] = match[2]!;
  }
  const parsed = Labels.safeParse(labels);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const deeper = 'issues' in issue && Array.isArray(issue.issues) ? issue.issues[0] : undefined;
    return { error: (deeper as { message?: string } | undefined)?.message ?? issue.message };
  }
  return { labels };
}

export type Mode = 'create' | 'edit';

export interface Validated {
  /** the request body when the draft is valid */
  body: Record<string, unknown> | null;
  errors: Record<string, string>;
}

/**
 * The draft checked with the protocol's schemas and turned into the API's flat body: the spec,
 * then labels, enabled, agentIds, selector. On create the id is sent only when typed (the server
 * makes the same one from type and target otherwise); on edit the id is the check's own and
 * settings of `original` left empty are sent as null (PATCH removes them).
 */
export function validateDraft(draft: EditorDraft, mode: Mode, original?: Check): Validated {
  const errors: Record<string, string> = {};
  const spec = draftSpec(draft);
  if (!draft.target.trim()) errors.target = 'Enter a target.';
  const parsed = CheckSpec.safeParse(spec);
  if (!parsed.success) for (const [k, v] of Object.entries(issuesToCheckErrors(parsed.error.issues))) errors[k] ??= v;
  const labels = parseLabels(draft.labels);
  if ('error' in labels) errors.labels = labels.error;
  const selector = Selector.safeParse(draft.selector);
  if (!selector.success) errors.selector = selector.error.issues[0]!.message;
  if (Object.keys(errors).length > 0) return { body: null, errors };

  const { id, type, ...settings } = spec;
  const meta = {
    labels: 'labels' in labels ? labels.labels : {},
    enabled: draft.enabled,
    agentIds: draft.agentIds,
    selector: draft.selector.trim(),
  };
  if (mode === 'create') return { body: { ...(draft.id.trim() ? { id } : {}), type, ...settings, ...meta }, errors };
  // PATCH keeps what is not sent: a setting cleared in the form goes as null, which removes it
  const cleared = Object.keys(original ?? {}).filter((key) => !NOT_SPEC.has(key) && !(key in spec));
  return { body: { type, ...settings, ...meta, ...Object.fromEntries(cleared.map((key) => [key, null])) }, errors };
}

/** Fields of an answered check that are not settings of its spec. */
const NOT_SPEC = new Set([
  'id',
  'labels',
  'enabled',
  'agentIds',
  'selector',
  'agents',
  'ownerId',
  'version',
  'createdAt',
  'updatedAt',
]);
