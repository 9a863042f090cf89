/** Assertions of the http prober: accepted status codes, body regex, JSON-path checks. */

export type StatusRule = number | string;

/** Whether `status` is accepted by rules like 200, "2xx", "200-299"; absent rules = 200-399. */
export function statusAccepted(status: number, rules: readonly StatusRule[] | undefined): boolean {
  if (!rules) return status >= 200 && status <= 399;
  return rules.some((rule) => {
    if (typeof rule === 'number') return status === rule;
    const range = /^(\d{3})-(\d{3})$/.exec(rule);
    if (range) return status >= Number(range[1]) && status <= Number(range[2]);
    const klass = /^([1-5])xx$/.exec(rule);
    if (klass) return Math.floor(status / 100) === Number(klass[1]);
    return false;
  });
}

export function describeStatusRules(rules: readonly StatusRule[] | undefined): string {
  return rules ? `[${rules.join(', ')}]` : '200-399';
}

type Step = string | number;

/**
 * Parses "data.items[0].id", "$.a.b", "a['b.c']", '$["x"][2]' into steps; undefined when malformed.
 * A leading "$" (the root) is optional.
 */
export function parseJsonPath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = 0;
  const text = path.trim();
  if (text.startsWith('$')) i = 1;
  let expectName = i === 0; // a bare leading name needs no dot
  while (i < text.length) {
    const c = text[i]!;
    if (c === '.') {
      i++;
      expectName = true;
      continue;
    }
    if (c === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = text.slice(i + 1, close).trim();
      const quoted = /^(['"])(.*)\1$/.exec(inner);
      if (quoted) steps.push(quoted[2]!);
      else if (/^-?\d+$/.test(inner)) steps.push(Number(inner));
      else return undefined;
      i = close + 1;
      expectName = false;
      continue;
    }
    if (!expectName) return undefined;
    const match = /^[^.[\]]+/.exec(text.slice(i));
    if (!match) return undefined;
    steps.push(match[0]);
    i += match[0].length;
    expectName = false;
  }
  return steps;
}

const MISSING = Symbol('missing');

/** The value at `steps` in `root`, or MISSING. Negative indexes count from the end. */
function walk(root: unknown, steps: Step[]): unknown {
  let node: unknown = root;
  for (const step of steps) {
    if (Array.isArray(node)) {
      const index = typeof step === 'number' ? step : /^-?\d+$/.test(step) ? Number(step) : NaN;
      if (!Number.isInteger(index)) return MISSING;
      const at = index < 0 ? node.length + index : index;
      if (at < 0 || at >= node.length) return MISSING;
      node = node[at];
    } else if (node !== null && typeof node === 'object') {
      const key = String(step);
      if (!Object.hasOwn(node, key)) return MISSING;
      node = (node as Record<string, unknown>)[key];
    } else return MISSING;
  }
  return node;
}

export interface JsonAssertion {
  path: string;
  equals?: string | number | boolean | null;
  matches?: string;
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
};

/** The display form of a path: always rooted at "$". */
function rooted(path: string): string {
  const p = path.trim();
  if (p.startsWith('$')) return p;
  return p.startsWith('[') ? `$${p}` : `$.${p}`;
}

/** Checks the assertions against a parsed JSON body; returns the first failure in words. */
export function checkJsonAssertions(body: unknown, assertions: readonly JsonAssertion[]): string | undefined {
  for (const a of assertions) {
    const name = rooted(a.path);
    const steps = parseJsonPath(a.path);
    if (!steps) return `invalid JSON path ${name}`;
    const value = walk(body, steps);
    if (value === MISSING) return `${name} is missing`;
    if (a.equals !== undefined && value !== a.equals) return `${name} is ${show(value)}, expected ${show(a.equals)}`;
    if (a.matches !== undefined) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      if (!new RegExp(a.matches).test(text)) return `${name} is ${show(value)}, does not match /${a.matches}/`;
    }
  }
  return undefined;
}

/** Body regex and JSON assertions on a response body; undefined when all pass. */
export function checkBody(
  body: string,
  bodyRegex: string | undefined,
  assertions: readonly JsonAssertion[] | undefined,
): { error?: string; regexFailed?: boolean } {
  if (bodyRegex !== undefined && !new RegExp(bodyRegex).test(body))
    return { error: `body does not match /${bodyRegex}/`, regexFailed: true };
  if (assertions && assertions.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { error: 'body is not valid JSON' };
    }
    const error = checkJsonAssertions(parsed, assertions);
    if (error) return { error };
  }
  return {};
}
