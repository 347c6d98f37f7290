import { GraphQLError } from 'graphql';

/** The `extensions` Linear puts on its errors; the SDK picks its error class from `type`. */
export interface LinearErrorExtensions {
  code: string;
  type: string;
  userError: boolean;
  userPresentableMessage?: string;
  statusCode?: number;
}

export interface LinearErrorBody {
  errors: { message: string; path?: readonly (string | number)[]; extensions: LinearErrorExtensions }[];
  data?: unknown;
}

/**
 * Thrown by resolvers. `httpStatus` is the status Linear answers with, and `nullRootField` says
 * whether the response keeps `data: { <field>: null }` (queries) instead of `data: null` (mutations).
 */
export class LinearApiError extends Error {
  constructor(
    message: string,
    readonly extensions: LinearErrorExtensions,
    readonly httpStatus = 400,
    readonly nullRootField = false,
  ) {
    super(message);
    this.name = 'LinearApiError';
  }
}

export function inputError(message: string, userPresentableMessage = message): LinearApiError {
  return new LinearApiError(message, {
    code: 'INPUT_ERROR',
    type: 'invalid input',
    userError: true,
    userPresentableMessage,
  });
}

export function entityNotFound(entity: string, asQuery = false): LinearApiError {
  return new LinearApiError(
    `Entity not found: ${entity}`,
    {
      code: 'INPUT_ERROR',
      type: 'invalid input',
      userError: true,
      userPresentableMessage: `Could not find referenced ${entity}.`,
    },
    400,
    asQuery,
  );
}

export function linearErrorOf(error: GraphQLError): LinearApiError | undefined {
  return error.originalError instanceof LinearApiError ? error.originalError : undefined;
}

export const authenticationErrorBody: LinearErrorBody = {
  errors: [
    {
      message: 'Authentication required, not authenticated',
      extensions: { code: 'AUTHENTICATION_ERROR', type: 'authentication error', userError: true },
    },
  ],
};

export function validationErrorBody(messages: readonly string[], code = 'GRAPHQL_VALIDATION_FAILED'): LinearErrorBody {
  return {
    errors: messages.map((message) => ({
      message,
      extensions: { code, type: 'graphql error', userError: false },
    })),
  };
}

export function badRequestBody(message: string): LinearErrorBody {
  return {
    errors: [{ message, extensions: { code: 'BAD_REQUEST', type: 'graphql error', userError: false } }],
  };
}

export const RATE_LIMIT = 2500;

export const ratelimitedBody: LinearErrorBody = {
  errors: [
    {
      message: `Rate limit exceeded. Only ${RATE_LIMIT} requests are allowed per 1 hour and you have made ${RATE_LIMIT} requests in the last hour.`,
      extensions: { type: 'ratelimited', code: 'RATELIMITED', statusCode: 429, userError: true },
    },
  ],
};

export const internalErrorBody: LinearErrorBody = {
  errors: [
    {
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR', type: 'internal error', userError: false },
    },
  ],
};
