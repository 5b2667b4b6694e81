// What the kiosk says when it cannot start, before any window exists (shown by Electron's main process), Swedish first.
export const sv = {
  title: 'Kortstation kan inte starta',
  databaseNewer: 'Databasen har skrivits av en nyare version av Kortstation. Starta den nyare versionen eller kontakta Servicedesk. Inget har ändrats i databasen.',
  databaseForeign: 'Databasen hör till en annan version av Kortstation. Kontakta Servicedesk. Inget har ändrats i databasen.',
  databaseUnreachable: 'Ingen kontakt med regiondatabasen. Kontrollera nätverket och starta om stationen, eller kontakta Servicedesk.',
  stationNotJoined: 'Kortstationen har inget eget stationsnamn i regiondatabasen. Starta den en gång med KORTSTATION_STATION_NAME=stationens namn, eller anslut den med cli station join --name (se README), eller kontakta Servicedesk.',
  technicalDetail: 'Teknisk information',
};

export const en: typeof sv = {
  title: 'Kortstation cannot start',
  databaseNewer: 'The database was written by a newer version of Kortstation. Start the newer version or call the Servicedesk. Nothing in the database was changed.',
  databaseForeign: 'The database belongs to another version of Kortstation. Call the Servicedesk. Nothing in the database was changed.',
  databaseUnreachable: 'No contact with the region database. Check the network and restart the station, or call the Servicedesk.',
  stationNotJoined: 'This card station has no station name of its own in the region database. Start it once with KORTSTATION_STATION_NAME=the station\'s name, or join it with cli station join --name (see the README), or call the Servicedesk.',
  technicalDetail: 'Technical detail',
};
