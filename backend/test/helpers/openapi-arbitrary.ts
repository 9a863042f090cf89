/**
 * fast-check arbitraries for requests to every operation of an OpenAPI 3.1 document (the committed
 * docs/openapi.json). Nothing here knows a route by name: operations, path and query parameters,
 * bodies (JSON Schema components, $ref resolved) and who may call what (x-nop-roles) all come from
 * the document, so a new route is fuzzed as soon as it is documented.
 *
 * A generated request is a recipe, not bytes: it can point at things the run has seen (the id of
 * a resource an earlier 201 or list returned, a token, an email the server accepted) by position
 * in a pool ({@link Observed}), and at a credential by role. {@link toInjectRequest} resolves those
 * against the live {@link Observations} when the request is sent. So generation stays a pure
 * function of the seed (replayable, shrinkable) while requests keep reaching resources that exist.
 */
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------
// The document

export type JsonSchema = Record<string, any>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, any>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

export interface Operation {
  /** `GET /api/v1/users/{id}`, as in the document */
  key: string;
  method: string;
  path: string;
  /** x-nop-roles: `anyone`, `agent` or role names */
  roles: string[];
  pathParams: Parameter[];
  queryParams: Parameter[];
  body?: { schema: JsonSchema; required: boolean };
  /** the path up to its first parameter: where ids for this operation's `{id}` come from */
  collection: string;
  /** relative share of the generated requests */
  weight: number;
  /** the 2xx statuses the document lists */
  successes: number[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** A schema with its `$ref`s followed (components only, which is all the document uses). */
export function deref(doc: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema {
  let current = schema ?? {};
  for (let hops = 0; typeof current.$ref === 'string' && hops < 32; hops++) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(current.$ref)?.[1];
    const target = name === undefined ? undefined : doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolvable $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

/** Does the schema (or anything under it) have a property whose name says password? */
function mentionsPassword(doc: OpenApiDocument, schema: JsonSchema, depth = 0): boolean {
  if (depth > 6) return false;
  const s = deref(doc, schema);
  return (
    Object.keys(s.properties ?? {}).some((key) => /password/i.test(key)) ||
    [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...Object.values(s.properties ?? {})].some((sub: JsonSchema) =>
      mentionsPassword(doc, sub, depth + 1),
    )
  );
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method) || typeof op !== 'object' || op === null) continue;
      // path-level parameters, overridden by operation-level ones of the same name and place
      const params = new Map<string, Parameter>();
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = raw.$ref ? deref(doc, raw) : raw;
        params.set(`${p.in}:${p.name}`, {
          name: p.name,
          in: p.in,
          required: !!p.required,
          schema: deref(doc, p.schema),
          description: p.description,
        });
      }
      const content = op.requestBody?.content ?? {};
      const media = content['application/json'] ?? Object.values(content)[0];
      const body = media ? { schema: media.schema ?? {}, required: !!op.requestBody.required } : undefined;
      const firstParam = path.indexOf('/{');
      const roles: string[] = Array.isArray(op['x-nop-roles']) ? op['x-nop-roles'] : ['anyone'];
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        roles,
        pathParams: [...params.values()].filter((p) => p.in === 'path'),
        queryParams: [...params.values()].filter((p) => p.in === 'query'),
        body,
        collection: firstParam === -1 ? path : path.slice(0, firstParam),
        // A well-formed body with a password costs the server an argon2 hash (about 20 ms): those
        // routes get half the share, so a run of thousands of requests stays fast.
        weight: body && mentionsPassword(doc, body.schema) ? 5 : 10,
        successes: Object.keys(op.responses ?? {})
          .map(Number)
          .filter((status) => status >= 200 && status < 300),
      });
    }
  }
  return operations;
}

// ---------------------------------------------------------------------------------------------
// Values the run has seen

/**
 * Text sent as it is: in a JSON body, spliced in literally (numbers JSON.stringify cannot write,
 * like 1e400 or 400 digits, and deep nesting); as a query value, already percent-encoded.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * "The pick-th value seen under one of these names" (a property name, normalised), resolved when
 * the request is sent; `fallback` while nothing has been seen yet.
 */
export class Observed {
  constructor(
    readonly names: readonly string[],
    readonly pick: number,
    readonly fallback: unknown,
    /** only values the schema's format or pattern accepts (a uuid for a uuid) */
    readonly accept?: (value: unknown) => boolean,
  ) {}
}

/**
 * "An object the server accepted earlier, cut down to these keys" (the email and password of a
 * user some POST created, for a login body), or `fallback` when no accepted object has them all.
 */
export class ObservedObject {
  constructor(
    readonly keys: readonly string[],
    readonly required: readonly string[],
    readonly pick: number,
    readonly fallback: unknown,
  ) {}
}

/**
 * "A value seen under one of these names, slightly wrong": an opaque string that is base64url JSON
 * (a paging cursor) is decoded, mutated and encoded again, so its shape passes and its content
 * does not; any other string gets a character inserted.
 */
export class ObservedMutant {
  constructor(
    readonly names: readonly string[],
    readonly pick: number,
    readonly mutation: Mutation,
  ) {}
}

/** `agentId`, `agent_id` and `AgentID` are one name. */
export const normaliseName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
/** The last word of a name: `currentPassword` → `password`, `check_id` → `id`. */
const lastWord = (name: string) =>
  normaliseName(
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .pop() ?? name,
  );

const POOL_SIZE = 64;
const ID_POOL_SIZE = 256;
/** the first values of a pool stay (what the run was seeded with); later ones rotate */
const KEPT = 4;

function remember<T>(pool: T[], value: T, size: number) {
  if (pool.includes(value)) return;
  pool.push(value);
  if (pool.length > size) pool.splice(KEPT, 1);
}

/** What the run has seen: ids by collection, values by property name, accepted request objects. */
export class Observations {
  readonly ids = new Map<string, string[]>();
  readonly values = new Map<string, unknown[]>();
  readonly objects: Record<string, unknown>[] = [];
  /**
   * The collection of the operation being resolved: values seen in its own answers come first for
   * even picks (a list's `nextCursor` for that list's `cursor`).
   */
  scope: string | undefined;

  addId(collection: string, id: string) {
    for (const key of [collection, '*']) {
      const pool = this.ids.get(key) ?? [];
      remember(pool, id, ID_POOL_SIZE);
      this.ids.set(key, pool);
    }
  }

  addValue(name: string, value: unknown, scope?: string) {
    if (typeof value === 'string' && value.length > 600) return;
    const key = normaliseName(name);
    if (!key) return;
    for (const k of scope ? [key, `${scope}#${key}`] : [key]) {
      const pool = this.values.get(k) ?? [];
      remember(pool, value, POOL_SIZE);
      this.values.set(k, pool);
    }
  }

