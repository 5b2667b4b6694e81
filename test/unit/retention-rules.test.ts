// The retention rules' periods and boundaries, from the rules themselves: Swedish calendar days for end dates, whole days for sent mail, bounds the administrator cannot leave.
import { describe, expect, it } from 'vitest';
import { leftCutoffDate, outboxCutoff, periodAllowed, RETENTION_RULES, retentionRule } from '@shared/domain/retention';

describe('retention rules', () => {
  it('each rule has a legal basis, and the defaults are the issue’s: 90 days, 2 years, 10 years', () => {
    for (const rule of RETENTION_RULES) expect(rule.basis.length).toBeGreaterThan(10);
    expect(retentionRule('outbox-bodies')).toMatchObject({ unit: 'days', defaultValue: 90 });
    expect(retentionRule('people-who-left')).toMatchObject({ unit: 'years', defaultValue: 2 });
    expect(retentionRule('block-requests')).toMatchObject({ unit: 'years', defaultValue: 10, min: 10, max: 10 });
  });

  it('takes a period only within its bounds, never for a rule that follows another record or the region', () => {
    expect(periodAllowed(retentionRule('outbox-bodies'), 30)).toBe(true);
    expect(periodAllowed(retentionRule('outbox-bodies'), 29)).toBe(false);
    expect(periodAllowed(retentionRule('outbox-bodies'), 90.5)).toBe(false);
    expect(periodAllowed(retentionRule('block-requests'), 9)).toBe(false);
    expect(periodAllowed(retentionRule('audit-rows'), 5)).toBe(false);
    expect(periodAllowed(retentionRule('id-document-facts'), 1)).toBe(false);
  });

  it('counts an end date by the Swedish calendar: just after midnight in Sweden is already the next day', () => {
    // 31 May 22:30 UTC is 1 June 00:30 in Stockholm (summer time)
    expect(leftCutoffDate(new Date('2026-05-31T22:30:00Z'), 2)).toBe('2024-06-01');
    expect(leftCutoffDate(new Date('2026-05-31T21:30:00Z'), 2)).toBe('2024-05-31');
    // a leap day's person is due on 1 March in a common year, not a day early
    expect('2024-02-29' <= leftCutoffDate(new Date('2026-02-28T12:00:00Z'), 2)).toBe(false);
    expect('2024-02-29' <= leftCutoffDate(new Date('2026-03-01T12:00:00Z'), 2)).toBe(true);
  });

  it('puts the mail cutoff exactly the period before now', () => {
    expect(outboxCutoff(new Date('2026-06-01T10:00:00.000Z'), 90)).toBe('2026-03-03T10:00:00.000Z');
  });
});
