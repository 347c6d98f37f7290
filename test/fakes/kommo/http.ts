import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ZodError } from 'zod';
import type { Json } from './types';

/** What a route answers; the server writes it after fault injection has had its say. */
export interface Reply {
  status: number;
  contentType?: string;
  body?: Json | string;
  headers?: Record<string, string>;
}

export interface ValidationIssue {
  code: string;
  path: string;
  detail: string;
}

export function hal(body: Json, status = 200): Reply {
  return { status, contentType: 'application/hal+json', body };
}

export function noContent(): Reply {
  return { status: 204 };
}

export function problem(status: number, detail: string, extra: { [key: string]: Json } = {}): Reply {
  const body: Json = { title: STATUS_CODES[status] ?? 'Error', type: `https://httpstatus.es/${status}`, status, detail, ...extra };
  return { status, contentType: 'application/problem+json', body };
}

/** Kommo API v4's 400 for rejected fields: problem+json whose `validation-errors` name each field's code, path and detail. */
export function validationProblem(issues: ValidationIssue[], requestId = '0'): Reply {
  return problem(400, 'Request validation failed', {
    'validation-errors': [{ request_id: requestId, errors: issues.map((i) => ({ code: i.code, path: i.path, detail: i.detail })) }],
  });
}

export function zodIssues(error: ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ code: 'InvalidType', path: i.path.map(String).join('.'), detail: i.message }));
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (reply.body !== undefined && reply.status !== 204) {
    payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    headers['content-type'] = reply.contentType ?? (typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json');
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}
