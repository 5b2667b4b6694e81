// English, the kiosk's second language.
import type { Messages } from './sv';

export const en: Messages = {
  app: {
    title: 'Card station',
    language: 'Svenska',
  },
  start: {
    insertCard: 'Insert the card',
    hint: 'Insert the SITHS card in the reader and it is tested at once.',
    readers: 'Card readers',
    cardPresent: 'Card inserted',
    noCard: 'No card',
    noReaders: 'No card reader found — connect a card reader.',
    atr: 'ATR',
  },
  service: {
    down: 'The card reader service is not running',
    downHint: 'Reconnecting automatically …',
    hostDown: 'Lost the connection to the card station — reconnecting …',
  },
  errors: {
    'unknown-procedure': 'Unknown action.',
    'invalid-input': 'The data is not valid.',
    forbidden: 'You are not allowed to do this.',
    'not-logged-in': 'Log in first.',
    internal: 'Something went wrong in the card station. Try again.',
    'pcsc-unavailable': 'The card reader service is not running.',
    'reader-not-found': 'The card reader is gone.',
    'no-card': 'There is no card in the reader.',
    'reader-busy': 'The card reader is busy — wait for the previous action to finish.',
    'card-removed': 'The card was removed.',
    'transmit-failed': 'The card reader could not talk to the card.',
    network: 'The card station does not answer.',
  },
};
