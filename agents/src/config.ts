import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { CheckSpec, Duration } from '@nop/protocol';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { backendUrlsProblem, parseBackendUrls } from './backend-urls.ts';
import { splitHostPort } from './checks/target.ts';
import { FSYNC_POLICIES } from './spool.ts';

/**
 * The agent's settings: a YAML file (optional) overlaid by the environment, validated once by a
 * strict schema. A bad value becomes a ConfigError whose message is ONE line naming the file (or
 * the variable) and the field path.
 */

export const DEFAULT_LISTEN = '127.0.0.1:9101';

/** Environment variable -> settings field. A set, non-empty variable wins over the file. */
export const ENV_OVERRIDES = {
  NOP_BACKEND_URL: 'backend',
  NOP_AGENT_TOKEN: 'token',
  NOP_AGENT_NAME: 'name',
  NOP_AGENT_LISTEN: 'listen',
  PROM_PUSHGATEWAY: 'pushgateway',
  NOP_AGENT_SPOOL_DIR: 'spoolDir',
  NOP_AGENT_SPOOL_FSYNC: 'spoolFsync',
  NOP_AGENT_CONTROL_TOKEN: 'controlToken',
  REDIS_URL: 'redis',
  NOP_REDIS_PREFIX: 'redisPrefix',
} as const;

const Listen = z
  .string()
  .refine((text) => splitHostPort(text) !== undefined, 'must be host:port (port 0-65535; 0 = any free port)');

/** Check ids name metric series and results: two checks of one config may not share one. */
function uniqueCheckIds(config: { checks: readonly CheckSpec[] }, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  config.checks.forEach((check, index) => {
    const first = seen.get(check.id);
    if (first !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['checks', index, 'id'],
        message: `duplicate id "${check.id}" (also checks[${first}])`,
      });
    else seen.set(check.id, index);
  });
}

export const AgentSettingsSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/, 'must be 1-63 chars of letters, digits, space, "_", "-", "."')
      .optional(),
    /** one backend URL, or several (comma-separated, or a list) tried in order for failover */
    backend: z
      .union([z.string(), z.array(z.string()).min(1)])
      .transform((value, ctx) => {
        const problem = backendUrlsProblem(value);
        if (!problem) return parseBackendUrls(value).join(',');
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      })
      .optional(),
    token: z.string().min(1, 'must not be empty').optional(),
    listen: Listen.default(DEFAULT_LISTEN),
    /** Prometheus Pushgateway to push /metrics to (job nop-agent, instance = agent name) */
    pushgateway: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    pushInterval: Duration.default(15_000),
    /** keep unacked results on disk here (survives backend outages and agent restarts); memory only when absent */
    spoolDir: z.string().min(1).optional(),
    /** the spool's size bound; the oldest batches are dropped first (and counted) */
    spoolMaxBytes: z
      .number()
      .int()
      .min(1024)
      .default(64 * 1024 * 1024),
    /** when the spool's journal reaches stable storage: interval (≤ 100 ms), always, never */
    spoolFsync: z.enum(FSYNC_POLICIES, { error: 'must be interval, always or never' }).default('interval'),
    /** enables the local control API (PUT /config, POST /commands) for callers with this bearer token */
    controlToken: z.string().min(16, 'must be at least 16 characters').optional(),
    /** publish results to Redis and take commands from it */
    redis: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
    redisPrefix: z
      .string()
      .regex(/^[A-Za-z0-9:_-]+$/)
      .default('nop'),
    /** take a traceroute when a ping/HTTP/TCP check starts failing (rate-limited) */
    diagnosticTraces: z.boolean().default(true),
    checks: z.array(CheckSpec).max(10_000).default([]),
  })
  .superRefine((settings, ctx) => {
    uniqueCheckIds(settings, ctx);
    if (settings.backend && !settings.token)
      ctx.addIssue({
        code: 'custom',
        path: ['token'],
        message: 'is required when backend is set (or set NOP_AGENT_TOKEN)',
      });
  });

export type AgentSettings = z.output<typeof AgentSettingsSchema> & {
  name: string;
  /** the YAML file the settings came from, if any */
  file?: string;
};

