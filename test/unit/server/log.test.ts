import { Writable } from 'node:stream';
import { createLogger, maskSecretPath } from '../../../server/log';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const text = () => chunks.join('');
  return { stream, text, lines: () => text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes JSON lines with the level label, service and time', () => {
    const out = capture();
    createLogger('info', out.stream).info({ leadId: 5 }, 'hello');
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 'info', service: 'linear-for-kommo', leadId: 5, msg: 'hello' });
    expect(typeof line?.time).toBe('string');
  });

  it('drops lines below the level', () => {
    const out = capture();
    const log = createLogger('warn', out.stream);
    log.info('quiet');
    log.warn('loud');
    expect(out.lines().map((l) => l.msg)).toEqual(['loud']);
  });

  it('redacts secrets by key at the top level, one and two levels down, and in headers', () => {
    const out = capture();
    createLogger('info', out.stream).info(
      {
        authorization: 'Bearer top-secret-1',
        accessToken: 'top-secret-2',
        installation: { apiKey: 'top-secret-3', name: 'kept' },
        req: { headers: { 'x-auth-token': 'top-secret-4', authorization: 'top-secret-5', accept: 'json' } },
        headers: { 'x-auth-token': 'top-secret-6' },
        linear: { client: { apiKey: 'top-secret-7' } },
      },
      'call',
    );
    expect(out.text()).not.toMatch(/top-secret/);
    const [line] = out.lines();
    expect(line).toMatchObject({
      authorization: '[redacted]',
      accessToken: '[redacted]',
      installation: { apiKey: '[redacted]', name: 'kept' },
      req: { headers: { 'x-auth-token': '[redacted]', authorization: '[redacted]', accept: 'json' } },
      headers: { 'x-auth-token': '[redacted]' },
      linear: { client: { apiKey: '[redacted]' } },
    });
  });

  it('leaves fields that only look like secrets alone', () => {
    const out = capture();
    createLogger('info', out.stream).info({ tokenCount: 3, secretive: 'no' }, 'x');
    expect(out.lines()[0]).toMatchObject({ tokenCount: 3, secretive: 'no' });
  });
});

describe('maskSecretPath', () => {
  it.each([
    ['/webhooks/kommo/s3cr3t-value', '/webhooks/kommo/***'],
    ['/webhooks/kommo/s3cr3t?x=1', '/webhooks/kommo/***?x=1'],
    ['https://host.example/webhooks/kommo/s3cr3t/extra#frag', 'https://host.example/webhooks/kommo/***/extra#frag'],
    ['/webhooks/linear', '/webhooks/linear'],
    ['/webhooks/kommo/', '/webhooks/kommo/'],
    ['/api/widget/leads/5', '/api/widget/leads/5'],
  ])('%s → %s', (path, masked) => {
    expect(maskSecretPath(path)).toBe(masked);
  });
});

it('maskSecretPath masks the secret whatever the case of the route prefix', () => {
  expect(maskSecretPath('/Webhooks/Kommo/s3cr3t')).not.toContain('s3cr3t');
});
