// Procedures of the register's privacy duties: a person's register extract (GDPR art. 15), erasure (art. 17) and retention (gallring, art. 5.1 e).
import * as v from 'valibot';
import { RETENTION_RULE_IDS, type RetentionRule, type RetentionRuleId } from '../domain/retention';
import { procedure, type Role } from './procedure';
import type { EmploymentType, PersonUnit } from './people';

/** One audit row naming the person, as the holder is shown it: who did what to their data, where and when. */
export interface ExtractAuditEntry {
  id: number;
  at: string;
  station: string;
  /** The staff member's name, "cli:<user>", or null when the station acted on its own. */
  actor: string | null;
  action: string;
  outcome: string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown> | null;
}

export interface ExtractEvent {
  at: string;
  action: string;
  actor: string | null;
  details: Record<string, unknown> | null;
}

export interface ExtractCard {
  orderId: number;
  orderDate: string;
  orderReference: string;
  state: string;
  cardNumber: string | null;
  photographedAt: string | null;
  readyAt: string | null;
  handedOverAt: string | null;
  certificatesNotAfter: string | null;
  events: (ExtractEvent & { station: string })[];
  blockRequests: { at: string; reason: string; reportedBy: string; note: string | null; station: string; keepUntil: string }[];
}

/** What was noted of the ID document shown at a handover. */
export interface ExtractIdDocument {
  at: string;
  orderId: number;
  type: string | null;
  lastFour: string | null;
  expiry: string | null;
  note: string | null;
}

export interface ExtractToken {
  serial: string;
  category: string | null;
  /** Whether the person holds it now. */
  held: boolean;
  events: ExtractEvent[];
}

export interface ExtractCharge {
  at: string;
  month: string;
  kind: string;
  amountOre: number;
  reference: string | null;
  tokenSerial: string | null;
}

export interface ExtractMail {
  createdAt: string;
  sentAt: string | null;
  state: string;
  to: string;
  subject: string;
  body: string;
}

export interface RegisterExtract {
  producedAt: string;
  station: string;
  person: {
    id: number;
    firstName: string;
    surname: string;
    personnummer: string;
    hsaId: string | null;
    username: string | null;
    email: string | null;
    mobile: string | null;
    employmentType: EmploymentType | null;
    employmentEnd: string | null;
    /** Anställningsnummer. */
    employeeNumber: string | null;
    createdAt: string;
    updatedAt: string;
  };
  units: PersonUnit[];
  cards: ExtractCard[];
  idDocuments: ExtractIdDocument[];
  tokens: ExtractToken[];
  charges: ExtractCharge[];
  mails: ExtractMail[];
  auditEntries: ExtractAuditEntry[];
}

/** What an erasure changed; the person keeps their id and this pseudonym. */
export interface ErasureReport {
  personId: number;
  pseudonym: string;
  cardEventsCleared: number;
  blockRequestsCleared: number;
  mailsRemoved: number;
}

/** What one retention run removed (or, in a dry run, would remove) per rule. */
export interface RetentionRun {
  at: string;
  dryRun: boolean;
  removed: Record<RetentionRuleId, number>;
}

export interface RetentionOverview {
  /** Each rule with the period in force. */
  rules: (RetentionRule & { value: number | null })[];
  lastRun: { at: string; removed: Record<RetentionRuleId, number> } | null;
}

export const PRIVACY_ERROR_CODES = ['person-holds-card-or-token', 'retention-out-of-bounds'] as const;

// the extract shows who read the record in the trail: the counter and administrators, never a unit manager (who never sees the trail)
const EXTRACT_ROLES: readonly Role[] = ['operator', 'station-admin', 'org-admin'];
// erasure cannot be undone and reaches every unit's records of the person: the organisation administrator's alone
const ERASERS: readonly Role[] = ['org-admin'];
// the Gallring screen is administration; only the organisation administrator changes a period or runs the job by hand
const RETENTION_READERS: readonly Role[] = ['station-admin', 'org-admin'];
const personId = v.strictObject({ id: v.pipe(v.number(), v.integer(), v.minValue(1)) });

export const privacyProcedures = {
  'people.extract': procedure<RegisterExtract>()(personId, EXTRACT_ROLES),
  'people.erase': procedure<ErasureReport>()(personId, ERASERS),
  'retention.overview': procedure<RetentionOverview>()(v.strictObject({}), RETENTION_READERS),
  'retention.setPeriod': procedure<RetentionOverview>()(v.strictObject({ rule: v.picklist(RETENTION_RULE_IDS), value: v.pipe(v.number(), v.integer()) }), ERASERS),
  'retention.run': procedure<RetentionRun>()(v.strictObject({ dryRun: v.boolean() }), ERASERS),
} as const;