  /** An object with string fields the server took (and the values in it, by name). */
  addObject(object: Record<string, unknown>) {
    if (this.objects.length >= POOL_SIZE) this.objects.splice(KEPT, 1);
    this.objects.push(object);
    for (const [key, value] of Object.entries(object)) if (typeof value === 'string') this.addValue(key, value);
  }

  /** Ids of `collection` (or of anything, for `*`), the pick-th modulo their number. */
  id(collection: string, pick: number): string | undefined {
    const pool = this.ids.get(collection);
    return pool?.length ? pool[pick % pool.length] : undefined;
  }

  value(names: readonly string[], pick: number, accept?: (value: unknown) => boolean): unknown {
    const keys = names.map(normaliseName);
    const scoped = this.scope && pick % 2 === 0 ? keys.map((key) => `${this.scope}#${key}`) : [];
    for (const key of [...scoped, ...keys]) {
      const pool = accept ? this.values.get(key)?.filter(accept) : this.values.get(key);
      if (pool?.length) return pool[Math.floor(pick / 2) % pool.length];
    }
    return undefined;
  }

  /** The pick-th accepted object that has every required key, cut to `keys`. */
  object(keys: readonly string[], required: readonly string[], pick: number): Record<string, unknown> | undefined {
    const fits = this.objects.filter((o) => required.every((k) => o[k] !== undefined));
    if (!fits.length) return undefined;
    const chosen = fits[pick % fits.length]!;
    return Object.fromEntries(keys.filter((k) => chosen[k] !== undefined).map((k) => [k, chosen[k]]));
  }

  /** Every id (objects with a string `id`) and every scalar by its property name, from a 2xx body. */
  recordResponse(op: Operation, body: unknown) {
    const walk = (node: unknown, key: string | undefined, depth: number) => {
      if (depth > 12 || node === null || node === undefined) return;
      if (Array.isArray(node)) return node.slice(0, 200).forEach((item) => walk(item, key, depth + 1));
      if (typeof node === 'object') {
        const id = (node as { id?: unknown }).id;
        if (typeof id === 'string') this.addId(op.collection, id);
        for (const [k, v] of Object.entries(node)) walk(v, k, depth + 1);
        return;
      }
      if (key !== undefined && (typeof node === 'string' || typeof node === 'number')) {
        this.addValue(key, node, op.collection);
        // `nextCursor` is what a `cursor` parameter takes
        if (lastWord(key) !== normaliseName(key)) this.addValue(lastWord(key), node, op.collection);
      }
    };
    walk(body, undefined, 0);
  }

  /** A request body the server accepted: its objects of strings (a password that now works, a taken email). */
  recordAccepted(body: unknown) {
    const walk = (node: unknown, depth: number) => {
      if (depth > 6 || node === null || typeof node !== 'object' || node instanceof RawJson) return;
      if (Array.isArray(node)) return node.slice(0, 20).forEach((item) => walk(item, depth + 1));
      const strings = Object.entries(node).filter(([, v]) => typeof v === 'string');
      if (strings.length) this.addObject(Object.fromEntries(strings));
      for (const value of Object.values(node)) walk(value, depth + 1);
    };
    walk(body, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Valid values from JSON Schema

/** Strings that trip parsers of dates, numbers and durations, for strings the schema leaves open. */
const TRICKY_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1',
  '1.5',
  '1e3',
  '1e14',
  '1e308',
  '1e400',
  '-1e400',
  '9'.repeat(400),
  '-' + '9'.repeat(40),
  'NaN',
  'Infinity',
  '-Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '0x1F',
  '0s',
  '1s',
  '10s',
  '1m',
  '2h',
  '500ms',
  '1d',
  '366d',
  '367d',
  '-5m',
  '1.5s',
  '99999999999999999999d',
  '1e400s',
  's',
  '2024-01-01T00:00:00Z',
  '2024-01-01T00:00:00.000+14:00',
  '2024-02-30T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '10000-01-01',
  '2024-13-45',
  '0',
  '253402300799',
  '253402300800',
  '-62135596800',
  '9223372036854775807',
  '9223372036854775808',
  '9999999999999999999',
  '8640000000000',
  '8640000000001',
  'now',
  'now-1h',
  "' OR '1'='1",
  '%',
  '\\',
  '../../etc/passwd',
  '*',
  '_',
  '.',
  'é',
  '😀',
  '\u202e',
  '\ufeff',
];

const ISO_DATE = fc
  .date({ min: new Date(-62135596800000), max: new Date(253402300799000), noInvalidDate: true })
  .map((d) => d.toISOString());
const DURATION = fc
  .tuple(fc.integer({ min: -10, max: 1e7 }), fc.constantFrom('ms', 's', 'm', 'h', 'd', 'w', 'y', '', 'x'))
  .map(([n, unit]) => `${n}${unit}`);
/** times and durations a client would send: this century, seconds to days */
const PLAUSIBLE_DATE = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const PLAUSIBLE_DURATION = fc
  .tuple(fc.integer({ min: 1, max: 90 }), fc.constantFrom('s', 'm', 'h', 'd', ''))
  .map(([n, unit]) => `${n}${unit}`);
const EPOCH = fc.oneof(fc.integer({ min: -1e11, max: 1e13 }), fc.double({ noNaN: true })).map(String);

/** Strings for a schema that says little (type string, maybe a description): the description hints. */
function openStringArb(schema: JsonSchema, description = '') {
  const text = `${schema.description ?? ''} ${description}`;
  const hinted: fc.WeightedArbitrary<string>[] = [];
  // identifiers the description names (latency_ms, agent.update) are likely values
  const literals = [
    ...new Set([
      ...(text.match(/\b[a-z][a-z0-9]*(?:[._-][a-z0-9]+)+\b/g) ?? []),
      ...[...text.matchAll(/["`]([^"`\s]{1,40})["`]/g)].map((m) => m[1]!),
    ]),
  ];
  if (literals.length) hinted.push({ weight: 12, arbitrary: fc.constantFrom(...literals) });
  if (/\b(iso|epoch|date|time)\b/i.test(text))
    hinted.push(
      { weight: 8, arbitrary: PLAUSIBLE_DATE },
      { weight: 4, arbitrary: ISO_DATE },
      { weight: 2, arbitrary: PLAUSIBLE_DATE.map((iso) => String(Math.floor(Date.parse(iso) / 1000))) },
      { weight: 2, arbitrary: EPOCH },
    );
  if (/\b(duration|seconds?|step|interval)\b/i.test(text))
    hinted.push({ weight: 8, arbitrary: PLAUSIBLE_DURATION }, { weight: 4, arbitrary: DURATION });
  return fc.oneof(
    ...hinted,
    { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
    { weight: 3, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
  );
}

/** A string of exactly n UTF-16 code units: ASCII, accented letters or astral emoji. */
const exactLength = (n: number) =>
  fc
    .constantFrom('a', 'é', '😀')
    .map((unit) => (unit.length === 2 ? unit.repeat(Math.floor(n / 2)) + (n % 2 ? 'a' : '') : unit.repeat(n)));

const WEIRD_URIS = [
  'http://example.com',
  'https://example.com/path?q=1#f',
  'http://127.0.0.1:0/',
  'http://[::1]:65535/',
  'http://169.254.169.254/latest/meta-data/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'ftp://example.com/',
  'http://',
  'http://exa mple.com/',
  'http://example.com:99999/',
  'https://' + 'a'.repeat(300) + '.com/',
  'http://xn--e1afmkfd.xn--p1ai/',
  'mailto:a@b.c',
];

export interface GenerationOptions {
  /** share (0..1) of open strings taken from values seen under the same name */
  observedShare?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function stringArb(doc: OpenApiDocument, schema: JsonSchema, name: string | undefined, description?: string) {
  const min: number = schema.minLength ?? 0;
  const max: number = schema.maxLength ?? Math.max(min, 64);
  let core: fc.Arbitrary<string>;
  if (schema.format === 'uuid') core = fc.uuid();
  else if (schema.format === 'email')
    core = fc.oneof(
      { weight: 3, arbitrary: schema.pattern ? fc.stringMatching(new RegExp(schema.pattern)) : fc.emailAddress() },
      { weight: 1, arbitrary: fc.emailAddress() },
    );
  else if (schema.format === 'uri')
    core = fc.oneof({ weight: 3, arbitrary: fc.webUrl() }, { weight: 1, arbitrary: fc.constantFrom(...WEIRD_URIS) });
  else if (schema.format === 'date-time') core = ISO_DATE;
  else if (schema.pattern)
    // short matches too: `^[0-9]{1,6}$` is mostly a page size when it has one digit or two
    core = fc.oneof(
      fc.stringMatching(new RegExp(schema.pattern)),
      fc.stringMatching(new RegExp(schema.pattern), { size: 'xsmall' }),
    );
  else if (schema.minLength !== undefined || schema.maxLength !== undefined)
    core = fc.oneof(
      { weight: 8, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, min + 24) }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, min + 12) }) },
      // the boundaries: exactly the longest and the shortest allowed
      { weight: 1, arbitrary: fc.constantFrom(max, min).chain(exactLength) },
    );
  else core = openStringArb(schema, description);
  if (!name) return core;
  // Seen values for this name, then for its last word (`currentPassword` → `password`), then ids
  // for uuids: they reach the handler's "exists / conflicts / wrong owner" branches.
  const names = [name, lastWord(name), ...(schema.format === 'uuid' ? ['id'] : [])];
  const format = schema.format === 'uuid' ? UUID : schema.pattern ? new RegExp(schema.pattern) : undefined;
  const accept = format ? (v: unknown) => typeof v === 'string' && format.test(v) : undefined;
  const observed = fc
    .tuple(fc.nat(), core)
    .map(([pick, fallback]) => new Observed(names, pick, fallback, accept) as unknown);
  return fc.oneof({ weight: 7, arbitrary: core as fc.Arbitrary<unknown> }, { weight: 3, arbitrary: observed });
}

