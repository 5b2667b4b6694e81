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

export interface Database {
  setting: SettingTable;
  crl: CrlTable;
}
