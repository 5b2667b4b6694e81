// Messages of the counter home and the administration page, Swedish first; wired in as `counter`.
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
};
