import { randomUUID } from 'node:crypto';
import { addMocksToSchema } from '@graphql-tools/mock';
import { addResolversToSchema } from '@graphql-tools/schema';
import { isScalarType, isSpecifiedScalarType, type GraphQLSchema } from 'graphql';
import { loadLinearSchema } from '../../helpers/linear-schema';
import { entityResolvers } from './resolvers-entities';
import { mutationResolvers } from './resolvers-mutation';
import { commentQueries } from './comment-query';
import { queryResolvers } from './resolvers-query';

const SCALAR_MOCKS: Record<string, () => unknown> = {
  DateTime: () => new Date().toISOString(),
  DateTimeOrDuration: () => new Date().toISOString(),
  TimelessDate: () => new Date().toISOString().slice(0, 10),
  TimelessDateOrDuration: () => new Date().toISOString().slice(0, 10),
  Duration: () => 'P1D',
  JSON: () => ({}),
  JSONObject: () => ({}),
  UUID: () => randomUUID(),
};

function scalarMocks(schema: GraphQLSchema): Record<string, () => unknown> {
  const mocks: Record<string, () => unknown> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isScalarType(type) || isSpecifiedScalarType(type)) continue;
    mocks[type.name] = SCALAR_MOCKS[type.name] ?? (() => type.name.charAt(0).toLowerCase() + type.name.slice(1));
  }
  return mocks;
}

let cached: GraphQLSchema | undefined;

/**
 * Linear's schema with the store-backed resolvers first and mocks for every other field, so any
 * valid operation gets schema-shaped data. Built once per process: it maps ~1,200 types.
 */
export function fakeLinearSchema(): GraphQLSchema {
  if (cached) return cached;
  const base = loadLinearSchema();
  const withResolvers = addResolversToSchema({
    schema: base,
    resolvers: { Query: { ...queryResolvers, ...commentQueries }, Mutation: mutationResolvers, ...entityResolvers },
  });
  cached = addMocksToSchema({ schema: withResolvers, mocks: scalarMocks(base), preserveResolvers: true });
  return cached;
}