/** A configuration problem, said in one line. The CLI prints it and exits with code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): AgentSettings {
  const env = options.env ?? process.env;
  const doc = options.file ? readYaml(options.file) : undefined;
  const raw: Record<string, unknown> = doc?.raw ?? {};
  const fromEnv = new Map<string, string>();
  for (const [variable, field] of Object.entries(ENV_OVERRIDES)) {
    const value = env[variable]?.trim();
    if (!value) continue;
    raw[field] = value;
    fromEnv.set(field, variable);
  }
  if (!options.file && !raw.backend)
    throw new ConfigError('nothing to run: give --config FILE, or set NOP_BACKEND_URL and NOP_AGENT_TOKEN');

  const parsed = AgentSettingsSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(describeIssues(parsed.error.issues, raw, options.file, fromEnv, doc?.lineOf));
  return { ...parsed.data, name: parsed.data.name ?? defaultName(), file: options.file };
}

/** The checks part of a config sent at run time (PUT /config, the Redis channel): YAML or JSON. */
export const ChecksDocument = z.strictObject({ checks: z.array(CheckSpec).max(10_000) }).superRefine(uniqueCheckIds);

/** Parses and validates `{checks: [...]}`; a problem is a ConfigError of one line naming `source`, line and field. */
export function parseChecksDocument(text: string, source: string): CheckSpec[] {
  const { raw, lineOf } = parseYamlText(text, source);
  const parsed = ChecksDocument.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, raw, source, new Map(), lineOf));
  return parsed.data.checks;
}

function readYaml(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${file}: cannot read the file (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`,
    );
  }
  return parseYamlText(text, file);
}

/** YAML (JSON is YAML too) to a plain mapping, keeping where each value stood for error messages. */
function parseYamlText(text: string, source: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0] ? `:${syntax.linePos[0].line}` : '';
    throw new ConfigError(
      `${source}${line}: YAML ${firstLine(syntax.message.replace(/ at line \d+, column \d+.*$/s, ''))}`,
    );
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { raw: {} as Record<string, unknown>, lineOf: () => undefined };
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(`${source}: the top level must be a mapping (name:, backend:, checks: …)`);
  /** the 1-based line of the value at `path` (or of its nearest parent that exists) */
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { raw: { ...(value as Record<string, unknown>) }, lineOf };
}

/** ['checks', 0, 'interval'] -> "checks[0].interval" */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out || '(top level)';
}

type Issue = z.core.$ZodIssue;

function describeIssues(
  issues: readonly Issue[],
  raw: unknown,
  file: string | undefined,
  fromEnv: Map<string, string>,
  lineOf?: (path: readonly PropertyKey[]) => number | undefined,
): string {
  const issue = mostSpecific(issues[0]!);
  const path = issue.path;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const variable = typeof path[0] === 'string' ? fromEnv.get(path[0]) : undefined;
  const message = issueMessage(issue, valueAt(raw, path));
  if (variable) return `${variable}: ${message}${more}`;
  // an unknown key is best pointed at itself, not at the mapping that holds it
  const at = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!] : path;
  const line = file ? lineOf?.(at) : undefined;
  return `${file ?? 'environment'}${line ? `:${line}` : ''}: ${formatPath(path)}: ${message}${more}`;
}

/** A union failure hides the real cause in one branch: pick the branch that got furthest. */
function mostSpecific(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const branches = issue.errors.filter(
    (branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0),
  );
  const branch = branches[0];
  if (!branch || !branch[0]) return issue;
  return mostSpecific({ ...branch[0], path: [...issue.path, ...branch[0].path] } as Issue);
}

function issueMessage(issue: Issue, value: unknown): string {
  const shown = show(value);
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options))
    return `${shown ?? 'missing'}: must be one of ${issue.options.join(', ')}`;
  if (value === undefined && issue.code === 'invalid_type') return 'is required';
  if (shown === undefined || issue.message.includes(shown)) return issue.message;
  if (/^(must|is)\b/.test(issue.message)) return `${shown} ${issue.message}`;
  return `${issue.message} (got ${shown})`;
}

function show(value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'object' && value !== null)) return undefined;
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…"` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

function defaultName(): string {
  const host = hostname()
    .replace(/[^A-Za-z0-9 _.-]/g, '-')
    .slice(0, 63);
  return /^[A-Za-z0-9]/.test(host) ? host : `agent-${host}`.slice(0, 63);
}
