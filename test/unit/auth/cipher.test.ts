import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seal, unseal, UnsealError } from '../../../src/store/cipher.ts';

const key = randomBytes(32);

describe('AES-256-GCM sealing', () => {
  it('opens what it sealed, with a fresh IV every time, and keeps iv ‖ tag ‖ ciphertext', () => {
    const value = 'sk-live-Ünïcode ✓ and a line\n';
    const a = seal(value, key, 'ws:NAME');
    const b = seal(value, key, 'ws:NAME');
    expect(a).not.toBe(b);
    expect(unseal(a, key, 'ws:NAME')).toBe(value);
    expect(unseal(b, key, 'ws:NAME')).toBe(value);
    expect(Buffer.from(a, 'base64').length).toBe(12 + 16 + Buffer.byteLength(value));
    expect(Buffer.from(a, 'base64').includes(Buffer.from(value))).toBe(false);
  });

  it('refuses a value with any byte flipped: iv, tag or ciphertext', () => {
    const sealed = Buffer.from(seal('top secret', key), 'base64');
    for (const at of [0, 11, 12, 27, 28, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at]! ^= 0x01;
      expect(() => unseal(tampered.toString('base64'), key), `byte ${at}`).toThrow(UnsealError);
    }
    expect(() => unseal(sealed.subarray(0, 20).toString('base64'), key)).toThrow(/not a sealed value/);
  });

  it('says ENCRYPTION_KEY changed when the key is not the one it was sealed with', () => {
    const sealed = seal('top secret', key);
    expect(() => unseal(sealed, randomBytes(32))).toThrow(
      /does not decrypt with the current ENCRYPTION_KEY: the key changed/,
    );
  });

  it('binds the value to its context: sealed for one name, it does not open as another', () => {
    expect(() => unseal(seal('v', key, 'ws-1:A'), key, 'ws-1:B')).toThrow(UnsealError);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => seal('v', randomBytes(16))).toThrow(/32 bytes/);
  });
});
