import { describe, expect, it } from 'vitest';
import { auditHeadMac, auditRowHash, canonicalAuditRow, GENESIS_HASH, type AuditRow } from '../../src-main/audit/hash';

const key = Buffer.from(Array.from({ length: 32 }, (_, index) => index));
const hash = (row: AuditRow): string => auditRowHash(key, row);

const row: AuditRow = {
  id: 1,
  at: '2025-03-01T08:15:00.000Z',
  station: 'Västerås sjukhus',
  actor: 'anna.svensson',
  action: 'pin.changed',
  subject_type: 'card',
  subject_id: 'SE123456',
  outcome: 'ok',
  details: '{"reader":"Virtual PCD 00 00"}',
  prev_hash: GENESIS_HASH,
};

describe('the audit chain hash', () => {
  it('starts the chain from 64 zeros', () => {
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });

  it('is HMAC-SHA-256 under the audit key over a JSON array in column order, UTF-8, matching a value computed outside Node', () => {
    // computed with Python's json.dumps(separators=(",", ":"), ensure_ascii=False) and hmac.new(bytes(range(32)), …, hashlib.sha256)
    expect(canonicalAuditRow(row)).toBe('[1,"2025-03-01T08:15:00.000Z","Västerås sjukhus","anna.svensson","pin.changed","card","SE123456","ok","{\\"reader\\":\\"Virtual PCD 00 00\\"}","' + GENESIS_HASH + '"]');
    expect(hash(row)).toBe('44a3933519db505bd4ad3318f766668836fc81442a5358f5af7d9e700d9dccf1');
    expect(auditHeadMac(key, 'Västerås sjukhus', 7, 'ab'.repeat(32))).toBe('615bd87b12eb4ad6ebf8ef992f57ab904f05b8fbdfb2e9236c95166a36222db3');
  });

  it('cannot be recomputed without the key: plain SHA-256 or another key gives another value', () => {
    // plain SHA-256 of the same text, as the unkeyed chain stored it
    expect(hash(row)).not.toBe('d24e7bef1aca1d92a836b982de75cb036090d64b135047be79c3c6886529aa88');
    expect(auditRowHash(Buffer.alloc(32), row)).not.toBe(hash(row));
  });

  it('changes when any single field changes, including the id and the previous hash', () => {
    const changed: AuditRow[] = [
      { ...row, id: 2 },
      { ...row, at: '2025-03-01T08:15:00.001Z' },
      { ...row, station: 'Västerås sjukhus ' },
      { ...row, actor: null },
      { ...row, action: 'pin.unblocked' },
      { ...row, subject_type: 'token' },
      { ...row, subject_id: 'SE123457' },
      { ...row, outcome: 'failed' },
      { ...row, details: null },
      { ...row, prev_hash: 'f'.repeat(64) },
    ];
    const hashes = new Set([hash(row), ...changed.map(hash)]);
    expect(hashes.size).toBe(changed.length + 1);
  });

  it('keeps field boundaries: text moved from one field to the next, or null versus "null", hashes differently', () => {
    expect(hash({ ...row, station: 'ab', actor: 'c' })).not.toBe(hash({ ...row, station: 'a', actor: 'bc' }));
    expect(hash({ ...row, station: 'a","b', actor: null })).not.toBe(hash({ ...row, station: 'a', actor: 'b' }));
    expect(hash({ ...row, actor: null })).not.toBe(hash({ ...row, actor: 'null' }));
  });
});
