import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedToken } from '../../src-main/tokens/parsed-token';
import { parsePskc } from '../../src-main/tokens/pskc';
import { TokenFileError } from '../../src-main/tokens/token-file-error';
import { parseTokenFile } from '../../src-main/tokens/token-file';
import { buildPskc, generatePskcTokens } from '../sim/pskc-generator';
import type { PskcEncryption } from '../sim/pskc-generator';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

// Printable identifiers with XML's special characters inside, never blank at the ends (serials are trimmed).
const identifier = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9&<>"' .-]{0,18}[A-Za-z0-9])?$/);

const tokenFields = {
  manufacturer: fc.option(identifier, { nil: undefined }),
  algorithm: fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const),
  digits: fc.integer({ min: 6, max: 9 }),
  secret: fc.uint8Array({ minLength: 1, maxLength: 64 }),
};

const hotpToken = fc.record({
  ...tokenFields,
  kind: fc.constant('hotp' as const),
  counter: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
});

const totpToken = fc.record({
  ...tokenFields,
  kind: fc.constant('totp' as const),
  periodSeconds: fc.integer({ min: 1, max: 3600 }),
  t0: fc.integer({ min: 0, max: 2 ** 40 }),
  driftSteps: fc.integer({ min: -1_000_000, max: 1_000_000 }),
});

const tokenList = fc
  .uniqueArray(identifier, { minLength: 1, maxLength: 8 })
  .chain((serials) =>
    fc.tuple(...serials.map((serial) => fc.oneof(hotpToken, totpToken).map((token): ParsedToken => ({ ...token, serial })))),
  );

const encryptionSetup = fc.record({
  encryption: fc.constantFrom<PskcEncryption>('none', 'psk', 'pbkdf2'),
  keyBytes: fc.constantFrom(16, 24, 32),
  password: fc.string({ minLength: 1, maxLength: 20 }),
});

describe('PSKC round trip', () => {
  it('reads back exactly the tokens written, plain or encrypted', () => {
    fc.assert(
      fc.property(tokenList, encryptionSetup, (tokens, setup) => {
        const key = randomBytes(setup.keyBytes);
        const xml = buildPskc(tokens, { encryption: setup.encryption, key, password: setup.password, pbkdf2Iterations: 1 });
        const parsed = parsePskc(xml, { preSharedKey: key, password: setup.password });
        expect(parsed).toEqual(tokens.map((token) => ({ ...token, secret: Uint8Array.from(token.secret) })));
      }),
      { numRuns: 60 },
    );
  }, PROPERTY_BUDGET_MS);
});

const validFile = buildPskc(generatePskcTokens({ count: 3, kind: 'hotp' }), { encryption: 'psk', key: Buffer.alloc(16, 9) });
const decryption = { preSharedKey: Buffer.alloc(16, 9) };

// Fragments an attacker or a broken transfer might leave behind.
const fragment = fc.oneof(
  fc.constantFrom('<', '>', '/', '"', '=', '&', '&amp;', '&lol;', '&#0;', '<!DOCTYPE x>', '<!ENTITY e "x">'),
  fc.constantFrom(']]>', '<![CDATA[', '<a>', '</Key>', '\u0000', 'A', '0', ' '),
  fc.string({ maxLength: 4 }),
);

type Mutation = (text: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fragment).map(([at, text]): Mutation => (file) => {
    const position = at % (file.length + 1);
    return file.slice(0, position) + text + file.slice(position + 1);
  }),
  fc.tuple(fc.nat(), fragment).map(([at, text]): Mutation => (file) => {
    const position = at % (file.length + 1);
    return file.slice(0, position) + text + file.slice(position);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 50 })).map(([at, length]): Mutation => (file) => {
    const position = at % (file.length + 1);
    return file.slice(0, position) + file.slice(position + length);
  }),
  fc.nat().map((at): Mutation => (file) => file.slice(0, at % (file.length + 1))),
);

/** Either every token or our typed refusal; anything else (a TypeError, a short list) fails the property. */
function allOrTypedRefusal(run: () => { length: number }, expectedCount: number): void {
  try {
    expect(run().length).toBe(expectedCount);
  } catch (error) {
    if (!(error instanceof TokenFileError)) throw error;
  }
}

describe('damaged PSKC files', () => {
  it('never return part of the file and never fail with anything but TokenFileError', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const damaged = mutations.reduce((file, mutate) => mutate(file), validFile);
        allOrTypedRefusal(() => parsePskc(damaged, decryption), 3);
      }),
      { numRuns: 400 },
    );
  }, PROPERTY_BUDGET_MS);

  it('refuse every cut that loses the closing tag', () => {
    const lastByte = validFile.lastIndexOf('>') + 1;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: lastByte - 1 }), (cut) => {
        expect(() => parsePskc(validFile.slice(0, cut), decryption)).toThrow(TokenFileError);
      }),
      { numRuns: 300 },
    );
  }, PROPERTY_BUDGET_MS);

  it('treat arbitrary text and bytes as a typed refusal or a complete file', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array()), (input) => {
        try {
          parseTokenFile(input);
        } catch (error) {
          if (!(error instanceof TokenFileError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  }, PROPERTY_BUDGET_MS);
});
