/**
 * The fake Linear's OAuth endpoints (https://linear.app/developers/oauth-2-0-authentication):
 * `GET /oauth/authorize` (a consent page with Approve and Deny buttons a browser can click; the
 * workspace is picked on the page, as in Linear), `POST /oauth/token` (form-encoded,
 * `authorization_code` and `refresh_token` grants, client auth by parameters or HTTP Basic) and
 * `POST /oauth/revoke` (form field `token`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LINEAR_SCOPES, type FakeOAuthGrants } from './oauth-grants';
import type { FakeLinearStore } from './store';

export interface OAuthHttpDeps {
  grants: FakeOAuthGrants;
  workspaces(): FakeLinearStore[];
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Linear</title></head><body>${html}</body></html>`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The authorize request's problem, as Linear's error page would name it; undefined when valid. */
function authorizeProblem(deps: OAuthHttpDeps, q: URLSearchParams): string | undefined {
  const app = deps.grants.app;
  if (!app || q.get('client_id') !== app.clientId) return 'Invalid client_id';
  if (!app.redirectUris.includes(q.get('redirect_uri') ?? '')) return 'Invalid redirect_uri: not one of the app’s callback URLs';
  if (q.get('response_type') !== 'code') return 'response_type must be code';
  const scopes = (q.get('scope') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(LINEAR_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) return `Invalid scope: ${unknown.join(', ')}`;
  const actor = q.get('actor');
  if (actor !== null && actor !== 'user' && actor !== 'app') return 'actor must be user or app';
  return undefined;
}

function consentPage(deps: OAuthHttpDeps, q: URLSearchParams): string {
  const hidden = ['client_id', 'redirect_uri', 'scope', 'state', 'actor']
    .map((name) => `<input type="hidden" name="${name}" value="${escape(q.get(name) ?? '')}">`)
    .join('');
  const options = deps.workspaces().map((w) => `<option value="${escape(w.organization.id)}">${escape(w.organization.name)}</option>`).join('');
  return `<h1>Authorize app</h1><p>The app asks for: ${escape(q.get('scope') ?? 'read')}</p>
<form method="post" action="/oauth/authorize">${hidden}
<label>Workspace <select name="organization">${options}</select></label>
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`;
}

function redirect(res: ServerResponse, to: string, params: Record<string, string>): void {
  const url = new URL(to);
  for (const [k, v] of Object.entries(params)) if (v !== '') url.searchParams.set(k, v);
  res.writeHead(302, { location: url.toString() });
  res.end();
}

/** Client authentication by HTTP Basic or by form parameters. */
function clientOf(req: IncomingMessage, form: URLSearchParams): { id: string; secret: string } {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  return { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
}

async function token(req: IncomingMessage, res: ServerResponse, deps: OAuthHttpDeps): Promise<void> {
  const form = await readForm(req);
  if (!form) return sendJson(res, 400, { error: 'invalid_request', error_description: 'Use application/x-www-form-urlencoded' });
  const app = deps.grants.app;
  const client = clientOf(req, form);
  if (!app || client.id !== app.clientId || client.secret !== app.clientSecret) {
    return sendJson(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
  }
  const grantType = form.get('grant_type');
  const outcome =
    grantType === 'authorization_code'
      ? deps.grants.exchangeCode(form.get('code') ?? '', form.get('redirect_uri') ?? undefined)
      : grantType === 'refresh_token'
        ? deps.grants.refreshWith(form.get('refresh_token') ?? '')
        : undefined;
  if (!outcome) return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `grant_type ${grantType ?? '(none)'} is not supported` });
  if (!outcome.ok) return sendJson(res, outcome.status, { error: outcome.error, error_description: outcome.description });
  sendJson(res, 200, outcome.answer);
}

async function authorize(req: IncomingMessage, res: ServerResponse, deps: OAuthHttpDeps, url: URL): Promise<void> {
  if (req.method === 'GET') {
    const problem = authorizeProblem(deps, url.searchParams);
    return problem ? sendHtml(res, 400, `<h1>Authorization error</h1><p>${escape(problem)}</p>`) : sendHtml(res, 200, consentPage(deps, url.searchParams));
  }
  const form = await readForm(req);
  const problem = form ? authorizeProblem(deps, new URLSearchParams({ ...Object.fromEntries(form), response_type: 'code' })) : 'Bad form';
  if (!form || problem) return sendHtml(res, 400, `<h1>Authorization error</h1><p>${escape(problem ?? '')}</p>`);
  const redirectUri = form.get('redirect_uri') ?? '';
  const state = form.get('state') ?? '';
  if (form.get('decision') !== 'approve') return redirect(res, redirectUri, { error: 'access_denied', state });
  const organizationId = form.get('organization') ?? '';
  if (!deps.workspaces().some((w) => w.organization.id === organizationId)) return sendHtml(res, 400, '<p>Unknown workspace</p>');
  const scope = ['read', ...(form.get('scope') ?? '').split(',').map((s) => s.trim()).filter((s) => s && s !== 'read')];
  const code = deps.grants.issueCode({ organizationId, redirectUri, scope, actor: form.get('actor') === 'app' ? 'app' : 'user' });
  redirect(res, redirectUri, { code, state });
}

/** Handles `/oauth/*`; false when the path is not one of them. */
export async function handleOAuth(req: IncomingMessage, res: ServerResponse, deps: OAuthHttpDeps): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/oauth/authorize' && (req.method === 'GET' || req.method === 'POST')) await authorize(req, res, deps, url);
  else if (url.pathname === '/oauth/token' && req.method === 'POST') await token(req, res, deps);
  else if (url.pathname === '/oauth/revoke' && req.method === 'POST') {
    const form = await readForm(req);
    const value = form?.get('token');
    if (!value) sendJson(res, 400, { error: 'invalid_request', error_description: 'token is required' });
    else {
      deps.grants.revokeToken(value);
      res.writeHead(200);
      res.end();
    }
  } else return false;
  return true;
}
