// The card test's findings in both languages: main words the report in Swedish, the renderer re-words it in the chosen language.
import { capitalised, glossary } from './glossary';

const g = glossary.sv;
export const sv = {
  names: {
    certificate: { auth: 'legitimeringscertifikatet', sign: 'underskriftscertifikatet', other: 'certifikatet' },
    pin: { auth: 'PIN för legitimering', sign: 'PIN för underskrift', puk: g.pukDefinite },
  },
  removed: 'Kortet togs ut under testet — sätt i kortet igen och låt det sitta kvar tills testet är klart.',
  authMissing: `Kortet saknar legitimeringscertifikat — det är oftast inte kortet som är fel: ${g.newCertificates} till kortet hos en ${g.operator}.`,
  signMissing: `Kortet saknar underskriftscertifikat — det är oftast inte kortet som är fel: ${g.newCertificates} till kortet hos en ${g.operator}.`,
  untrusted: '{certificate} är inte utfärdat av en betrodd SITHS-utfärdare — kortet kan inte användas här; kontakta RA-funktionen.',
  revoked: `{certificate} är spärrat — är kortet inte förlorat kan nya certifikat hämtas till kortet hos en ${g.operator}.`,
  expired: `{certificate} gick ut {date} — ${g.newCertificates} till kortet hos en ${g.operator}.`,
  notYetValid: '{certificate} gäller först från {date} — vänta till dess eller kontakta RA-funktionen.',
  expiring: `{certificate} går ut {date} ({days} dagar kvar) — ${g.newCertificates} i god tid; e-post med instruktioner kommer cirka 3 månader före.`,
  cardOld: `Kortet är äldre än {years} år (utfärdat {date}) — ${g.newCard}.`,
  pukBlocked: `${g.pukDefinite} är låst och kortet kan inte låsas upp igen — ${g.newCard}.`,
  pukLastTry: `${g.pukDefinite} har bara 1 försök kvar — ett fel till låser kortet för gott.`,
  triesUnknown: 'Kortet visar inte hur många försök som finns kvar för {pin}.',
  pinBlocked: `{pin} är låst — ${g.unlock} den med ${g.pukDefinite}.`,
  pinBlockedPukBlocked: `{pin} är låst och ${g.pukDefinite} är också låst — ${g.newCard}.`,
  pinLastTry: `{pin} har bara 1 försök kvar — ett fel till låser den; ${g.unlock} med ${g.pukDefinite} om koden är glömd.`,
  crlStale: 'Spärrkontrollen är osäker: spärrlistan är inaktuell sedan {date} ({issuer}) — importera en ny spärrlista.',
  crlInvalid: 'Spärrlistan från {issuer} har fel signatur och användes inte — importera spärrlistan på nytt.',
  revocationUnknown: 'Ingen spärrlista finns för {issuer} — spärrstatus kunde inte kontrolleras.',
  transmitFailed: 'Kortläsaren kunde inte prata med kortet — ta ut kortet, sätt i det igen och testa på nytt.',
  dataCorrupt: `Kortets data är skadade — ${g.newCard}.`,
  keyMismatch: `Kortets nyckel hör inte till certifikatet — ${g.newCard}.`,
  unknownCard: `Kortet är inget ${g.card} (SITHS-kort) — kontrollera att rätt kort sitter i läsaren.`,
  cardIdentified: 'Kortets ATR är {atr} — kortet ser ut att vara {name}, inte ett SITHS-kort.',
  cardUnidentified: 'Kortets ATR är {atr} — korttypen är okänd för kortstationen.',
  cardNotResponding: 'Kortet svarar inte — ta ut kortet, sätt i det igen och testa på nytt. Svarar det fortfarande inte, kontakta Servicedesk.',
  cardOk: 'Kortet fungerar — inga fel hittades.',
};

const e = glossary.en;
export const en: typeof sv = {
  names: {
    certificate: { auth: 'the authentication certificate', sign: 'the signature certificate', other: 'the certificate' },
    pin: { auth: 'the authentication PIN', sign: 'the signature PIN', puk: e.pukDefinite },
  },
  removed: 'The card was removed during the test — insert it again and leave it in until the test is done.',
  authMissing: `The card has no authentication certificate — usually the card itself is fine: ${e.newCertificates} loaded onto the card by an ${e.operator}.`,
  signMissing: `The card has no signature certificate — usually the card itself is fine: ${e.newCertificates} loaded onto the card by an ${e.operator}.`,
  untrusted: '{certificate} was not issued by a trusted SITHS issuer — the card cannot be used here; contact the RA function.',
  revoked: `{certificate} is revoked — if the card is not lost, new certificates can be loaded onto it by an ${e.operator}.`,
  expired: `{certificate} expired on {date} — ${e.newCertificates} loaded onto the card by an ${e.operator}.`,
  notYetValid: '{certificate} is valid only from {date} — wait until then or contact the RA function.',
  expiring: `{certificate} expires on {date} ({days} days left) — ${e.newCertificates} in good time; an e-mail with instructions comes about 3 months before.`,
  cardOld: `The card is older than {years} years (issued {date}) — ${e.newCard}.`,
  pukBlocked: `${capitalised(e.pukDefinite)} is locked and the card cannot be unlocked again — ${e.newCard}.`,
  pukLastTry: `${capitalised(e.pukDefinite)} has only 1 try left — one more mistake locks the card for good.`,
  triesUnknown: 'The card does not tell how many tries are left for {pin}.',
  pinBlocked: `{pin} is locked — ${e.unlock} it with ${e.pukDefinite}.`,
  pinBlockedPukBlocked: `{pin} is locked and ${e.pukDefinite} is locked too — ${e.newCard}.`,
  pinLastTry: `{pin} has only 1 try left — one more mistake locks it; ${e.unlock} it with ${e.pukDefinite} if the code is forgotten.`,
  crlStale: 'The revocation check is uncertain: the revocation list has been out of date since {date} ({issuer}) — import a new revocation list.',
  crlInvalid: 'The revocation list from {issuer} has a bad signature and was not used — import the revocation list again.',
  revocationUnknown: 'There is no revocation list for {issuer} — revocation could not be checked.',
  transmitFailed: 'The card reader could not talk to the card — take the card out, insert it again and test again.',
  dataCorrupt: `The card's data is damaged — ${e.newCard}.`,
  keyMismatch: `The card's key does not belong to the certificate — ${e.newCard}.`,
  unknownCard: 'The card is not a SITHS card — check that the right card is in the reader.',
  cardIdentified: "The card's ATR is {atr} — the card looks like {name}, not a SITHS card.",
  cardUnidentified: "The card's ATR is {atr} — the station does not know this kind of card.",
  cardNotResponding: 'The card does not answer — take it out, insert it again and test again. If it still does not answer, contact the Servicedesk.',
  cardOk: 'The card works — no faults found.',
};

export type FindingKey = Exclude<keyof typeof sv, 'names'>;
export type FindingParams = Readonly<Record<string, string | number>>;

/** Fills a finding's text; `certificate` and `pin` name a role and are worded from the catalogue's own names. */
export function wordFinding(catalogue: typeof sv, key: FindingKey, params: FindingParams = {}): string {
  return catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string, offset: number) => {
    const value = params[name];
    if (value === undefined) return whole;
    const named =
      name === 'certificate'
        ? catalogue.names.certificate[value as keyof typeof sv.names.certificate]
        : name === 'pin'
          ? catalogue.names.pin[value as keyof typeof sv.names.pin]
          : undefined;
    const text = named ?? String(value);
    return offset === 0 ? capitalised(text) : text;
  });
}
