// Whether an ID document as typed at the counter is complete and valid today; the service checks the same again.
import { idDocumentExpired } from './card-handover';

export function idDocumentReady(document: { type: string; lastFour: string; expiry: string; note: string }, today: string): boolean {
  return /^[A-Za-z0-9]{4}$/.test(document.lastFour.trim()) && document.expiry !== '' && !idDocumentExpired(document.expiry, today) && (document.type !== 'other' || document.note.trim() !== '');
}
