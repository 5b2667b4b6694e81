import { describe, expect, it } from 'vitest';
import { activityPerMonth, expiriesPerMonth, stockByUnit } from '@shared/domain/dashboard';

describe('dashboard figures', () => {
  it('counts stock per unit and state, dropping states nobody has', () => {
    const rows = [
      { unit: 'Öst', state: 'in-stock', count: 5, station: 'A' },
      { unit: 'Öst', state: 'in-stock', count: 2, station: 'B' },
      { unit: 'Väst', state: 'issued', count: 3, station: 'A' },
    ];
    expect(stockByUnit(rows, ['in-stock', 'issued', 'lost'])).toEqual({
      labels: ['Väst', 'Öst'],
      series: [
        { label: 'in-stock', values: [0, 7] },
        { label: 'issued', values: [3, 0] },
      ],
    });
  });

  it('orders months oldest first and reads missing counts as zero', () => {
    const rows = [
      { month: '2026-11', handovers: 4, returns: null },
      { month: '2026-10', handovers: 1, returns: 2 },
    ];
    expect(activityPerMonth(rows, ['handovers', 'returns'])).toEqual({
      labels: ['2026-10', '2026-11'],
      series: [
        { label: 'handovers', values: [1, 4] },
        { label: 'returns', values: [2, 0] },
      ],
    });
  });

  it('groups expiring certificates by the month they end', () => {
    expect(expiriesPerMonth([{ notAfter: '2027-01-02' }, { notAfter: '2026-12-31' }, { notAfter: '2027-01-20' }, { notAfter: null }])).toEqual({
      labels: ['2026-12', '2027-01'],
      series: [{ label: 'expiring', values: [1, 2] }],
    });
  });
});
