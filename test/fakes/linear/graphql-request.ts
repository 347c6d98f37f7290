import {
  GraphQLError,
  Kind,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { z } from 'zod';

const requestBody = z.object({
  query: z.string(),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

export interface ParsedRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | null;
  rootFields: string[];
  variables: Record<string, unknown>;
}

export type RequestProblem = { kind: 'body' | 'parse' | 'validation'; messages: string[] };

function rootFieldsOf(selectionSet: SelectionSetNode, document: DocumentNode): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldsOf(selection.selectionSet, document);
    const fragment = document.definitions.find(
      (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
    );
    return fragment?.kind === Kind.FRAGMENT_DEFINITION ? rootFieldsOf(fragment.selectionSet, document) : [];
  });
}

/**
 * Parsing and validating against the 1.2 MB schema costs milliseconds; the result depends only on
 * the query text, so it is kept per schema (clients send the same few documents again and again).
 */
const checkedQueries = new WeakMap<GraphQLSchema, Map<string, { document: DocumentNode } | RequestProblem>>();

function parseAndValidate(schema: GraphQLSchema, query: string): { document: DocumentNode } | RequestProblem {
  let cache = checkedQueries.get(schema);
  if (!cache) {
    cache = new Map();
    checkedQueries.set(schema, cache);
  }
  const hit = cache.get(query);
  if (hit) return hit;
  let result: { document: DocumentNode } | RequestProblem;
  try {
    const document = parse(query);
    const errors = validate(schema, document);
    result = errors.length > 0 ? { kind: 'validation', messages: errors.map((e) => e.message) } : { document };
  } catch (error) {
    result = { kind: 'parse', messages: [error instanceof GraphQLError ? error.message : String(error)] };
  }
  if (cache.size > 500) cache.clear();
  cache.set(query, result);
  return result;
}

/** JSON body → validated operation, or the problem Linear would answer 400 for. */
export function parseGraphqlRequest(schema: GraphQLSchema, rawBody: string): ParsedRequest | RequestProblem {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { kind: 'body', messages: ['POST body must be valid JSON'] };
  }
  const body = requestBody.safeParse(json);
  if (!body.success) return { kind: 'body', messages: ['POST body must be JSON {query, variables?, operationName?}'] };

  const checked = parseAndValidate(schema, body.data.query);
  if ('kind' in checked) return checked;
  const { document } = checked;
  const operation = getOperationAST(document, body.data.operationName);
  if (!operation) {
    return { kind: 'validation', messages: ['Could not determine which operation to run (check operationName)'] };
  }
  return {
    document,
    operation,
    operationName: operation.name?.value ?? body.data.operationName ?? null,
    rootFields: rootFieldsOf(operation.selectionSet, document),
    variables: body.data.variables ?? {},
  };
}

export function isProblem(value: ParsedRequest | RequestProblem): value is RequestProblem {
  return 'kind' in value;
}
