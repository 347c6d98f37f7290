import {
  getNamedType,
  getNullableType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { loadLinearSchema } from '../../helpers/linear-schema';
import { isRecord } from './util';

const ACTOR_TYPES: Record<string, string> = {
  user: 'UserActorWebhookPayload',
  oauthClient: 'OauthClientActorWebhookPayload',
  integration: 'IntegrationActorWebhookPayload',
  externalUser: 'ExternalUserActorWebhookPayload',
};

function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type in the Linear schema`);
  return type;
}

function checkScalar(name: string, value: unknown, path: string): string[] {
  const ok =
    name === 'String' || name === 'ID' || name === 'DateTime'
      ? typeof value === 'string'
      : name === 'Float' || name === 'Int'
        ? typeof value === 'number'
        : name === 'Boolean'
          ? typeof value === 'boolean'
          : name === 'JSONObject'
            ? isRecord(value)
            : true;
  return ok ? [] : [`${path}: expected ${name}, got ${JSON.stringify(value)}`];
}

function checkValue(schema: GraphQLSchema, type: GraphQLOutputType, value: unknown, path: string): string[] {
  if (value === null || value === undefined) {
    return isNonNullType(type) ? [`${path}: non-null field is ${value === null ? 'null' : 'missing'}`] : [];
  }
  const inner = getNullableType(type);
  if (isListType(inner)) {
    if (!Array.isArray(value)) return [`${path}: expected a list`];
    return value.flatMap((item: unknown, i) => checkValue(schema, inner.ofType, item, `${path}[${i}]`));
  }
  const named = getNamedType(inner);
  if (isScalarType(named)) return checkScalar(named.name, value, path);
  if (isObjectType(named)) return checkObject(schema, named, value, path);
  if (isUnionType(named) && isRecord(value)) {
    const actorType = typeof value.type === 'string' ? ACTOR_TYPES[value.type] : undefined;
    return actorType ? checkObject(schema, objectType(schema, actorType), value, path) : [];
  }
  return [];
}

function checkObject(schema: GraphQLSchema, type: GraphQLObjectType, value: unknown, path: string): string[] {
  if (!isRecord(value)) return [`${path}: expected an object (${type.name})`];
  const fields = type.getFields();
  const problems: string[] = [];
  for (const key of Object.keys(value)) {
    if (!fields[key]) problems.push(`${path}.${key}: not a field of ${type.name}`);
  }
  for (const field of Object.values(fields)) {
    problems.push(...checkValue(schema, field.type, value[field.name], `${path}.${field.name}`));
  }
  return problems;
}

/**
 * Problems with an Issue or Comment webhook body, checked against `EntityWebhookPayload` and
 * `IssueWebhookPayload` / `CommentWebhookPayload` (unknown keys, missing non-null fields, wrong scalar kinds). Empty = valid.
 */
export function validateWebhookPayloadShape(payload: unknown, schema: GraphQLSchema = loadLinearSchema()): string[] {
  if (!isRecord(payload)) return ['payload: expected an object'];
  const envelope = objectType(schema, 'EntityWebhookPayload');
  const { data, ...rest } = payload;
  const problems = checkObject(schema, envelope, { ...rest, data: {} }, 'payload').filter((p) => !p.startsWith('payload.data'));
  if (data === undefined || data === null) return [...problems, 'payload.data: non-null field is missing'];
  const dataType = payload.type === 'Issue' ? 'IssueWebhookPayload' : payload.type === 'Comment' ? 'CommentWebhookPayload' : undefined;
  if (!dataType) return [...problems, `payload.type: only Issue and Comment payloads are checked, got ${JSON.stringify(payload.type)}`];
  return [...problems, ...checkObject(schema, objectType(schema, dataType), data, 'payload.data')];
}
