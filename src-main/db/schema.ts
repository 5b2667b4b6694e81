// Kysely's view of the tables, kept next to the migrations that create them.
import type { ColumnType, Generated } from 'kysely';

export interface SettingTable {
  key: string;
  value: string;
}

export interface CrlTable {
  issuer: string;
  this_update: string;
  next_update: string | null;
  der: Uint8Array;
  imported_at: string;
}

export interface AuditEntryTable {
  /** Not Generated<number>: appendAudit always sets it, because the hash covers it. */
  id: number;
  at: string;
  station: string;
  actor: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  outcome: string;
  details: string | null;
  prev_hash: string;
  hash: string;
  /** The station whose chain the row is in: the one that appended it (copied rows: the station that copied them). */
  chain: string | null;
}

/** One station's chain head: the last row's id and hash under the audit key's MAC, so a removed last row shows. */
export interface AuditChainTable {
  chain: string;
  head: string;
}

export interface Database {
  setting: SettingTable;
  crl: CrlTable;
  audit_entry: AuditEntryTable;
  audit_chain: AuditChainTable;
  organisation: OrganisationTable;
  unit: UnitTable;
  station: StationTable;
  person: PersonTable;
  person_unit: PersonUnitTable;
  staff_account: StaffAccountTable;
  staff_password_history: StaffPasswordHistoryTable;
  staff_unit: StaffUnitTable;
  staff_invitation: StaffInvitationTable;
  staff_reset_code: StaffResetCodeTable;
  token: TokenTable;
  token_event: TokenEventTable;
  charge: ChargeTable;
  unit_token_order: UnitTokenOrderTable;
  card_order: CardOrderTable;
  card_event: CardEventTable;
  block_request: BlockRequestTable;
  invoice_month: InvoiceMonthTable;
  outbox: OutboxTable;
  mail_template: MailTemplateTable;
  mail_reminder: MailReminderTable;
}

export interface OrganisationTable {
  id: Generated<number>;
  name: string;
  kind: 'region' | 'kommun' | 'privat';
}

export interface UnitTable {
  id: Generated<number>;
  organisation_id: number;
  parent_id: number | null;
  name: string;
  reference: string;
  billing_address: string | null;
  uses_parent_billing: Generated<number>;
  closed_at: string | null;
}

export interface StationTable {
  id: Generated<number>;
  name: string;
  site: string;
  address: string;
  /** The organisation running the station; null for a station registered before stations named theirs. */
  organisation_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface PersonTable {
  id: Generated<number>;
  first_name: string;
  surname: string;
  personnummer: string;
  hsa_id: string | null;
  username: string | null;
  email: string | null;
  mobile: string | null;
  employment_type: 'region' | 'kommunal' | 'lov' | 'privat' | null;
  employment_end: string | null;
  employee_number: string | null;
  search_name: string;
  search_name_reversed: string;
  search_personnummer10: string;
  search_hsa_id: string | null;
  search_username: string | null;
  created_at: string;
  updated_at: string;
}

export interface PersonUnitTable {
  person_id: number;
  unit_id: number;
}

export interface StaffAccountTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  hsa_id: string | null;
  role: 'operator' | 'station-admin' | 'org-admin' | 'unit-admin';
  /** argon2id PHC string; null for a card-only account. */
  password_hash: string | null;
  /** The sealed TOTP seed (seed-crypto); null until a token is enrolled. */
  otp_seed: Uint8Array | null;
  otp_last_step: number | null;
  failed_logins: Generated<number>;
  locked_until: string | null;
  disabled: Generated<number>;
  created_at: string;
  updated_at: string;
  email: string | null;
  mobile: string | null;
  password_change_required: Generated<number>;
  last_login_at: string | null;
  last_login_method: 'password' | 'card' | 'certificate' | null;
  previous_login_at: string | null;
  previous_login_method: 'password' | 'card' | 'certificate' | null;
}

export interface StaffInvitationTable {
  id: Generated<number>;
  staff_id: number;
  token_digest: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  pending_seed: Uint8Array | null;
}

