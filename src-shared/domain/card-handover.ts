// The checks a handover must pass before the card leaves the counter, as pure functions of what is known.
import type { CardTestReport } from '../card-report';

export type HandoverRefusal =
  | { code: 'id-document-expired'; expiry: string }
  | { code: 'id-document-note-missing' }
  | { code: 'card-test-failed' }
  | { code: 'card-mismatch'; field: 'cardNumber' | 'hsaId' | 'name'; expected: string; found: string };

export interface HandoverExpectation {
  cardNumber: string;
  hsaId: string | null;
  firstName: string;
  surname: string;
}

type Mismatch = Omit<Extract<HandoverRefusal, { code: 'card-mismatch' }>, 'code'>;
const MISMATCH_MESSAGE = /^(cardNumber|hsaId|name): expected (.*), card has (.*)$/s;

/** The refusal as the CLI and the log read it; one form, so the renderer can take it apart and word it in the operator's language. */
export const mismatchMessage = (mismatch: Mismatch): string => `${mismatch.field}: expected ${mismatch.expected}, card has ${mismatch.found}`;

export function parseMismatchMessage(message: string): Mismatch | null {
  const match = MISMATCH_MESSAGE.exec(message);
  return match ? { field: match[1] as Mismatch['field'], expected: match[2] ?? '', found: match[3] ?? '' } : null;
}

/** Case, spacing and accents aside, so 'ÅSA  Öberg' on a card matches 'Åsa Öberg' in the register. */
const comparable = (text: string): string => text.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv');

/** An ID document is valid through its expiry day (local 'YYYY-MM-DD' compared with today's). */
export function idDocumentExpired(expiry: string, today: string): boolean {
  return expiry < today;
}

export function checkIdDocument(document: { type: string; expiry: string; note: string | null }, today: string): HandoverRefusal | null {
  if (idDocumentExpired(document.expiry, today)) return { code: 'id-document-expired', expiry: document.expiry };
  if (document.type === 'other' && !document.note?.trim()) return { code: 'id-document-note-missing' };
  return null;
}

/** The inserted card must pass its test and carry the ordered card number, the person's HSA-ID and name. */
export function checkHandoverCard(report: CardTestReport, expected: HandoverExpectation): HandoverRefusal | null {
  if (report.outcome !== 'complete' || report.verdict === 'error' || report.verdict === null) return { code: 'card-test-failed' };
  const found = { cardNumber: report.cardSerial ?? '', hsaId: report.holder.hsaId ?? '', name: report.holder.name ?? '' };
  if (comparable(found.cardNumber) !== comparable(expected.cardNumber)) return { code: 'card-mismatch', field: 'cardNumber', expected: expected.cardNumber, found: found.cardNumber };
  if (expected.hsaId === null || comparable(found.hsaId) !== comparable(expected.hsaId)) {
    return { code: 'card-mismatch', field: 'hsaId', expected: expected.hsaId ?? '', found: found.hsaId };
  }
  const name = `${expected.firstName} ${expected.surname}`;
  if (comparable(found.name) !== comparable(name)) return { code: 'card-mismatch', field: 'name', expected: name, found: found.name };
  return null;
}
