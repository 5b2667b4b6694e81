// Kysely's view of the tables, kept next to the migrations that create them.
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
}
