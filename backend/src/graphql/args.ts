import { GraphQLError } from './graphql-js.ts';
import { ApiError } from '../http/errors.ts';
import { textProblems } from '../http/input-guard.ts';

/** GraphQL argument name → the REST query parameter it stands for (`agentId` → `agent_id`). */
export type ArgNames = Readonly<Record<string, string>>;

/**
 * The REST query string a field's arguments stand for: every given argument as the text a browser
 * would send. Parsed with the REST route's own schema, GraphQL then accepts exactly what REST
 * accepts, and refuses it in the same words.
 */
export function restQuery(args: Record<string, unknown>, names: ArgNames): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [arg, param] of Object.entries(names)) {
    const value = args[arg];
    if (value !== undefined && value !== null) query[param] = String(value);
  }
  return query;
}

export const userInputError = (message: string, argument?: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) } });

/**
 * What the input guard refuses in a REST request (NUL, lone surrogates: no statement can carry
 * them) reaches GraphQL inside the query text, as escapes the guard cannot see: refused here.
 */
export function assertStorableText(args: Record<string, unknown>) {
  const [problem] = textProblems(args, 'args');
  if (!problem) return;
  const argument = problem.path.replace(/^args\.?/, '').split(/[.[]/)[0] || problem.path;
  throw userInputError(`argument ${argument}: ${problem.message}`, argument);
}

/**
 * Runs `answer` (which parses a REST query and calls the services); a 400 from it, whose fields
 * are REST paths (`query.agent_id`), becomes a GraphQL error naming the arguments
 * (`argument agentId: must be an agent id (UUID)`), extensions.code BAD_USER_INPUT.
 */
export async function withArgs<T>(names: ArgNames, answer: () => Promise<T>): Promise<T> {
  try {
    return await answer();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    const byParam = new Map(Object.entries(names).map(([arg, param]) => [`query.${param}`, arg]));
    const fields = (error.errors ?? []).map((field) => {
      // 'query.label' or deeper ('query.cursor[0]'): the argument is the first segment
      const param = /^query\.[A-Za-z_]+/.exec(field.path)?.[0];
      return { argument: (param && byParam.get(param)) ?? field.path, message: field.message };
    });
    if (!fields.length) throw userInputError(error.message);
    const message = fields.map((f) => `argument ${f.argument}: ${f.message}`).join('; ');
    throw new GraphQLError(message, {
      extensions: { code: 'BAD_USER_INPUT', argument: fields[0]!.argument, errors: fields },
    });
  }
}
