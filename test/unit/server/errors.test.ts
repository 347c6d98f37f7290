import { AppError, ERROR_CODES, httpStatusOf, isAppError, kommoAccessProblemOf, logLevelOf, toAppError, type ErrorCode } from '../../../server/errors';

describe('AppError', () => {
  it("takes the code's retryable default, which options can override", () => {
    expect(new AppError('kommo_unavailable', 'x').retryable).toBe(true);
    expect(new AppError('bad_request', 'x').retryable).toBe(false);
    expect(new AppError('kommo_rejected', 'x', { retryable: true }).retryable).toBe(true);
  });

  it('keeps the cause, retryAfterMs and field', () => {
    const cause = new Error('root');
    const error = new AppError('kommo_rate_limited', 'slow down', { cause, retryAfterMs: 2000, field: 'leads' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AppError');
    expect(error.cause).toBe(cause);
    expect(error.retryAfterMs).toBe(2000);
    expect(error.field).toBe('leads');
    expect('cause' in new AppError('internal', 'x')).toBe(false);
  });
});

describe('httpStatusOf and logLevelOf', () => {
  it.each([
    ['bad_request', 400, 'info'],
    ['payload_too_large', 413, 'info'],
    ['unsupported_media_type', 415, 'info'],
    ['unauthorized', 401, 'info'],
    ['forbidden', 403, 'info'],
    ['not_found', 404, 'info'],
    ['conflict', 409, 'info'],
    ['not_configured', 409, 'info'],
    ['installation_disabled', 409, 'info'],
    ['unavailable', 503, 'warn'],
    ['internal', 500, 'error'],
    ['kommo_unauthorized', 502, 'warn'],
    ['kommo_rate_limited', 503, 'warn'],
    ['kommo_unavailable', 503, 'warn'],
    ['linear_invalid_input', 502, 'warn'],
    ['linear_rate_limited', 503, 'warn'],
  ] as const)('%s → HTTP %i, logged at %s', (code, status, level) => {
    const error = new AppError(code, 'x');
    expect(httpStatusOf(error)).toBe(status);
    expect(logLevelOf(error)).toBe(level);
  });

  it('maps every code to a 4xx or 5xx status and never retries a 4xx', () => {
    for (const [code, { status, retryable }] of Object.entries(ERROR_CODES) as Array<[ErrorCode, (typeof ERROR_CODES)[ErrorCode]]>) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      if (status < 500) expect([code, retryable]).toEqual([code, false]);
    }
  });
});

describe('kommoAccessProblemOf', () => {
  it.each([
    ['kommo_account_unpaid', 'unpaid'],
    ['kommo_access_restricted', 'restricted'],
    ['kommo_unauthorized', 'unauthorized'],
    ['kommo_forbidden', undefined],
    ['kommo_rejected', undefined],
    ['kommo_unavailable', undefined],
  ] as const)('%s → %s', (code, problem) => {
    expect(kommoAccessProblemOf(new AppError(code, 'x'))).toBe(problem);
  });

  it('is undefined for anything but an AppError', () => {
    expect(kommoAccessProblemOf(Object.assign(new Error('x'), { code: 'kommo_account_unpaid' }))).toBeUndefined();
  });
});

describe('toAppError', () => {
  it('returns an AppError unchanged', () => {
    const error = new AppError('not_found', 'x');
    expect(toAppError(error)).toBe(error);
  });

  it('wraps an Error as internal and retryable, keeping it as the cause', () => {
    const cause = new TypeError('boom');
    const error = toAppError(cause);
    expect(isAppError(error)).toBe(true);
    expect(error.code).toBe('internal');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('Unexpected error: boom');
    expect(error.cause).toBe(cause);
  });

  it.each([
    ['a string', 'oops', 'Unexpected error: oops'],
    ['a number', 42, 'Unexpected error: 42'],
    ['undefined', undefined, 'Unexpected error: undefined'],
    ['an object', { code: 1 }, 'Unexpected error: [object Object]'],
  ])('wraps %s', (_what, value, message) => {
    expect(toAppError(value)).toMatchObject({ code: 'internal', message });
  });

  it('isAppError is false for look-alikes', () => {
    expect(isAppError({ code: 'internal', message: 'x', retryable: true })).toBe(false);
    expect(isAppError(new Error('x'))).toBe(false);
  });
});
