// What the kiosk says when it cannot start, before any window exists (shown by Electron's main process), Swedish first.
export const sv = {
  title: 'Kortstation kan inte starta',
  databaseNewer: 'Databasen har skrivits av en nyare version av Kortstation. Starta den nyare versionen eller kontakta Servicedesk. Inget har ändrats i databasen.',
  databaseForeign: 'Databasen hör till en annan version av Kortstation. Kontakta Servicedesk. Inget har ändrats i databasen.',
  databaseEngine: 'PostgreSQL stöds ännu bara för migreringar. Starta stationen utan regiondatabasen eller kontakta Servicedesk. Inget har ändrats i databasen.',
  technicalDetail: 'Teknisk information',
};

export const en: typeof sv = {
  title: 'Kortstation cannot start',
  databaseNewer: 'The database was written by a newer version of Kortstation. Start the newer version or call the Servicedesk. Nothing in the database was changed.',
  databaseForeign: 'The database belongs to another version of Kortstation. Call the Servicedesk. Nothing in the database was changed.',
  databaseEngine: 'PostgreSQL is so far supported for migrations only. Start the station without the region database or call the Servicedesk. Nothing in the database was changed.',
  technicalDetail: 'Technical detail',
};
