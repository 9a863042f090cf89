import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { CheckSpec, Duration } from '@nop/protocol';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { splitHostPort } from './checks/target.ts';

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
} as const;

const Listen = z
  .string()
  .refine((text) => splitHostPort(text) !== undefined, 'must be host:port (port 0-65535; 0 = any free port)');

export const AgentSettingsSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/, 'must be 1-63 chars of letters, digits, space, "_", "-", "."')
      .optional(),
    backend: z.url({ protocol: /^(https?|wss?)$/, error: 'must be an http(s):// or ws(s):// URL' }).optional(),
    token: z.string().min(1, 'must not be empty').optional(),
    listen: Listen.default(DEFAULT_LISTEN),
    /** Prometheus Pushgateway to push /metrics to (job nop-agent, instance = agent name) */
    pushgateway: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    pushInterval: Duration.default(15_000),
    checks: z.array(CheckSpec).max(10_000).default([]),
  })
  .superRefine((settings, ctx) => {
    const seen = new Map<string, number>();
    settings.checks.forEach((check, index) => {
      const first = seen.get(check.id);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['checks', index, 'id'],
          message: `duplicate id "${check.id}" (also checks[${first}])`,
        });
      else seen.set(check.id, index);
    });
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
  const raw: Record<string, unknown> = options.file ? readYaml(options.file) : {};
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
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, raw, options.file, fromEnv));
  return { ...parsed.data, name: parsed.data.name ?? defaultName(), file: options.file };
}

function readYaml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${file}: cannot read the file (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`,
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const where = error.linePos ? `line ${error.linePos[0].line} col ${error.linePos[0].col}: ` : '';
      throw new ConfigError(
        `${file}: YAML ${where}${firstLine(error.message.replace(/ at line \d+, column \d+.*$/s, ''))}`,
      );
    }
    throw new ConfigError(`${file}: ${firstLine(String(error))}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigError(`${file}: the top level must be a mapping (name:, backend:, checks: …)`);
  return { ...(doc as Record<string, unknown>) };
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
): string {
  const issue = mostSpecific(issues[0]!);
  const path = issue.path;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const variable = typeof path[0] === 'string' ? fromEnv.get(path[0]) : undefined;
  const message = issueMessage(issue, valueAt(raw, path));
  if (variable) return `${variable}: ${message}${more}`;
  return `${file ?? 'environment'}: ${formatPath(path)}: ${message}${more}`;
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