function numberArb(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo: number | undefined = schema.minimum ?? schema.exclusiveMinimum;
  const hi: number | undefined = schema.maximum ?? schema.exclusiveMaximum;
  const min = lo ?? -1e9;
  const max = hi ?? 1e9;
  const inside = integer
    ? fc.integer({ min: Math.ceil(min + (schema.exclusiveMinimum !== undefined ? 1 : 0)), max: Math.floor(max) })
    : fc.double({
        min,
        max,
        minExcluded: schema.exclusiveMinimum !== undefined,
        maxExcluded: schema.exclusiveMaximum !== undefined,
        noNaN: true,
        noDefaultInfinity: true,
      });
  const edges = [lo, hi].filter((v): v is number => v !== undefined);
  return fc.oneof(
    { weight: 6, arbitrary: inside },
    // the edges themselves and just past them
    {
      weight: 2,
      arbitrary: fc.constantFrom(...edges.flatMap((e) => [e, e - 1, e + 1]), 0, -1, integer ? 1 : 0.5),
    },
  );
}

/** Values the schema accepts (mostly: boundaries and seen values may fall just outside). */
export function validValue(
  doc: OpenApiDocument,
  raw: JsonSchema | undefined,
  name?: string,
  depth = 0,
  description?: string,
): fc.Arbitrary<unknown> {
  const schema = deref(doc, raw);
  if (depth > 10) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const branches = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(branches))
    return fc.oneof(...branches.map((b: JsonSchema) => validValue(doc, b, name, depth + 1, description)));
  if (Array.isArray(schema.type))
    return fc.oneof(
      ...schema.type.map((t: string) => validValue(doc, { ...schema, type: t }, name, depth + 1, description)),
    );
  switch (schema.type) {
    case 'string':
      return stringArb(doc, schema, name, description);
    case 'integer':
      return numberArb(schema, true);
    case 'number':
      return numberArb(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = validValue(doc, schema.items, name, depth + 1);
      const min: number = schema.minItems ?? 0;
      return fc.oneof(
        { weight: 2, arbitrary: fc.array(items, { minLength: min, maxLength: Math.max(min, 1) }) },
        {
          weight: 1,
          arbitrary: fc.array(items, { minLength: min, maxLength: Math.max(min, Math.min(schema.maxItems ?? 4, 4)) }),
        },
      );
    }
    case 'object':
    case undefined: {
      if (schema.type === undefined && !schema.properties && !schema.additionalProperties)
        return fc.jsonValue({ maxDepth: 2 });
      const properties: Record<string, JsonSchema> = schema.properties ?? {};
      const model = Object.fromEntries(
        Object.entries(properties).map(([key, sub]) => [key, validValue(doc, sub, key, depth + 1)]),
      );
      const required: string[] = (schema.required ?? []).filter((key: string) => key in properties);
      let record: fc.Arbitrary<unknown> = fc.record(model, { requiredKeys: required });
      // an object of several strings: sometimes one the server took before, cut to these keys
      // (the email and password some sign-up used make a login that works)
      const strings = Object.keys(properties).filter((key) => deref(doc, properties[key]).type === 'string');
      const requiredStrings = required.filter((key) => strings.includes(key));
      if (requiredStrings.length >= 2)
        record = fc.oneof(
          { weight: 4, arbitrary: record },
          {
            weight: 1,
            arbitrary: fc
              .tuple(fc.nat(), record)
              .map(([pick, fallback]) => new ObservedObject(strings, requiredStrings, pick, fallback)),
          },
        );
      const extra = schema.additionalProperties;
      if (!extra || extra === true) return record;
      const keys = schema.propertyNames
        ? (validValue(doc, { ...schema.propertyNames }, undefined, depth + 1) as fc.Arbitrary<string>)
        : fc.string({ maxLength: 16 });
      return fc
        .tuple(record, fc.dictionary(keys, validValue(doc, extra, undefined, depth + 1), { maxKeys: 3 }))
        .map(([known, more]) => (known instanceof ObservedObject ? known : { ...more, ...(known as object) }));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations: what a client gets wrong, or tries on purpose

const NASTY_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\u0000'.repeat(8),
  '\ud800',
  'x\udc00y',
  '\udfff\ud800',
  '😀\ud83d',
  '\ufffe',
  '\uffff',
  '\u202e\u0301',
  '\r\n',
  '\t',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  '${7*7}{{7*7}}',
  '%00',
  '%s%n',
];

const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  // a NUL or a lone surrogate somewhere in an otherwise ordinary string
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 12 }), fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00'), fc.nat())
      .map(([s, c, at]) => s.slice(0, at % (s.length + 1)) + c + s.slice(at % (s.length + 1))),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  // long: 100 to 5000 characters (some of them multi-byte)
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 100, max: 5000 }), fc.constantFrom('a', 'é', '😀', '\u0000'))
      .map(([n, c]) => c.repeat(n)),
  },
);