export interface StaffResetCodeTable {
  id: Generated<number>;
  staff_id: number;
  code_digest: string;
  requested_at: string;
  expires_at: string;
  failed_tries: Generated<number>;
  ended_at: string | null;
}

export interface StaffPasswordHistoryTable {
  id: Generated<number>;
  staff_id: number;
  password_hash: string;
  set_at: string;
}

export interface StaffUnitTable {
  staff_id: number;
  unit_id: number;
  can_edit: Generated<number>;
}

export type TokenState = 'in-stock' | 'issued' | 'lost' | 'defective' | 'sent-to-support' | 'retired';

export interface TokenTable {
  id: Generated<number>;
  serial: string;
  kind: 'hotp' | 'totp';
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: number;
  period: number | null;
  t0: number | null;
  drift: Generated<number>;
  /** Decimal text: HOTP counters are 64-bit. */
  counter: string | null;
  last_step: number | null;
  sealed_seed: Uint8Array;
  manufacturer: string | null;
  category: 'kommunal' | 'lov' | null;
  state: TokenState;
  unit_id: number | null;
  station_id: number | null;
  person_id: number | null;
  issued_at: string | null;
  imported_at: string;
  state_changed_at: string;
}

export interface TokenEventTable {
  id: Generated<number>;
  token_id: number;
  at: string;
  action: string;
  person_id: number | null;
  actor: string | null;
  details: string | null;
  /** The station where it happened; null only on rows older than the column. */
  station: string | null;
}

export interface ChargeTable {
  id: Generated<number>;
  at: string;
  month: string;
  kind: 'lost-token' | 'token-purchase';
  amount_ore: number;
  person_id: number | null;
  unit_id: number | null;
  reference: string | null;
  token_id: number | null;
  correction_of: number | null;
  /** The station that made the charge; null only on rows older than the column. */
  station: string | null;
}

export interface UnitTokenOrderTable {
  id: Generated<number>;
  unit_id: number;
  quantity: number;
  price_ore: number;
  ordered_by: string;
  ordered_at: string;
  delivered_at: string | null;
}

export interface CardOrderTable {
  id: Generated<number>;
  person_id: number;
  order_date: string;
  order_reference: string;
  state: 'ordered' | 'photographed' | 'produced' | 'ready' | 'handed-over' | 'returned' | 'blocked' | 'replaced';
  card_number: string | null;
  photo_station_id: number | null;
  photographed_by: string | null;
  photographed_at: string | null;
  ready_at: string | null;
  handed_over_at: string | null;
  certificates_not_after: string | null;
  replaces_order_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface CardEventTable {
  id: Generated<number>;
  order_id: number;
  at: string;
  action: string;
  station: string;
  actor: string | null;
  details: string | null;
}

export interface BlockRequestTable {
  id: Generated<number>;
  /** null: the card is not registered here (issued elsewhere or before go-live). */
  order_id: number | null;
  card_number: string | null;
  hsa_id: string | null;
  reason: 'lost' | 'stolen' | 'uncollected' | 'other';
  reported_by: string;
  note: string | null;
  at: string;
  station: string;
  staff: string;
  keep_until: string;
  state: 'requested' | 'blocked' | 'closed';
  confirmed_by: string | null;
  confirmed_at: string | null;
  portal_reference: string | null;
  closed_by: string | null;
  closed_at: string | null;
}

export interface InvoiceMonthTable {
  month: string;
  closed_at: string;
  closed_by: string;
}

export interface OutboxTable {
  id: Generated<number>;
  created_at: string;
  to_address: string;
  subject: string;
  body: string;
  template: string;
  state: 'queued' | 'sent' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: string | null;
  last_error: string | null;
  sent_at: string | null;
  channel: Generated<'email' | 'sms'>;
  sealed_body: Uint8Array | null;
}

export interface MailTemplateTable {
  name: string;
  subject: string;
  body: string;
  updated_at: string;
  updated_by: string;
}

export interface MailReminderTable {
  template: string;
  occasion: string;
  outbox_id: number;
}
