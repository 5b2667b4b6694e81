// The ID document as staff type it off the document at the counter, for every flow that checks one: handover, PUK route, token issue and swap.
import { computed, reactive } from 'vue';
import type { IdDocumentInput } from '@shared/contract';
import { idDocumentReady } from '@shared/domain/id-document-form';

export interface IdDocumentForm {
  type: IdDocumentInput['type'];
  lastFour: string;
  expiry: string;
  note: string;
}

const EMPTY: IdDocumentForm = { type: 'pass', lastFour: '', expiry: '', note: '' };

export function useIdDocument() {
  const document = reactive<IdDocumentForm>({ ...EMPTY });
  const today = new Date().toLocaleDateString('sv-SE');
  return {
    document,
    /** Complete and valid today; the service checks the same again. */
    ready: computed(() => idDocumentReady(document, today)),
    /** The document as the service takes it: trimmed, with a note only for another kind of document. */
    input: (): IdDocumentInput => ({ type: document.type, lastFour: document.lastFour.trim(), expiry: document.expiry, note: document.type === 'other' ? document.note.trim() : null }),
    clear: (): void => void Object.assign(document, EMPTY),
  };
}
