import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate, GraphQLError, type GraphQLSchema } from 'graphql';

/** Linear's schema as committed in the repository (origin and version: that folder's README). */
const BUNDLED_SCHEMA = path.resolve(__dirname, '..', 'fixtures', 'linear', 'schema.graphql');

let cached: GraphQLSchema | undefined;

/** `LINEAR_SCHEMA_PATH` overrides the bundled copy, e.g. to try a newer schema before upgrading. */
function linearSchemaPath(): string {
  return process.env.LINEAR_SCHEMA_PATH || BUNDLED_SCHEMA;
}

/** Building the 1.2 MB SDL takes ~0.5 s, so it happens once per process. */
export function loadLinearSchema(): GraphQLSchema {
  if (cached) return cached;
  cached = buildSchema(readFileSync(linearSchemaPath(), 'utf8'));
  return cached;
}

export function validateOperation(source: string): readonly GraphQLError[] {
  const schema = loadLinearSchema();
  let document;
  try {
    document = parse(source);
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  return validate(schema, document);
}
