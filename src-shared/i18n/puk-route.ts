// The lost PUK-kod route's words: the ID-handling check, a new PUK-kod ordered, or the PUK-kod from SITHS eID-portalen. Swedish first, English with the same keys.
import { capitalised, glossary } from './glossary';

const g = glossary.sv;
export const sv = {
  tile: `Borttappad ${g.puk}`,
  title: `Borttappad ${g.puk}`,
  lead: `${capitalised(g.pukDefinite)} behövs för att låsa upp en låst PIN-kod. Kontrollera först innehavarens ${g.idDocument}.`,
  reader: 'Kortläsare med innehavarens kort',
  noCard: 'Sätt i innehavarens kort i en kortläsare.',
  idCheck: `Kontrollera ${g.idDocumentDefinite}`,
  holderMatches: `${capitalised(g.idDocumentDefinite)} visar kortets innehavare`,
  checkId: `${capitalised(g.idDocument)} kontrollerad`,
  choose: 'Välj väg',
  choices: {
    'retrieve-from-portal': `En ${g.operator} hämtar ${g.pukDefinite} i ${g.portal}`,
    'order-new-puk': `Beställ ny ${g.puk}`,
  },
  portalNotAllowed: `Regionen tillåter inte att ${g.pukDefinite} hämtas i ${g.portal} — beställ ny ${g.puk}.`,
  orderReference: 'Beställningsnummer i regionens beställningssystem',
  order: 'Registrera beställningen',
  ordered: `Ny ${g.puk} är beställd (beställning {reference}).`,
  orderedNext: `Så här går det till: ${g.pukDefinite} skickas i ett nytt ${g.pinEnvelope} till din folkbokföringsadress. När du har fått det kan du låsa upp PIN-koden här vid kortstationen med ${g.pukDefinite}. Kortet fungerar som vanligt så länge PIN-koden inte är låst.`,
  retrieved: `Hämta ${g.pukDefinite} i ${g.portal}. Skriv den sedan på knappsatsen för att låsa upp PIN-koden — ${g.pukDefinite} sparas inte och syns inte i loggen.`,
  unlock: 'Lås upp PIN-koden på knappsatsen',
  unlockSign: 'Lås upp PIN för underskrift',
  setting: `Får en ${g.operator} hämta innehavarens ${g.puk} i ${g.portal}?`,
  settingAllowed: 'Ja, regionen tillåter det',
  errors: {
    'puk-route-unknown': `Besöket har gått ut — börja om med kontrollen av ${g.idDocumentDefinite}.`,
    'puk-route-id-not-checked': `Kontrollera ${g.idDocumentDefinite} först.`,
    'puk-route-portal-not-allowed': `Regionen tillåter inte att ${g.pukDefinite} hämtas i ${g.portal}.`,
    'puk-route-done': 'Det steget är redan gjort — börja om för ett nytt ärende.',
  },
};

const e = glossary.en;
export const en: typeof sv = {
  tile: `Lost ${e.puk}`,
  title: `Lost ${e.puk}`,
  lead: `${capitalised(e.pukDefinite)} is needed to unlock a locked PIN. First check the holder's ${e.idDocument}.`,
  reader: "Reader with the holder's card",
  noCard: "Insert the holder's card in a reader.",
  idCheck: `Check ${e.idDocumentDefinite}`,
  holderMatches: `${capitalised(e.idDocumentDefinite)} shows the card's holder`,
  checkId: `${capitalised(e.idDocument)} checked`,
  choose: 'Choose the way',
  choices: {
    'retrieve-from-portal': `An ${e.operator} retrieves ${e.pukDefinite} in the ${e.portal}`,
    'order-new-puk': `Order a new ${e.puk}`,
  },
  portalNotAllowed: `The region does not allow retrieving ${e.pukDefinite} in the ${e.portal} — order a new ${e.puk}.`,
  orderReference: "Order number in the region's ordering system",
  order: 'Record the order',
  ordered: `A new ${e.puk} is ordered (order {reference}).`,
  orderedNext: `What happens next: ${e.pukDefinite} is sent in a new ${e.pinEnvelope} to your registered home address. Once it arrives you can unlock the PIN here at the card station with ${e.pukDefinite}. The card works as usual as long as the PIN is not locked.`,
  retrieved: `Retrieve ${e.pukDefinite} in the ${e.portal}. Then type it on the keypad to unlock the PIN — ${e.pukDefinite} is not stored and does not appear in the log.`,
  unlock: 'Unlock the PIN on the keypad',
  unlockSign: 'Unlock the signature PIN',
  setting: `May an ${e.operator} retrieve the holder's ${e.puk} in the ${e.portal}?`,
  settingAllowed: 'Yes, the region allows it',
  errors: {
    'puk-route-unknown': `The visit has expired — start again with the check of ${e.idDocumentDefinite}.`,
    'puk-route-id-not-checked': `Check ${e.idDocumentDefinite} first.`,
    'puk-route-portal-not-allowed': `The region does not allow retrieving ${e.pukDefinite} in the ${e.portal}.`,
    'puk-route-done': 'That step is done already — start again for a new errand.',
  },
};