const HUGE_NUMBERS = [
  '1e400',
  '-1e400',
  '1e-400',
  '1' + '0'.repeat(400),
  '-' + '9'.repeat(400),
  '1e14',
  '100000000000000',
  '9007199254740993',
  '-9007199254740993',
  '1.7976931348623157e308',
  '5e-324',
  '-0',
  '0.0000000000000000000001',
  '2147483648',
  '-2147483649',
];

/** A value of any type, chosen to be wrong wherever it lands. */
const mutantValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, '', [], {}, 'x', [null], { '': 0 }) },
  { weight: 4, arbitrary: nastyString },
  { weight: 3, arbitrary: fc.constantFrom(...HUGE_NUMBERS).map((text) => new RawJson(text)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 2, max: 3000 }), fc.boolean())
      .map(([depth, arrays]) =>
        arrays
          ? new RawJson('['.repeat(depth) + ']'.repeat(depth))
          : new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
      ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 2000 }).map((n) => new Array(n).fill(0)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  // a value seen anywhere in the run (an id, a token, an email) where it does not belong
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('id', 'token', 'email', 'name', 'password'), fc.nat())
      .map(([name, pick]) => new Observed([name], pick, 'x')),
  },
);

const WEIRD_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '',
  ' ',
  '\u0000',
  'a\u0000',
  '\ud800',
  'toString',
  'hasOwnProperty',
  'x'.repeat(300),
  '$where',
  'id',
  'role',
  'ownerId',
  'createdAt',
  'disabled',
  'admin',
];

type Mutation =
  | { at: number; op: 'replace'; value: unknown }
  | { at: number; op: 'delete' }
  | { at: number; op: 'add'; key: string; value: unknown }
  | { at: number; op: 'taint'; char: string; offset: number }
  | { at: number; op: 'repeat'; times: number }
  | { at: number; op: 'wrap' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ at: fc.nat(), op: fc.constant('replace' as const), value: mutantValue }) },
  { weight: 3, arbitrary: fc.record({ at: fc.nat(), op: fc.constant('delete' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      at: fc.nat(),
      op: fc.constant('add' as const),
      key: fc.oneof(fc.constantFrom(...WEIRD_KEYS), fc.string({ maxLength: 8 })),
      value: fc.oneof(mutantValue, fc.jsonValue({ maxDepth: 1 })),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      at: fc.nat(),
      op: fc.constant('taint' as const),
      char: fc.constantFrom('\u0000', '\ud800', '\udfff', '\u0000\u0000', '😀', '\ufeff'),
      offset: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      at: fc.nat(),
      op: fc.constant('repeat' as const),
      times: fc.oneof(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1000, max: 1100 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ at: fc.nat(), op: fc.constant('wrap' as const) }) },
);

const isMarker = (value: unknown) =>
  value instanceof RawJson ||
  value instanceof Observed ||
  value instanceof ObservedObject ||
  value instanceof ObservedMutant;

/** Mutations that keep a string a string: the shape checks pass, the content is wrong. */
const sameTypeMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    at: fc.nat(),
    op: fc.constant('taint' as const),
    char: fc.constantFrom('\u0000', '\ud800', '\udfff', 'x', ' ', "'", '9'),
    offset: fc.nat(),
  }),
  fc.record({
    at: fc.nat(),
    op: fc.constant('replace' as const),
    value: fc.oneof(
      nastyString,
      fc.constantFrom<unknown>(...TRICKY_STRINGS),
      // digits that fit a \d{1,19} check but not a 64-bit integer
      fc.constantFrom<unknown>('9223372036854775808', '9999999999999999999', '18446744073709551616', '-1', '0'),
    ),
  }),
);

/** A copy that keeps the markers (RawJson, Observed, ObservedObject) as they are. */
function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value && typeof value === 'object' && !isMarker(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}

interface Slot {
  parent: Record<string, unknown> | unknown[] | undefined;
  key: string | number | undefined;
  value: unknown;
}

/** Every place in a value: the root, then each property and item (markers are leaves). */
function slotsOf(root: unknown): Slot[] {
  const slots: Slot[] = [{ parent: undefined, key: undefined, value: root }];
  const seen = new Set<object>();
  const walk = (node: unknown, depth: number) => {
    if (!node || typeof node !== 'object' || isMarker(node) || seen.has(node) || depth > 100) return;
    seen.add(node);
    for (const [key, value] of Object.entries(node)) {
      slots.push({ parent: node as Record<string, unknown>, key: Array.isArray(node) ? Number(key) : key, value });
      walk(value, depth + 1);
    }
  };
  walk(root, 0);
  return slots;
}

