// The register's retention rules (gallring) in one place: how long each kind of data is kept, within which bounds the organisation administrator may change it, and the legal basis for it.
import { localDate } from './invoice-month';

export const RETENTION_RULE_IDS = ['outbox-bodies', 'people-who-left', 'id-document-facts', 'block-requests', 'audit-rows'] as const;
export type RetentionRuleId = (typeof RETENTION_RULE_IDS)[number];

export interface RetentionRule {
  id: RetentionRuleId;
  /** 'days' or 'years' after the rule's starting point; null for a rule that follows another record or is not run here. */
  unit: 'days' | 'years' | null;
  defaultValue: number | null;
  /** The bounds an organisation administrator may set the period within; equal bounds: fixed. */
  min: number | null;
  max: number | null;
  /** The law or rule the period rests on. */
  basis: string;
}

export const RETENTION_RULES: readonly RetentionRule[] = [
  {
    id: 'outbox-bodies',
    unit: 'days',
    defaultValue: 90,
    min: 30,
    max: 365,
    // the text of a sent message is needed only to answer questions about it; who got what and when stays
    basis: 'GDPR art. 5.1 c och e (uppgiftsminimering, lagringsbegränsning)',
  },
  {
    id: 'people-who-left',
    unit: 'years',
    defaultValue: 2,
    min: 1,
    max: 10,
    // questions about a returned card or an unpaid lost token come within this time; ids stay for invoicing (bokföringslagen 7 kap.)
    basis: 'GDPR art. 5.1 e (lagringsbegränsning), art. 17.1 a; räknat från slutdatum, bara när inget kort eller ingen dosa innehas',
  },
  {
    id: 'id-document-facts',
    unit: null,
    defaultValue: null,
    min: null,
    max: null,
    // the facts prove the handover; they go when the person's handover record is erased
    basis: 'GDPR art. 5.1 c och e; följer utlämningsposten och tas bort med personen',
  },
  {
    id: 'block-requests',
    unit: 'years',
    defaultValue: 10,
    min: 10,
    max: 10,
    basis: 'Ineras krav för SITHS: spärrbegäranden sparas i 10 år',
  },
  {
    id: 'audit-rows',
    unit: null,
    defaultValue: null,
    min: null,
    max: null,
    // removing rows from the chain's start needs a verifiable new start (an anchor) first: kept until the region decides
    basis: 'Regionens informationssäkerhetspolicy (loggar, HSLF-FS 2016:40 4 kap. 9 §); sparas tills regionen beslutat',
  },
];

export const retentionRule = (id: RetentionRuleId): RetentionRule => RETENTION_RULES.find((rule) => rule.id === id)!;

/** Whether a chosen period is within the rule's bounds. */
export function periodAllowed(rule: RetentionRule, value: number): boolean {
  return rule.min !== null && rule.max !== null && Number.isInteger(value) && value >= rule.min && value <= rule.max;
}

/** The instant before which a message sent is past its period: `days` whole days before now. */
export function outboxCutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

/** The last end date (Swedish calendar day) whose person is past the period today: the same day `years` years back. */
export function leftCutoffDate(now: Date, years: number): string {
  const today = localDate(now);
  return `${String(Number(today.slice(0, 4)) - years).padStart(4, '0')}${today.slice(4)}`;
}
