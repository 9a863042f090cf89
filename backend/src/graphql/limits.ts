import { PAGE_DEFAULT_LIMIT, PAGE_MAX_LIMIT } from '@nop/protocol';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  type ValidationContext,
  type ASTVisitor,
} from './graphql-js.ts';

/**
 * What one GraphQL request may ask for. A query is one request but can fan out into many reads
 * (aliases, nested lists, pages of 200): these bound the work before anything runs.
 */
export const LIMITS = {
  /** the query text, in bytes */
  queryBytes: 16 * 1024,
  /** the JSON body (query, variables, operationName) */
  bodyBytes: 64 * 1024,
  /** tokens the parser reads before it gives up (a bound on parsing work whatever the text) */
  tokens: 4000,
  /** nested selections (mercurius queryDepth) */
  depth: 8,
  /** fields and aliases written in the document */
  fields: 300,
  aliases: 30,
  /** estimated fields resolved (see queryCost) */
  cost: 5000,
} as const;

/** Lists without a `limit` (labels, a check's agents, series) are estimated at this many items. */
const NOMINAL_LIST_SIZE = 10;

const refusal = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/** A validation rule (runs once per distinct document, then cached): fields and aliases as written. */
export function documentSizeRule(context: ValidationContext): ASTVisitor {
  let fields = 0;
  let aliases = 0;
  return {
    Field(node) {
      fields++;
      if (node.alias) aliases++;
    },
    Document: {
      leave() {
        if (fields > LIMITS.fields)
          context.reportError(
            refusal(`the query has ${fields} fields; at most ${LIMITS.fields}`, 'FIELD_LIMIT_EXCEEDED'),
          );
        if (aliases > LIMITS.aliases)
          context.reportError(
            refusal(`the query has ${aliases} aliases; at most ${LIMITS.aliases}`, 'ALIAS_LIMIT_EXCEEDED'),
          );
      },
    },
  };
}

/** The page size a field asks for: its `limit` (a literal or a variable), within what REST allows. */
function pageSize(value: unknown): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : PAGE_DEFAULT_LIMIT;
  return Math.min(PAGE_MAX_LIMIT, Math.max(1, n));
}

/**
 * The estimated cost of the operation that would run: every field counts 1, and what is selected
 * inside a list counts once per item — `limit` items for a page (default 50), ten for other
 * lists. Fragments are costed once each (spreading one fragment many times cannot make this
 * walk, or the estimate, explode). Mercurius's hooks are not told which operation of a document
 * runs, so the dearest one counts. Run on a validated document.
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables?: Record<string, unknown> | null,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const fieldOf = (parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === '__typename') return TypeNameMetaFieldDef;
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
    return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
  };
  const intOf = (value: ValueNode | undefined, given: Record<string, unknown>): unknown => {
    if (value?.kind === Kind.INT) return Number(value.value);
    if (value?.kind === Kind.VARIABLE) return given[value.name.value];
    return undefined;
  };

  function operationCost(operation: OperationDefinitionNode) {
    // the variables as the operation will see them: its defaults, then what the request gave
    const given: Record<string, unknown> = {};
    for (const definition of operation.variableDefinitions ?? [])
      given[definition.variable.name.value] = intOf(definition.defaultValue, {});
    for (const [name, value] of Object.entries(variables ?? {})) if (value !== undefined) given[name] = value;
    const memo = new Map<string, number>();

    /** `listSize`: the items of a list right inside this selection (a page's `items`). */
    const cost = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, listSize?: number): number => {
      let total = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          total += cost(selection.selectionSet, type ?? undefined, listSize);
        } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(selection.name.value);
          if (!fragment) continue;
          const key = `${fragment.name.value}/${listSize}`;
          if (!memo.has(key)) {
            memo.set(key, 0); // a cycle (refused by validation anyway) costs nothing more
            const type = schema.getType(fragment.typeCondition.name.value) ?? undefined;
            memo.set(key, cost(fragment.selectionSet, type, listSize));
          }
          total += memo.get(key)!;
        } else {
          const field = fieldOf(parent, selection.name.value);
          const isList = !!field && isListType(getNullableType(field.type));
          const paged = !!field?.args.some((a) => a.name === 'limit');
          const limit = selection.arguments?.find((a) => a.name.value === 'limit')?.value;
          const inner = selection.selectionSet
            ? cost(
                selection.selectionSet,
                field ? getNamedType(field.type) : undefined,
                paged ? pageSize(intOf(limit, given)) : undefined,
              )
            : 0;
          total += 1 + (isList ? (listSize ?? NOMINAL_LIST_SIZE) : 1) * inner;
        }
      }
      return total;
    };
    return cost(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
  }

  let dearest = 0;
  for (const definition of document.definitions)
    if (definition.kind === Kind.OPERATION_DEFINITION) dearest = Math.max(dearest, operationCost(definition));
  return dearest;
}

/** Refuses an operation above the cost limit, before it runs. */
export function assertAffordable(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables?: Record<string, unknown> | null,
) {
  const estimate = queryCost(schema, document, variables);
  if (estimate > LIMITS.cost)
    throw refusal(
      `the query would cost about ${estimate} (fields × items of each list); at most ${LIMITS.cost}: ask for fewer ` +
        'items (limit) or fewer fields',
      'COST_LIMIT_EXCEEDED',
    );
}
