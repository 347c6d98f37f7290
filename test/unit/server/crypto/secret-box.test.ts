import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecretBox, hashSecret, loadOrCreateKeyFile, safeEqual } from '../../../../server/crypto/secret-box';

const KEY = Buffer.alloc(32, 1).toString('base64');
const OTHER = Buffer.alloc(32, 2).toString('base64');

describe('createSecretBox', () => {
  const box = createSecretBox(KEY);

  const rawOf = (sealed: string) => Buffer.from(sealed.slice('v1:'.length), 'base64');

  it.each(['kommo-token', '', 'ключ 🔑 with unicode'])('round-trips %p', (plain) => {
    const sealed = box.encrypt(plain);
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(box.decrypt(sealed)).toBe(plain);
  });

  it.each(['kommo-token', 'ключ 🔑 with unicode'])('does not store %p in the clear', (plain) => {
    const raw = rawOf(box.encrypt(plain));
    // IV (12 bytes) ‖ tag (16) ‖ one ciphertext byte per plaintext byte, none of them the plaintext.
    expect(raw).toHaveLength(28 + Buffer.byteLength(plain, 'utf8'));
    expect(raw.includes(Buffer.from(plain, 'utf8'))).toBe(false);
  });

  it('authenticates the empty string too', () => {
    const raw = rawOf(box.encrypt(''));
    expect(raw).toHaveLength(28);
    raw.writeUInt8(raw.readUInt8(12) ^ 0x01, 12);
    expect(() => box.decrypt(`v1:${raw.toString('base64')}`)).toThrow();
  });

  it('uses a new IV every time', () => {
    const a = box.encrypt('same');
    const b = box.encrypt('same');
    expect(a).not.toBe(b);
    const iv = (s: string) => rawOf(s).subarray(0, 12).toString('hex');
    expect(iv(a)).not.toBe(iv(b));
  });

  it('fails on tampered ciphertext, tag or IV', () => {
    const raw = rawOf(box.encrypt('secret value'));
    for (const index of [0, 12, raw.length - 1]) {
      const copy = Buffer.from(raw);
      copy[index] = (copy[index] ?? 0) ^ 0x01;
      expect(() => box.decrypt(`v1:${copy.toString('base64')}`)).toThrow();
    }
  });

  it('fails with the wrong key', () => {
    expect(() => createSecretBox(OTHER).decrypt(box.encrypt('secret'))).toThrow();
  });

  it('refuses an unknown format and a truncated value', () => {
    expect(() => box.decrypt('v2:abc')).toThrow('unknown ciphertext format');
    expect(() => box.decrypt('plain text')).toThrow('unknown ciphertext format');
    expect(() => box.decrypt('v1:AAAA')).toThrow();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createSecretBox(Buffer.alloc(16).toString('base64'))).toThrow('32 bytes');
  });
});

describe('loadOrCreateKeyFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lfk-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 0600 key file once, in a missing folder, and reuses it', () => {
    const dataDir = join(dir, 'nested', 'data');
    const key = loadOrCreateKeyFile(dataDir);
    const file = join(dataDir, 'encryption.key');
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${key}\n`);
    expect(loadOrCreateKeyFile(dataDir)).toBe(key);
    expect(createSecretBox(key).decrypt(createSecretBox(loadOrCreateKeyFile(dataDir)).encrypt('x'))).toBe('x');
  });

  it('reads an existing key file as is, trimmed', () => {
    writeFileSync(join(dir, 'encryption.key'), `  ${OTHER}\n\n`);
    expect(loadOrCreateKeyFile(dir)).toBe(OTHER);
  });

  it('generates a different key in another folder', () => {
    expect(loadOrCreateKeyFile(join(dir, 'a'))).not.toBe(loadOrCreateKeyFile(join(dir, 'b')));
  });
});

describe('safeEqual and hashSecret', () => {
  it('compares strings', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('', 'a')).toBe(false);
  });

  it('hashes a secret to stable hex SHA-256', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashSecret('abc')).not.toBe(hashSecret('abd'));
  });
});
