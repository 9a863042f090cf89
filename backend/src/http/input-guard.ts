import type { FastifyInstance } from 'fastify';
import { LONE_SURROGATE, NUL } from '../lib/scrub-text.ts';
import { errors, fieldPath, type FieldError } from './errors.ts';

/** nesting deeper than this is not a request anyone means */
const MAX_DEPTH = 64;

// What PostgreSQL cannot store is refused at the door, naming the field, instead of failing deep
// inside a statement as a 500.
function problemOf(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain NUL characters (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it holds a lone UTF-16 surrogate)';
  return undefined;
}

/** Every bad string (or key) in a parsed value, with its path. */
export function textProblems(value: unknown, where: string): FieldError[] {
  const found: FieldError[] = [];
  const walk = (node: unknown, path: (string | number)[], depth: number) => {
    if (found.length >= 10) return;
    if (typeof node === 'string') {
      const message = problemOf(node);
      if (message) found.push({ path: fieldPath(where, path), message });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (depth > MAX_DEPTH) {
      found.push({ path: fieldPath(where, path), message: `nested deeper than ${MAX_DEPTH} levels` });
      return;
    }
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, [...path, i], depth + 1));
    for (const [key, item] of Object.entries(node)) {
      const keyProblem = problemOf(key);
      if (keyProblem) found.push({ path: fieldPath(where, path), message: `a key ${keyProblem}` });
      else walk(item, [...path, key], depth + 1);
    }
  };
  walk(value, [], 0);
  return found;
}

/** Checks path parameters, the query string and the JSON body of every request. */
export function installInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const found = [
      ...textProblems(request.params, 'params'),
      ...textProblems(request.query, 'query'),
      ...textProblems(request.body, 'body'),
    ];
    if (found.length) throw errors.invalidFields(found);
  });
}
