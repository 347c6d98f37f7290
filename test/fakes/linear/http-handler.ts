import type { IncomingMessage, ServerResponse } from 'node:http';
import { execute, type GraphQLSchema } from 'graphql';
import {
  RATE_LIMIT,
  authenticationErrorBody,
  badRequestBody,
  internalErrorBody,
  linearErrorOf,
  ratelimitedBody,
  validationErrorBody,
} from './errors';
import type { FakeActor } from './actor';
import type { FaultKind, FaultQueue } from './faults';
import { isProblem, parseGraphqlRequest } from './graphql-request';
import type { FakeLinearStore } from './store';

export interface FakeRequest {
  operationName: string | null;
  rootFields: string[];
  variables: Record<string, unknown>;
  /** Null while pending, or when the fake never answered (timeout, network-drop). */
  status: number | null;
  fault: FaultKind | null;
  at: string;
  /** Set when the fake itself crashed on this request (a bug in the fake, answered with 500). */
  error?: string;
  /** How the request authenticated: a personal API key or an OAuth access token. */
  auth?: 'apiKey' | 'oauth';
  /** Who the request acts as: the key's user, or the OAuth grant's actor (`user` or `app`). */
  actor?: FakeActor;
  /** The workspace the request ran in. */
  organizationId?: string;
}

export interface HandlerDeps {
  schema: GraphQLSchema;
  store: FakeLinearStore;
  faults: FaultQueue;
  requests: FakeRequest[];
  apiKeys: () => readonly string[];
  /** The workspace of an OAuth access token; 'expired' for an outdated or revoked one. */
  oauthWorkspace?: (accessToken: string) => FakeLinearStore | 'expired' | undefined;
  /** The `actor` the grant of an OAuth access token was made with. */
  oauthActor?: (accessToken: string) => 'user' | 'app' | undefined;
  delayMs: () => number;
  /** Aborted when the fake closes, so delayed requests stop waiting. */
  closing: AbortSignal;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-ratelimit-requests-limit': String(RATE_LIMIT),
    'x-ratelimit-requests-remaining': String(RATE_LIMIT - 1),
    'x-ratelimit-requests-reset': String(Date.now() + 1000),
    ...headers,
  });
  res.end(JSON.stringify(body));
  return status;
}

/** The workspace a request runs in: API keys reach the default one, OAuth tokens their own. */
function workspaceOf(header: string | undefined, deps: HandlerDeps, log: FakeRequest): FakeLinearStore | undefined {
  if (!header) return undefined;
  const bearer = header.startsWith('Bearer ');
  const key = (bearer ? header.slice('Bearer '.length) : header).trim();
  if (deps.apiKeys().includes(key)) {
    log.auth = 'apiKey';
    log.actor = 'apiKey';
    return deps.store;
  }
  // OAuth tokens are only accepted as `Bearer <token>` (https://linear.app/developers/oauth-2-0-authentication).
  const found = bearer ? deps.oauthWorkspace?.(key) : undefined;
  if (!found || found === 'expired') return undefined;
  log.auth = 'oauth';
  log.actor = deps.oauthActor?.(key) ?? 'user';
  return found;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}

/** One POST /graphql: delay → auth → body → validate → fault → execute. Returns the status sent, or null. */
async function handle(req: IncomingMessage, res: ServerResponse, deps: HandlerDeps, log: FakeRequest): Promise<number | null> {
  await delay(deps.delayMs(), deps.closing);
  if (deps.closing.aborted) return null;
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  if (path !== '/graphql') return send(res, 404, badRequestBody(`No route ${path}`));
  if (req.method !== 'POST') return send(res, 405, badRequestBody('Use POST'), { allow: 'POST' });
  const store = workspaceOf(req.headers.authorization, deps, log);
  if (!store) return send(res, 401, authenticationErrorBody);
  log.organizationId = store.organization.id;

  const raw = await readBody(req);
  if (raw === undefined) return send(res, 413, badRequestBody('Request body too large'));
  const parsed = parseGraphqlRequest(deps.schema, raw);
  if (isProblem(parsed)) {
    if (parsed.kind === 'body') return send(res, 400, badRequestBody(parsed.messages.join('; ')));
    const code = parsed.kind === 'parse' ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED';
    return send(res, 400, validationErrorBody(parsed.messages, code));
  }
  log.operationName = parsed.operationName;
  log.rootFields = parsed.rootFields;
  log.variables = parsed.variables;

  const fault = deps.faults.take(parsed.rootFields, parsed.operationName);
  log.fault = fault ?? null;
  if (fault === 'ratelimited') return send(res, 400, ratelimitedBody, { 'x-ratelimit-requests-remaining': '0' });
  if (fault === 'http500') return send(res, 500, internalErrorBody);
  if (fault === 'timeout') return null;
  if (fault === 'network-drop') {
    req.socket.destroy();
    return null;
  }

  const result = await execute({
    schema: deps.schema,
    document: parsed.document,
    variableValues: parsed.variables,
    operationName: parsed.operationName,
    contextValue: { store, ...(log.actor ? { actor: log.actor } : {}) },
  });
  if (fault === 'http500-after-commit') return send(res, 500, internalErrorBody);
  if (fault === 'timeout-after-commit') return null;
  const linearErrors = (result.errors ?? []).flatMap((e) => linearErrorOf(e) ?? []);
  const first = linearErrors[0];
  if (!first) return send(res, 200, result);
  const data: unknown =
    result.data ?? (first.nullRootField ? Object.fromEntries(parsed.rootFields.map((field) => [field, null])) : null);
  return send(res, first.httpStatus, { errors: (result.errors ?? []).map((e) => e.toJSON()), data });
}

export function createGraphqlHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const log: FakeRequest = { operationName: null, rootFields: [], variables: {}, status: null, fault: null, at: new Date().toISOString() };
    deps.requests.push(log);
    handle(req, res, deps, log).then(
      (status) => {
        log.status = status;
      },
      (error: unknown) => {
        log.error = error instanceof Error ? error.message : String(error);
        log.status = res.headersSent ? res.statusCode : send(res, 500, internalErrorBody);
      },
    );
  };
}