/** Applies mutations one after the other, each at the (at modulo count)-th place. */
export function applyMutations(value: unknown, mutations: readonly Mutation[]): unknown {
  let root = clone(value);
  for (const m of mutations) {
    const slots = slotsOf(root);
    const slot = slots[m.at % slots.length]!;
    const set = (v: unknown) => {
      if (slot.parent === undefined) root = v;
      else (slot.parent as Record<string | number, unknown>)[slot.key!] = v;
    };
    switch (m.op) {
      // values from a mutation are copied: constants (an empty object, say) are shared
      case 'replace':
        set(clone(m.value));
        break;
      case 'delete':
        if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else if (slot.parent) delete slot.parent[slot.key as string];
        else root = undefined;
        break;
      case 'add': {
        const isPlain = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v) && !isMarker(v);
        const target = isPlain(slot.value) ? slot.value : root;
        if (isPlain(target))
          Object.defineProperty(target as object, m.key, {
            value: clone(m.value),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else set({ [m.key]: clone(m.value) });
        break;
      }
      case 'taint': {
        const s = typeof slot.value === 'string' ? slot.value : 'x';
        const at = m.offset % (s.length + 1);
        set(s.slice(0, at) + m.char + s.slice(at));
        break;
      }
      case 'repeat':
        if (Array.isArray(slot.value) && slot.value.length > 0)
          set(
            Array.from({ length: m.times }, (_, i) =>
              clone((slot.value as unknown[])[i % (slot.value as unknown[]).length]),
            ),
          );
        else set(Array.from({ length: m.times }, () => clone(slot.value)));
        break;
      case 'wrap':
        set([slot.value]);
        break;
    }
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// Requests

/**
 * Shrinking may jump to a choice's first branch, which is always the plain one (no body, no extra
 * header, the documented method): a failing request shrinks to what it needs.
 */
const CROSS = { withCrossShrink: true } as const;

export type Transport = 'bearer' | 'lowercase' | 'spaces' | 'subprotocol' | 'tampered';

/** Who a request claims to be. */
export type CredentialChoice =
  | { kind: 'role'; role: string; via: 'session' | 'token'; transport: Transport }
  | { kind: 'none' }
  | { kind: 'raw'; authorization: string }
  | { kind: 'observed'; pick: number; transport: Transport };

/** A path parameter: a seen id, or a value (`encoded`: already percent-encoded, sent as it is). */
export type Segment =
  { kind: 'observed'; scope: 'collection' | 'any'; pick: number } | { kind: 'raw'; value: unknown; encoded: boolean };

export type BodyChoice =
  | { kind: 'json'; value: unknown; contentType: string | undefined }
  | { kind: 'raw'; payload: string | number[]; contentType: string | undefined };

export interface RequestRecipe {
  op: Operation;
  method: string;
  params: Record<string, Segment>;
  /** [name, value] pairs, names and values already URL-encoded; a value of undefined sends `?name` */
  query: [string, unknown][];
  suffix: string;
  credential: CredentialChoice;
  body: BodyChoice | undefined;
  headers: Record<string, string>;
}

const PATH_GARBAGE = [
  '%ZZ',
  '%',
  '%%',
  '%E0%A4%A',
  '%00',
  'a%00b',
  '%C0%AF',
  '%ED%A0%80',
  '%FF%FE',
  '%F4%90%80%80',
  '%uD800',
  '%2F',
  '%2e%2e',
  '..',
  '.',
  '%20',
  '+',
  '%2B',
  '😀',
  '%F0%9F%98%80',
  'é',
  '0',
  '-1',
  '1e14',
  '9'.repeat(400),
  'null',
  'undefined',
  '__proto__',
  'constructor',
  "'",
  '%27%20OR%201%3D1',
  ';',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '{00000000-0000-0000-0000-000000000000}',
  '00000000000000000000000000000000',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  'me',
  'self',
  'nop_pat_x',
];

/** Encodes for a URL, lone surrogates included (as the invalid UTF-8 bytes ED A0 80 etc.). */
export function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    let out = '';
    for (const ch of text) {
      const code = ch.charCodeAt(0);
      if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff)
        out += `%ED%${(0xa0 | ((code >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
      else out += encodeURIComponent(ch);
    }
    return out;
  }
}

function segmentArb(doc: OpenApiDocument, param: Parameter): fc.Arbitrary<Segment> {
  const raw = (arb: fc.Arbitrary<unknown>, encoded = true) =>
    arb.map((value): Segment => ({ kind: 'raw', value, encoded }));
  return fc.oneof(
    CROSS,
    {
      weight: 50,
      arbitrary: fc.nat().map((pick): Segment => ({ kind: 'observed', scope: 'collection', pick })),
    },
    { weight: 10, arbitrary: fc.nat().map((pick): Segment => ({ kind: 'observed', scope: 'any', pick })) },
    { weight: 10, arbitrary: raw(validValue(doc, param.schema, param.name, 0, param.description), false) },
    { weight: 14, arbitrary: raw(fc.constantFrom(...PATH_GARBAGE)) },
    { weight: 8, arbitrary: raw(fc.string({ unit: 'grapheme', maxLength: 20 }).map(encode)) },
    {
      weight: 5,
      arbitrary: raw(
        fc
          .tuple(fc.integer({ min: 100, max: 1000 }), fc.constantFrom('a', '%41', '%C3%A9', '0', '-'))
          .map(([n, unit]) => unit.repeat(n)),
      ),
    },
    { weight: 3, arbitrary: raw(fc.constant('')) },
  );
}

const QUERY_GARBAGE = [
  '',
  'abc',
  '-1',
  '0',
  '1.5',
  '1e14',
  '1e400',
  '9'.repeat(400),
  '00000000000000000001',
  '0x10',
  'true',
  'null',
  '%ZZ',
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%uD800',
  '%FF',
  '%',
  '+',
  '%2B1',
  '%20',
  '%E2%80%AE',
  '%F0%9F%98%80',
];

/** Elements of a forged opaque value: what a decoder that checks only the shape lets through. */
const FORGED_ELEMENTS = [
  'x',
  '',
  '\u0000',
  'a\u0000',
  '\u0000\u0000',
  'fuzz\u0000@example.com',
  '\ud800',
  'infinity',
  '-infinity',
  'epoch',
  'now',
  '99999-01-01',
  '2024-02-30',
  '1970-01-01T00:00:00Z',
  '9999999999999999999',
  '9223372036854775808',
  '-9223372036854775809',
  '00000000-0000-0000-0000-000000000000',
  "' OR 1=1 --",
  'z'.repeat(64),
];

const FORGED_ELEMENT: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom<unknown>(...FORGED_ELEMENTS) },
  // numeric keys (a bigserial id) at and just past 64 bits
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>('9223372036854775807', '9223372036854775808', '9999999999999999999', '0', '-1'),
  },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(0, -1, 1e300, null, true, [], {}) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE_NUMBERS).map((text) => new RawJson(text)) },
  { weight: 1, arbitrary: ISO_DATE },
);

/** base64(url) of a small JSON array: a forged cursor or token. */
const forgedOpaque: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      // keyset cursors are mostly [sort key] or [sort key, id]
      fc.tuple(FORGED_ELEMENT),
      fc.tuple(FORGED_ELEMENT, fc.uuid()),
      fc.array(FORGED_ELEMENT, { maxLength: 3 }),
    ),
    fc.constantFrom<BufferEncoding>('base64url', 'base64'),
  )
  .map(([items, encoding]) => Buffer.from(toJsonText(items)).toString(encoding));

function queryValueArb(doc: OpenApiDocument, param: Parameter): fc.Arbitrary<unknown> {
  const names = [param.name, lastWord(param.name)];
  return fc.oneof(
    { weight: 12, arbitrary: validValue(doc, param.schema, param.name, 0, param.description) },
    { weight: 10, arbitrary: forgedOpaque },
    {
      weight: 10,
      arbitrary: fc
        .tuple(fc.nat(), fc.oneof(sameTypeMutation, mutation))
        .map(([pick, m]) => new ObservedMutant(names, pick, m) as unknown),
    },
    { weight: 3, arbitrary: fc.constantFrom(...QUERY_GARBAGE).map((text) => new RawJson(text)) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 100, max: 3000 }), fc.constantFrom('a', '9', 'é'))
        .map(([n, c]) => c.repeat(n)),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const EXTRA_QUERY_KEYS = [
  'foo',
  '__proto__',
  'constructor',
  'constructor[prototype]',
  'limit[]',
  'a[b]',
  '%ZZ',
  '',
  '%00',
  'x'.repeat(300),
  'cursor',
  'limit',
  'id',
];

function queryArb(doc: OpenApiDocument, op: Operation): fc.Arbitrary<[string, unknown][]> {
  const named = (param: Parameter) => (values: unknown[]) =>
    values.map((v): [string, unknown] => [encode(param.name), v]);
  // clean: absent or well-formed (what gets a list answered)
  const clean = op.queryParams.map((param) =>
    fc
      .oneof(
        CROSS,
        { weight: 3, arbitrary: fc.constant([] as unknown[]) },
        { weight: 2, arbitrary: validValue(doc, param.schema, param.name, 0, param.description).map((v) => [v]) },
      )
      .map(named(param)),
  );
  // dirty: anything, the same parameter twice included (?limit=1&limit=2 is an array to the parser)
  const dirty = op.queryParams.map((param) =>
    fc
      .oneof(
        CROSS,
        { weight: 8, arbitrary: queryValueArb(doc, param).map((v) => [v]) },
        { weight: 1, arbitrary: fc.array(queryValueArb(doc, param), { minLength: 2, maxLength: 3 }) },
      )
      .map(named(param)),
  );
  // sparse: mostly absent, so that a bad parameter is judged on its own
  const sparse = op.queryParams.map((param) =>
    fc
      .oneof(
        CROSS,
        { weight: 4, arbitrary: fc.constant([] as unknown[]) },
        { weight: 1, arbitrary: validValue(doc, param.schema, param.name, 0, param.description).map((v) => [v]) },
      )
      .map(named(param)),
  );
  const n = op.queryParams.length;
  const perParam: fc.Arbitrary<[string, unknown][][]> =
    n === 0
      ? fc.constant([])
      : fc.oneof(
          CROSS,
          { weight: 2, arbitrary: fc.tuple(...clean) },
          // one bad parameter among good ones: the bad one is what the handler sees
          {
            weight: 3,
            arbitrary: fc
              .tuple(fc.nat({ max: n - 1 }), fc.tuple(...sparse), fc.tuple(...dirty))
              .map(([i, good, bad]) => good.map((values, j) => (j === i ? bad[j]! : values))),
          },
          {
            weight: 1,
            arbitrary: fc.tuple(
              ...dirty.map((d) =>
                fc.oneof(
                  CROSS,
                  { weight: 1, arbitrary: fc.constant([] as [string, unknown][]) },
                  { weight: 1, arbitrary: d },
                ),
              ),
            ),
          },
        );
  const extra = fc.oneof(
    CROSS,
    { weight: 9, arbitrary: fc.constant([] as [string, unknown][]) },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.tuple(fc.constantFrom(...EXTRA_QUERY_KEYS), fc.oneof(fc.constant(undefined), fc.string({ maxLength: 8 }))),
        { minLength: 1, maxLength: 3 },
      ),
    },
  );
  return fc.tuple(perParam, extra).map(([lists, more]) => [...lists.flat(), ...more]);
}

const ROLES = ['admin', 'editor', 'viewer'];

const GARBAGE_AUTHORIZATION = [
  'Bearer',
  'Bearer ',
  'Bearer  ',
  'Basic dXNlcjpwYXNzd29yZA==',
  'Digest username="a"',
  'Token abc',
  'Bearer a.b.c',
  'Bearer ...',
  'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAifQ.',
  // HS256, signed with another secret
  'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiLCJzaWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiLCJ0diI6MCwiZXhwIjo0MTAyNDQ0ODAwfQ.2eTKiBFfeNtdwBWYaS_ke4TxexO0h4LfcPpCFZwKSmA',
  'Bearer eyJhbGciOiJIUzI1NiJ9.e30.',
  'Bearer nop_pat_',
  'Bearer nop_pat_' + 'A'.repeat(43),
  'Bearer nop_agt_' + 'A'.repeat(43),
  'Bearer nop_inv_' + 'A'.repeat(43),
  'Bearer ' + 'x'.repeat(8000),
  'Bearer %00',
  'Bearer é',
  'Bearer \u00ff\u00fe',
  'bearer',
  'Bearer a b',
];

function credentialArb(op: Operation): fc.Arbitrary<CredentialChoice> {
  const allowed = op.roles.flatMap((r) => (r === 'anyone' ? ROLES : [r]));
  const transport = fc.oneof(
    { weight: 88, arbitrary: fc.constant<Transport>('bearer') },
    { weight: 3, arbitrary: fc.constant<Transport>('lowercase') },
    { weight: 2, arbitrary: fc.constant<Transport>('spaces') },
    { weight: 3, arbitrary: fc.constant<Transport>('subprotocol') },
    { weight: 4, arbitrary: fc.constant<Transport>('tampered') },
  );
  const as = (roles: string[]) =>
    fc.record({
      kind: fc.constant('role' as const),
      role: fc.constantFrom(...roles),
      via: fc.oneof(
        { weight: 3, arbitrary: fc.constant('session' as const) },
        { weight: 1, arbitrary: fc.constant('token' as const) },
      ),
      transport,
    });
  return fc.oneof(
    CROSS,
    // mostly someone the document says may call it: that is what gets past the guard
    { weight: 70, arbitrary: as(allowed.length ? allowed : ROLES) },
    { weight: 14, arbitrary: as([...ROLES, 'agent']) },
    { weight: 6, arbitrary: fc.constant<CredentialChoice>({ kind: 'none' }) },
    {
      weight: 6,
      arbitrary: fc
        .oneof(
          fc.constantFrom(...GARBAGE_AUTHORIZATION),
          fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}`),
        )
        .map((authorization): CredentialChoice => ({ kind: 'raw', authorization })),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('observed' as const), pick: fc.nat(), transport }) },
  );
}

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'Application/JSON',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json;',
  'application/json, text/plain',
  'application/json; boundary=x; charset=utf-8',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/xml',
  'application/problem+json',
  'application/merge-patch+json',
  'application/jsonp',
  '*/*',
  '',
  'garbage',
];

