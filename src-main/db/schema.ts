// Kysely's view of the tables, kept next to the migrations that create them.
export interface SettingTable {
  key: string;
  value: string;
}

export interface Database {
  setting: SettingTable;
}
