// Kysely's view of the tables, kept next to the migrations that create them.
import type { Generated } from 'kysely';

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
}

export interface Database {
  setting: SettingTable;
  crl: CrlTable;
  audit_entry: AuditEntryTable;
  organisation: OrganisationTable;
  unit: UnitTable;
  station: StationTable;
  person: PersonTable;
  person_unit: PersonUnitTable;
  staff_account: StaffAccountTable;
  staff_password_history: StaffPasswordHistoryTable;
  staff_unit: StaffUnitTable;
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
}

export interface StationTable {
  id: Generated<number>;
  name: string;
  site: string;
  address: string;
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
  otp_drift_steps: Generated<number>;
  failed_logins: Generated<number>;
  locked_until: string | null;
  disabled: Generated<number>;
  created_at: string;
  updated_at: string;
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
}
