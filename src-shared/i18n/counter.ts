// Messages of the counter home, the administration page and the station's screen saver, Swedish first; wired in as `counter`.
export const sv = {
  nav: { home: 'Disken', administration: 'Administration' },
  home: {
    title: 'Disken',
    cardTest: 'Testa kort',
    pins: 'PIN-koder',
    handover: 'Utlämning',
    return: 'Återlämning',
    block: 'Spärra',
    tokens: 'Dosor',
  },
  administration: { title: 'Administration' },
  screenSaver: {
    nav: 'Skärmsläckare',
    title: 'Skärmsläckare',
    lead: 'Texten som startskärmen visar när ingen har rört kortstationen på en minut, till exempel öppettider eller var man vänder sig. Utan text visas bara "Sätt i kortet".',
    textSv: 'Text på svenska',
    textEn: 'Text på engelska',
    save: 'Spara',
    saved: 'Skärmsläckaren är sparad.',
  },
};

export const en: typeof sv = {
  nav: { home: 'Counter', administration: 'Administration' },
  home: {
    title: 'Counter',
    cardTest: 'Test card',
    pins: 'PIN codes',
    handover: 'Handover',
    return: 'Return',
    block: 'Block',
    tokens: 'Tokens',
  },
  administration: { title: 'Administration' },
  screenSaver: {
    nav: 'Screen saver',
    title: 'Screen saver',
    lead: 'The text the start screen shows when nobody has touched the card station for a minute, such as opening hours or where to turn. Without a text only "Insert the card" shows.',
    textSv: 'Text in Swedish',
    textEn: 'Text in English',
    save: 'Save',
    saved: 'The screen saver is saved.',
  },
};
