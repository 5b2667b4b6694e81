import { describe, expect, it } from 'vitest';
import { auditRowHash, canonicalAuditRow, GENESIS_HASH, type AuditRow } from '../../src-main/services/audit-hash';

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

  it('is SHA-256 over a JSON array in column order, UTF-8, matching a value computed outside Node', () => {
    // computed with Python's json.dumps(separators=(",", ":"), ensure_ascii=False) and hashlib.sha256
    expect(canonicalAuditRow(row)).toBe('[1,"2025-03-01T08:15:00.000Z","Västerås sjukhus","anna.svensson","pin.changed","card","SE123456","ok","{\\"reader\\":\\"Virtual PCD 00 00\\"}","' + GENESIS_HASH + '"]');
    expect(auditRowHash(row)).toBe('d24e7bef1aca1d92a836b982de75cb036090d64b135047be79c3c6886529aa88');
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
    const hashes = new Set([auditRowHash(row), ...changed.map(auditRowHash)]);
    expect(hashes.size).toBe(changed.length + 1);
  });

  it('keeps field boundaries: text moved from one field to the next, or null versus "null", hashes differently', () => {
    expect(auditRowHash({ ...row, station: 'ab', actor: 'c' })).not.toBe(auditRowHash({ ...row, station: 'a', actor: 'bc' }));
    expect(auditRowHash({ ...row, station: 'a","b', actor: null })).not.toBe(auditRowHash({ ...row, station: 'a', actor: 'b' }));
    expect(auditRowHash({ ...row, actor: null })).not.toBe(auditRowHash({ ...row, actor: 'null' }));
  });
});