const MALFORMED_JSON = [
  '',
  ' ',
  '{',
  '}',
  '[',
  '{"a":}',
  '{"a":1,}',
  "{'a':1}",
  '{a:1}',
  'nul',
  'NaN',
  'undefined',
  '{"a":1}garbage',
  '{"a":1}{"b":2}',
  '\ufeff{}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"a":"\\u00"}',
  '{"a":"\\x00"}',
  '{"a":"\u0000"}',
  '{"a":"\\ud800"}',
  '{"\\u0000":1}',
  '"\\ud800"',
  '{"a":1e400}',
  '{"a":' + '9'.repeat(1000) + '}',
  '[' + '['.repeat(10000),
  '['.repeat(20000) + ']'.repeat(20000),
  '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
  ' '.repeat(100000) + '{}',
];

/** Bodies of every kind for an operation; `valid` is what its schema accepts. */
function bodyArb(doc: OpenApiDocument, op: Operation): fc.Arbitrary<BodyChoice | undefined> {
  const json = (
    arb: fc.Arbitrary<unknown>,
    contentType: fc.Arbitrary<string | undefined> = fc.constant('application/json'),
  ) => fc.tuple(arb, contentType).map(([value, ct]): BodyChoice => ({ kind: 'json', value, contentType: ct }));
  const rawBody = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...MALFORMED_JSON) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    // bytes that are not UTF-8
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 24 }).map((bytes) => [0xff, 0xfe, ...bytes] as number[]) },
    // just over the 4 MB most servers (this one included) take
    { weight: 1, arbitrary: fc.constant(4.2e6).map((n) => `{"a":"${'x'.repeat(n)}"}`) },
  );
  const raw = fc
    .tuple(
      rawBody,
      fc.oneof(
        { weight: 4, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: fc.constantFrom<string | undefined>(undefined, ...CONTENT_TYPES) },
      ),
    )
    .map(([payload, contentType]): BodyChoice => ({ kind: 'raw', payload, contentType }));
  const topLevel = fc.constantFrom<unknown>(null, [], '', 'x', 0, true, [{}], new RawJson('1e400'));
  if (!op.body) {
    // no body expected: mostly none, sometimes one anyway
    return fc.oneof(
      CROSS,
      { weight: 92, arbitrary: fc.constant(undefined) },
      { weight: 4, arbitrary: json(fc.jsonValue({ maxDepth: 2 })) },
      { weight: 4, arbitrary: raw },
    );
  }
  const valid = validValue(doc, op.body.schema);
  const mutated = fc
    .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([value, mutations]) => applyMutations(value, mutations));
  return fc.oneof(
    CROSS,
    { weight: 52, arbitrary: json(valid) },
    { weight: 32, arbitrary: json(mutated) },
    { weight: 4, arbitrary: json(valid, fc.constantFrom<string | undefined>(undefined, ...CONTENT_TYPES)) },
    { weight: 6, arbitrary: raw },
    { weight: 3, arbitrary: json(topLevel) },
    { weight: 3, arbitrary: fc.constant(undefined) },
  );
}

