// Swedish: the kiosk's first language. en.ts must have the same keys.
export const sv = {
  app: {
    title: 'Kortstation',
    language: 'English',
  },
  start: {
    insertCard: 'Sätt i kortet',
    hint: 'Sätt i SITHS-kortet i läsaren så testas det direkt.',
    readers: 'Kortläsare',
    cardPresent: 'Kort isatt',
    noCard: 'Inget kort',
    noReaders: 'Ingen kortläsare hittades — anslut en kortläsare.',
    atr: 'ATR',
  },
  service: {
    down: 'Kortläsartjänsten är inte igång',
    downHint: 'Försöker ansluta igen automatiskt …',
    hostDown: 'Förbindelsen med kortstationen bröts — ansluter igen …',
  },
  errors: {
    'unknown-procedure': 'Okänd åtgärd.',
    'invalid-input': 'Uppgifterna är inte giltiga.',
    forbidden: 'Du har inte behörighet till detta.',
    'not-logged-in': 'Logga in först.',
    internal: 'Något gick fel i kortstationen. Försök igen.',
    'pcsc-unavailable': 'Kortläsartjänsten är inte igång.',
    'reader-not-found': 'Kortläsaren finns inte längre.',
    'no-card': 'Det sitter inget kort i läsaren.',
    'reader-busy': 'Kortläsaren är upptagen — vänta tills den förra åtgärden är klar.',
    'card-removed': 'Kortet togs ut.',
    'transmit-failed': 'Kortläsaren kunde inte tala med kortet.',
    network: 'Kortstationen svarar inte.',
  },
};

export type Messages = typeof sv;
