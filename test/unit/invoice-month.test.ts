import { describe, expect, it } from 'vitest';
import { isInvoiceMonth, lastDayOfMonth, localDate, monthMayClose, nextMonth, oreToKronor } from '@shared/domain/invoice-month';
import { groupByReference, salaryDeductions, type ChargeRow } from '../../src-main/reports/invoices';

describe('invoice months', () => {
  it('steps to the next month across a year end', () => {
    expect(nextMonth('2026-11')).toBe('2026-12');
    expect(nextMonth('2026-12')).toBe('2027-01');
  });

  it('knows each month\'s last day, leap years included', () => {
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2026-04')).toBe('2026-04-30');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
  });

  it('lets a month close on its last Swedish day or later, never before', () => {
    expect(monthMayClose('2026-11', new Date('2026-11-29T22:59:00Z'))).toBe(false);
    // 23:00 UTC on the 29th is already the 30th in Stockholm (UTC+1 in winter)
    expect(monthMayClose('2026-11', new Date('2026-11-29T23:00:00Z'))).toBe(true);
    expect(monthMayClose('2026-10', new Date('2026-11-01T00:00:00Z'))).toBe(true);
    expect(monthMayClose('2026-12', new Date('2026-11-30T12:00:00Z'))).toBe(false);
  });

  it('reads dates in Swedish time and checks the month format', () => {
    expect(localDate(new Date('2026-01-31T23:30:00Z'))).toBe('2026-02-01');
    expect(isInvoiceMonth('2026-13')).toBe(false);
    expect(isInvoiceMonth('2026-1')).toBe(false);
    expect(isInvoiceMonth('2026-01')).toBe(true);
  });

  it('turns öre into kronor without float noise', () => {
    expect(oreToKronor(20_000)).toBe(200);
    expect(oreToKronor(-12_345)).toBe(-123.45);
    expect(oreToKronor(10) + oreToKronor(20)).toBeCloseTo(0.3);
  });
});

describe('grouping charges per reference', () => {
  const charge = (id: number, reference: string | null, amountOre: number, person: { id: number; name: string; employeeNumber: string | null } | null = null): ChargeRow => ({
    id,
    at: '2026-10-05T10:00:00.000Z',
    kind: 'lost-token',
    amount_ore: amountOre,
    station: 'A',
    reference,
    unit_id: 1,
    unit_name: reference === null ? null : `Enhet ${reference}`,
    person_id: person?.id ?? null,
    person_name: person?.name ?? null,
    employee_number: person?.employeeNumber ?? null,
    serial: `S${id}`,
    correction_of: null,
  });

  it('gives one basis per reference the unit was charged on with its total, and none for the rest', () => {
    const bases = groupByReference([charge(1, 'K1', 20_000), charge(2, 'K2', 20_000), charge(3, 'K1', 10), charge(4, 'K1', -20_000)]);
    expect(bases.map((basis) => [basis.reference, basis.total, basis.lines.length])).toEqual([
      ['K1', 0.1, 3],
      ['K2', 200, 1],
    ]);
    expect(bases[0]?.lines[0]).toMatchObject({ chargeId: 1, date: '2026-10-05', serial: 'S1', amount: 200 });
    expect(groupByReference([])).toEqual([]);
  });

  it('puts what a person pays under salary deduction by name and employee number, not on the unit\'s reference', () => {
    const anna = { id: 7, name: 'Anna Berg', employeeNumber: 'A-1001' };
    const bo = { id: 8, name: 'Bo Ek', employeeNumber: null };
    const rows = [charge(1, 'K1', 20_000, bo), charge(2, 'K1', 20_000), charge(3, 'K2', 20_000, anna), charge(4, 'K2', -20_000, anna)];
    expect(groupByReference(rows).map((basis) => [basis.reference, basis.total])).toEqual([['K1', 200]]);
    const deductions = salaryDeductions(rows);
    expect(deductions.total).toBe(200);
    expect(deductions.lines.map((line) => [line.name, line.employeeNumber, line.chargeId, line.amount])).toEqual([
      ['Anna Berg', 'A-1001', 3, 200],
      ['Anna Berg', 'A-1001', 4, -200],
      ['Bo Ek', null, 1, 200],
    ]);
  });

  it('keeps charges with no reference together rather than dropping them', () => {
    expect(groupByReference([charge(1, null, 500)]).map((basis) => basis.reference)).toEqual([null]);
  });
});
