// The seeds' words (shared/seeds, DOMAIN.md "Words") for both languages: messages are built from these, and the message test refuses what `avoid` lists.

export const glossary = {
  sv: {
    card: 'eTjänstekort',
    cardDefinite: 'eTjänstekortet',
    puk: 'PUK-kod',
    pukDefinite: 'PUK-koden',
    pinEnvelope: 'kuvert med PIN-koder',
    pinEnvelopeDefinite: 'kuvertet med PIN-koder',
    idDocument: 'ID-handling',
    idDocumentDefinite: 'ID-handlingen',
    portal: 'SITHS eID-portalen',
    token: 'dosa',
    operator: 'ID-administratör',
    blockRequest: 'spärrbegäran',
    blockRequests: 'spärrbegäranden',
    pinLocked: 'låst',
    unlock: 'lås upp',
    newCertificates: 'Hämta nya certifikat',
    newCard: 'beställ nytt kort',
    servicedesk: 'Servicedesk',
  },
  en: {
    card: 'eTjänstekort (SITHS card)',
    cardDefinite: 'the SITHS card',
    puk: 'PUK code',
    pukDefinite: 'the PUK code',
    pinEnvelope: 'PIN envelope',
    pinEnvelopeDefinite: 'the PIN envelope',
    idDocument: 'ID document',
    idDocumentDefinite: 'the ID document',
    portal: 'SITHS eID Portal',
    token: 'token',
    operator: 'ID administrator',
    blockRequest: 'block request',
    blockRequests: 'block requests',
    pinLocked: 'locked',
    unlock: 'unlock',
    newCertificates: 'Get new certificates',
    newCard: 'order a new card',
    servicedesk: 'Servicedesk',
  },
};

/** Words the seeds do not use, each with the glossary word to use instead; matched case-insensitively in whole messages. */
export const avoid: Record<'sv' | 'en', readonly { pattern: RegExp; use: string }[]> = {
  sv: [
    { pattern: /kodbrev/i, use: glossary.sv.pinEnvelope },
    { pattern: /PIN-brev/i, use: glossary.sv.pinEnvelope },
    { pattern: /brevet med koderna/i, use: glossary.sv.pinEnvelope },
    { pattern: /SITHS-portalen/i, use: glossary.sv.portal },
    { pattern: /handläggare/i, use: glossary.sv.operator },
    { pattern: /\bid-handling/, use: glossary.sv.idDocument },
    { pattern: /\bId-handling/, use: glossary.sv.idDocument },
    { pattern: /\bPUK\b(?!-kod)/, use: glossary.sv.puk },
    // a PIN is låst and låses upp; only cards and certificates are spärrade
    { pattern: /\bPIN\b[^.—;]*\bspärra/i, use: glossary.sv.pinLocked },
    { pattern: /spärra[rs]? (?:PIN|den)\b/i, use: glossary.sv.pinLocked },
  ],
  en: [{ pattern: /\bPUK\b(?! code)/, use: glossary.en.puk }],
};

/** "PIN-koder" → "PIN-koder", "kuvert med PIN-koder" → "Kuvert med PIN-koder": a glossary word at the start of a sentence. */
export const capitalised = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