const EXTRA_HEADERS: fc.Arbitrary<[string, string]> = fc.oneof(
  fc
    .oneof(
      fc.integer({ min: 200, max: 12000 }).map((n) => 'x'.repeat(n)),
      fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
      fc.constantFrom('', 'Mozilla/5.0 (é)', '\u00ff\u00fe', 'curl/8.0'),
    )
    .map((ua): [string, string] => ['user-agent', ua]),
  fc.constantFrom<[string, string]>(
    ['x-forwarded-for', '1.2.3.4, not an ip, ::1'],
    ['x-forwarded-for', 'x'.repeat(2000)],
    ['x-real-ip', '999.999.999.999'],
    ['accept', 'text/html'],
    ['accept', 'application/xml'],
    ['accept-encoding', 'gzip, deflate, br'],
    ['content-encoding', 'gzip'],
    ['upgrade', 'websocket'],
    ['connection', 'Upgrade'],
    ['sec-websocket-version', '13'],
    ['sec-websocket-key', 'dGhlIHNhbXBsZSBub25jZQ=='],
    ['sec-websocket-protocol', 'nop.v1'],
    ['origin', 'http://evil.example'],
    ['host', 'evil.example:1'],
    ['host', ''],
    ['cookie', 'a=b; session=x'],
    ['x-http-method-override', 'DELETE'],
    ['transfer-encoding', 'chunked'],
    ['expect', '100-continue'],
    ['range', 'bytes=0-1'],
  ),
);

/** Requests for one operation. */
export function requestArbitrary(doc: OpenApiDocument, op: Operation): fc.Arbitrary<RequestRecipe> {
  const params = fc.record(Object.fromEntries(op.pathParams.map((p) => [p.name, segmentArb(doc, p)]))) as fc.Arbitrary<
    Record<string, Segment>
  >;
  const method = fc.oneof(
    CROSS,
    { weight: 96, arbitrary: fc.constant(op.method) },
    { weight: 4, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
  );
  const suffix = fc.oneof(
    CROSS,
    { weight: 97, arbitrary: fc.constant('') },
    { weight: 3, arbitrary: fc.constantFrom('/', '//', '/.', '/..', '?', '#x', '/x', '%2F', '.json', ';a=b') },
  );
  const headers = fc.oneof(
    CROSS,
    { weight: 9, arbitrary: fc.constant<Record<string, string>>({}) },
    {
      weight: 1,
      arbitrary: fc.array(EXTRA_HEADERS, { minLength: 1, maxLength: 3 }).map((pairs) => Object.fromEntries(pairs)),
    },
  );
  return fc.record({
    op: fc.constant(op),
    method,
    params,
    query: queryArb(doc, op),
    suffix,
    credential: credentialArb(op),
    body: bodyArb(doc, op),
    headers,
  });
}

/** Requests for every operation of the document, weighted by {@link Operation.weight}. */
export function documentArbitrary(doc: OpenApiDocument, operations = operationsOf(doc)): fc.Arbitrary<RequestRecipe> {
  return fc.oneof(...operations.map((op) => ({ weight: op.weight, arbitrary: requestArbitrary(doc, op) })));
}

// ---------------------------------------------------------------------------------------------
// From recipe to request

export interface ResolveContext {
  observations: Observations;
  /** a working credential of this role ('agent' included), or undefined when there is none */
  credential(role: string, via: 'session' | 'token'): Promise<string | undefined>;
}

/** The recipe's markers replaced by what they point at (RawJson stays). */
export function resolveValue(value: unknown, observations: Observations): unknown {
  if (value instanceof Observed)
    return observations.value(value.names, value.pick, value.accept) ?? resolveValue(value.fallback, observations);
  if (value instanceof ObservedObject) {
    const fallback = resolveValue(value.fallback, observations);
    const seen = observations.object(value.keys, value.required, value.pick);
    return seen && fallback && typeof fallback === 'object' ? { ...fallback, ...seen } : (seen ?? fallback);
  }
  if (value instanceof ObservedMutant)
    // always this operation's own values first (even picks): a list's own cursor, slightly wrong
    return mutateOpaque(observations.value(value.names, value.pick * 2), value.mutation, observations);
  if (value instanceof RawJson) return value;
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, observations));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, observations)]));
  return value;
}

