import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { procedures } from '@shared/contract';

/** What the router tells the caller about a refused input: the issues' messages. */
const refusal = (name: keyof typeof procedures, input: unknown): string => {
  const result = v.safeParse(procedures[name].input, input);
  expect(result.success).toBe(false);
  return (result.issues ?? []).map((issue) => issue.message).join('; ');
};

describe('token procedures refuse without quoting secrets', () => {
  it('never echoes a code, key, password or file content in a refusal', () => {
    expect(refusal('tokens.issue', { personId: 1, category: 'kommunal', serial: 'KS1', code: '12345' })).not.toContain('12345');
    expect(refusal('tokens.check', { code: '98765432109' })).not.toContain('98765432109');
    expect(refusal('tokens.swapDefective', { oldSerial: 'A', newSerial: 'B', code: 'abcdef' })).not.toContain('abcdef');
    expect(refusal('tokens.import', { contentBase64: 'c2VlZA==', preSharedKeyHex: '00112233' })).not.toContain('00112233');
    expect(refusal('tokens.import', { contentBase64: '<Secret>SEEDSEED</Secret>' })).not.toContain('SEEDSEED');
  });

  it('accepts 6–8 digit codes and bounded serials only', () => {
    const issue = procedures['tokens.issue'].input;
    const idDocument = { type: 'pass', lastFour: '1234', expiry: '2035-01-01', note: null };
    expect(v.safeParse(issue, { personId: 1, category: 'lov', serial: '  KS000001 ', code: '12345678', idDocument })).toMatchObject({ success: true, output: { serial: 'KS000001' } });
    // no link without the ID document, and an override needs a reason worth the name
    expect(v.safeParse(issue, { personId: 1, category: 'lov', serial: 'KS000001', code: '12345678' }).success).toBe(false);
    expect(v.safeParse(issue, { personId: 1, category: 'lov', serial: 'KS000001', code: '12345678', idDocument, kindOverrideReason: ' ' }).success).toBe(false);
    expect(v.safeParse(issue, { personId: 1, category: 'lov', serial: 'x'.repeat(65), code: '123456' }).success).toBe(false);
    expect(v.safeParse(issue, { personId: 1, category: 'lov', serial: 'KS\u0000', code: '123456' }).success).toBe(false);
    expect(v.safeParse(issue, { personId: 1, category: 'region', serial: 'KS1', code: '123456' }).success).toBe(false);
    expect(v.safeParse(procedures['tokens.markSent'].input, { serials: [] }).success).toBe(false);
  });
});
