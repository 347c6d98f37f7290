import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate, GraphQLError, type GraphQLSchema } from 'graphql';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

let cached: GraphQLSchema | undefined;

export function linearSchemaPath(): string {
  return process.env.LINEAR_SCHEMA_PATH ?? path.resolve(REPO_ROOT, '../shared/linear/schema.graphql');
}

export function linearSchemaAvailable(): boolean {
  return existsSync(linearSchemaPath());
}

/** Building the 1.2 MB SDL takes ~0.5 s, so it happens once per process. */
export function loadLinearSchema(): GraphQLSchema {
  if (cached) return cached;
  const file = linearSchemaPath();
  if (!existsSync(file)) {
    throw new Error(
      `Linear schema not found at ${file}. Put Linear's schema.graphql there or set LINEAR_SCHEMA_PATH to its location.`,
    );
  }
  cached = buildSchema(readFileSync(file, 'utf8'));
  return cached;
}

/**
 * A describe block that needs the schema. In CI a missing schema is a failure, locally it is a
 * visible skip, so a checkout without the sibling `shared/` folder can still run the other tests.
 */
export function describeWithLinearSchema(name: string, fn: () => void): void {
  if (linearSchemaAvailable()) {
    describe(name, fn);
    return;
  }
  const file = linearSchemaPath();
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the Linear schema', () => {
        throw new Error(`Linear schema file is missing at ${file} (set LINEAR_SCHEMA_PATH).`);
      });
    });
    return;
  }
  console.warn(`[${name}] skipped: Linear schema not found at ${file}; set LINEAR_SCHEMA_PATH`);
  describe.skip(name, fn);
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