function mutateOpaque(seen: unknown, m: Mutation, observations: Observations): unknown {
  if (typeof seen !== 'string') return resolveValue(applyMutations(seen ?? 'x', [m]), observations);
  const text = Buffer.from(seen, 'base64url').toString('utf8');
  let decoded: unknown;
  try {
    decoded = Buffer.from(text).toString('base64url') === seen.replace(/=+$/, '') ? JSON.parse(text) : undefined;
  } catch {
    decoded = undefined;
  }
  if (decoded === undefined) return resolveValue(applyMutations(seen, [m]), observations);
  const mutated = resolveValue(applyMutations(decoded, [m]), observations);
  return Buffer.from(toJsonText(mutated)).toString('base64url');
}

/** JSON text with RawJson spliced in; lone surrogates and NUL come out as \\udXXX and \\u0000 escapes. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export interface InjectRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** the JSON body as sent, markers resolved (to record what the server accepted) */
  json?: unknown;
}

function tamper(token: string): string {
  if (token.length < 2) return `${token}x`;
  const at = Math.floor(token.length / 2);
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

function authHeaders(token: string | undefined, transport: Transport): Record<string, string> {
  if (token === undefined) return {};
  switch (transport) {
    case 'bearer':
      return { authorization: `Bearer ${token}` };
    case 'lowercase':
      return { authorization: `bearer ${token}` };
    case 'spaces':
      return { authorization: `Bearer   ${token} ` };
    case 'subprotocol':
      return { 'sec-websocket-protocol': `nop.v1, nop.jwt.${token}` };
    case 'tampered':
      return { authorization: `Bearer ${tamper(token)}` };
  }
}

export async function toInjectRequest(recipe: RequestRecipe, ctx: ResolveContext): Promise<InjectRequest> {
  const { op, observations } = { op: recipe.op, observations: ctx.observations };
  observations.scope = op.collection;
  let path = op.path;
  for (const param of op.pathParams) {
    const segment = recipe.params[param.name]!;
    let text: string;
    if (segment.kind === 'observed')
      text =
        observations.id(segment.scope === 'collection' ? op.collection : '*', segment.pick) ??
        '00000000-0000-4000-8000-000000000000';
    else {
      const value = resolveValue(segment.value, observations);
      text = value instanceof RawJson ? value.text : segment.encoded ? String(value) : encode(String(value));
    }
    path = path.replace(`{${param.name}}`, () => text);
  }
  const query = recipe.query
    .map(([name, raw]) => {
      const value = resolveValue(raw, observations);
      if (value === undefined) return name;
      return `${name}=${value instanceof RawJson ? value.text : encode(typeof value === 'string' ? value : JSON.stringify(value))}`;
    })
    .join('&');
  const url = `${path}${recipe.suffix}${query ? (recipe.suffix.includes('?') ? '&' : '?') + query : ''}`;

  let auth: Record<string, string> = {};
  const c = recipe.credential;
  if (c.kind === 'role') auth = authHeaders(await ctx.credential(c.role, c.via), c.transport);
  else if (c.kind === 'raw') auth = { authorization: c.authorization };
  else if (c.kind === 'observed') {
    const token = observations.value(['token'], c.pick);
    auth = authHeaders(typeof token === 'string' ? token : undefined, c.transport);
  }

  const headers: Record<string, string> = { ...recipe.headers, ...auth };
  if (recipe.headers['sec-websocket-protocol'] && auth['sec-websocket-protocol'])
    headers['sec-websocket-protocol'] =
      `${recipe.headers['sec-websocket-protocol']}, ${auth['sec-websocket-protocol']}`;
  let payload: string | Buffer | undefined;
  let json: unknown;
  const body = recipe.body;
  if (body?.kind === 'json') {
    json = resolveValue(body.value, observations);
    payload = toJsonText(json);
    if (body.contentType !== undefined) headers['content-type'] = body.contentType;
  } else if (body?.kind === 'raw') {
    payload = typeof body.payload === 'string' ? body.payload : Buffer.from(body.payload);
    if (body.contentType !== undefined) headers['content-type'] = body.contentType;
  }
  return { method: recipe.method, url, headers, payload, json };
}

/** A request as one line for reports (long strings cut). */
export function describeRequest(request: InjectRequest, limit = 600): string {
  const cut = (s: string) => (s.length > limit ? `${s.slice(0, limit)}… (${s.length} chars)` : s);
  // control characters and lone surrogates as \uXXXX escapes (emoji stay as they are)
  const escape = (s: string) => {
    let out = '';
    for (const ch of s) {
      const code = ch.charCodeAt(0);
      out +=
        code < 0x20 || (ch.length === 1 && code >= 0xd800 && code <= 0xdfff)
          ? `\\u${code.toString(16).padStart(4, '0')}`
          : ch;
    }
    return out;
  };
  const headers = Object.entries(request.headers)
    .map(
      ([k, v]) =>
        `${k}: ${cut(k === 'authorization' || k === 'sec-websocket-protocol' ? v.replace(/(nop_(?:pat|agt)_|eyJ)[\w.-]+/g, '$1…') : v)}`,
    )
    .join(' | ');
  const payload =
    request.payload === undefined
      ? ''
      : Buffer.isBuffer(request.payload)
        ? ` body(hex)=${request.payload.toString('hex').slice(0, limit)}`
        : ` body=${cut(escape(request.payload))}`;
  // opaque query values that are base64url JSON (cursors), decoded for the reader
  const decoded = [...request.url.matchAll(/[?&][^=&]+=([A-Za-z0-9_-]{8,}(?:%3D)*)/g)]
    .map((m) => {
      const text = Buffer.from(decodeURIComponent(m[1]!), 'base64url').toString('utf8');
      try {
        JSON.parse(text);
        return ` (${m[1]!.slice(0, 12)}… is base64url of ${escape(cut(text))})`;
      } catch {
        return '';
      }
    })
    .join('');
  return `${request.method} ${cut(request.url)}${decoded}${headers ? ` [${headers}]` : ''}${payload}`;
}
