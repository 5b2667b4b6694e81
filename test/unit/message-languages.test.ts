// Issue 18: every message key in both languages, Swedish screens free of English and English screens free of Swedish, in the seeds' words.
import { describe, expect, it } from 'vitest';
import { en } from '@shared/i18n/en';
import { avoid, glossary } from '@shared/i18n/glossary';
import { sv } from '@shared/i18n/sv';

type Tree = { readonly [key: string]: unknown };

/** Every message as [dotted key, text]; nested objects are sections. */
function messages(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') return [[path, value] as [string, string]];
    return value !== null && typeof value === 'object' ? messages(value as Tree, path) : [];
  });
}

const svMessages = messages(sv);
const enMessages = messages(en);
// placeholders, product names and codes are the same in both languages
const neutral = (text: string): string =>
  text
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/\b(?:SITHS|eID|HSA-id|HSA-ID|Net iD|PSKC|CSV|XLSX|CRL|ATR|PIN|OK|LOV|RA|PIV|PKCS#15|TOTP|HOTP|Servicedesk|Excel)\b/g, ' ');

/** Words that only English has; matched as whole words in Swedish messages. */
const ENGLISH_TELLS = /(?<!\p{L})(?:the|and|or|is|are|not|with|expected|unknown|variable|error|failed|card|token|please|position|required|unbalanced|brace|was|has|of|to)(?!\p{L})/iu;
/** Letters and words that only Swedish has; matched in English messages. */
const SWEDISH_TELLS = /[åäöÅÄÖ]|(?<!\p{L})(?:och|inte|kort|kortet|dosa|dosor|spärr\p{L}*|enhet|fel|att|med|som|eller|saknas|finns|inga|ingen|har|kan|ska|den|det|av|om|vid|ny|nya|nytt|\p{L}*nummer)(?!\p{L})/iu;
/** English messages that name Swedish on purpose: the language switch, and the password rule about Swedish letters. */
// the password rule names the letters it forbids
const SWEDISH_ON_PURPOSE = new Set(['app.language', 'auth.rules.noSwedish', 'auth.firstRun.rules']);

describe('message keys in both languages', () => {
  it('sv and en have the same keys', () => {
    const svKeys = svMessages.map(([key]) => key).sort();
    const enKeys = enMessages.map(([key]) => key).sort();
    expect(enKeys.filter((key) => !svKeys.includes(key)), 'keys only in en').toEqual([]);
    expect(svKeys.filter((key) => !enKeys.includes(key)), 'keys only in sv').toEqual([]);
  });

  it('no English in Swedish messages', () => {
    const english = svMessages.filter(([, text]) => ENGLISH_TELLS.test(neutral(text)));
    expect(english).toEqual([]);
  });

  it('no Swedish in English messages', () => {
    const swedish = enMessages.filter(([key, text]) => !SWEDISH_ON_PURPOSE.has(key) && SWEDISH_TELLS.test(neutral(text)));
    expect(swedish).toEqual([]);
  });

  it("Swedish messages use the seeds' words (glossary), never the words it replaces", () => {
    const offending = svMessages.flatMap(([key, text]) => avoid.sv.filter(({ pattern }) => pattern.test(text)).map(({ use }) => `${key}: "${text}" — use "${use}"`));
    expect(offending).toEqual([]);
    const offendingEn = enMessages.flatMap(([key, text]) => avoid.en.filter(({ pattern }) => pattern.test(text)).map(({ use }) => `${key}: "${text}" — use "${use}"`));
    expect(offendingEn).toEqual([]);
  });

  it('no message repeats its own opening ("Inget importerades: Inget importerades: …")', () => {
    const repeated = [...svMessages, ...enMessages].filter(([, text]) => /^(.{6,}?[:—])\s*\1/.test(text));
    expect(repeated).toEqual([]);
  });

  it('the glossary gives every word in both languages', () => {
    expect(Object.keys(glossary.en).sort()).toEqual(Object.keys(glossary.sv).sort());
  });
});
