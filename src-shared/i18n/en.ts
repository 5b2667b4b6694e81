// English, the kiosk's second language.
import * as admin from './admin';
import * as counter from './counter';
import * as audit from './audit';
import * as faq from './faq';
import * as findings from './findings';
import * as lifecycle from './lifecycle';
import * as people from './people';
import * as portal from './portal';
import * as pukRoute from './puk-route';
import * as privacy from './privacy';
import * as reports from './reports';
import * as startup from './startup';
import * as tokens from './tokens';
import { en as enAuth } from './auth';
import type { Messages } from './sv';
import { capitalised, glossary } from './glossary';

const g = glossary.en;

export const en: Messages = {
  admin: admin.en,
  counter: counter.en,
  audit: audit.en,
  faq: faq.en,
  lifecycle: lifecycle.en,
  pukRoute: pukRoute.en,
  people: people.en,
  portal: portal.en,
  privacy: privacy.en,
  reports: reports.en,
  startup: startup.en,
  tokens: tokens.en,
  auth: enAuth,
  findings: findings.en,
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
  cardTest: {
    running: 'Testing the card …',
    interrupted: 'The card was removed during the test — insert it again and leave it in until the test is done.',
    verdict: { ok: 'Passed', warning: 'Warning', error: 'Failed' },
    holder: 'Holder',
    cardNumber: 'Card number',
    profile: 'Card type',
    profiles: { pkcs15: 'SITHS (PKCS#15)', piv: 'PIV', unknown: 'Unknown card' },
    roles: { auth: 'Authentication', sign: 'Signature', other: 'Other certificate' },
    status: {
      valid: 'Valid',
      expiring: 'Expires soon',
      expired: 'Expired',
      'not-yet-valid': 'Not yet valid',
      revoked: 'Revoked',
      untrusted: 'Not trusted',
    },
    validUntil: 'Valid until {date} ({days} days)',
    pins: { auth: 'Authentication PIN', sign: 'Signature PIN', puk: capitalised(g.puk) },
    triesLeft: '{n} tries left',
    triesUnknown: 'Tries unknown',
    blocked: capitalised(g.pinLocked),
    print: 'Print',
    retest: 'Test again',
    saveTrace: 'Save trace',
    traceFailed: 'The trace could not be saved — test the card again and retry.',
    keyProof: {
      start: 'Test login',
      startWith: 'Test login with {pin}',
      enterPin: 'Enter {pin} — a try is used only if the code is wrong',
      result: {
        ok: "Login works — the card's key belongs to the certificate.",
        mismatch: `The card's key does not belong to the certificate — ${g.newCard}.`,
        'wrong-pin': 'Wrong PIN — {n} tries left.',
        blocked: `The PIN is ${g.pinLocked} — ${g.unlock} it with ${g.pukDefinite}.`,
        'not-supported': 'The card cannot test a login here.',
      },
    },
    checklist: {
      title: 'Does the card still not work on your computer?',
      items: {
        driver: 'The card reader driver must be installed on the computer.',
        netId: 'A licensed version of Net iD for SITHS must be installed.',
        readAgain: 'Read the card in again: right-click the Net iD icon at the bottom right of the screen and choose to read the card in again.',
        otherComputer: 'Try the card on someone else\'s computer where it usually works, or ask someone with a working card to try it on your computer.',
        servicedesk: 'If it still does not work: contact the Servicedesk.',
      },
    },
  },
  crl: {
    title: 'Revocation lists',
    hint: 'Card certificates are checked against the revocation lists (CRLs) imported here. Only lists signed by a trusted issuer are accepted.',
    import: 'Import a revocation list',
    imported: 'The revocation list from {issuer} was imported.',
    notNewer: 'The station already has an equally new list from {issuer}.',
    issuer: 'Issuer',
    thisUpdate: 'Issued',
    nextUpdate: 'Next update',
    stale: '(out of date)',
    none: 'No revocation lists have been imported.',
  },
  pin: {
    title: 'PIN codes',
    change: 'Change {pin}',
    unblock: `${capitalised(g.unlock)} {pin} with ${g.pukDefinite}`,
    changeTitle: 'Change {pin}',
    unblockTitle: `${capitalised(g.unlock)} {pin} with ${g.pukDefinite}`,
    enterCurrent: 'Type your current PIN',
    enterPuk: `Type ${g.pukDefinite} from your ${g.pinEnvelope}`,
    enterNew: 'Choose a new PIN',
    repeatNew: 'Type the new PIN once more',
    mismatch: 'The PINs do not match — choose the new PIN again.',
    lastPinTry: 'Last try! One more mistake blocks the PIN.',
    lastPukTry: 'Last try with the PUK code! One more mistake locks the card for good.',
    working: 'The card is working …',
    cardRemoved: 'The card was removed — nothing typed was kept. Insert the card again to see its state.',
    useAnyway: 'Use it anyway',
    chooseAnother: 'Choose another code',
    back: 'Back',
    outcome: {
      changed: 'Done — the PIN is changed.',
      unblocked: 'Done — the PIN is unlocked and changed.',
      'wrong-pin': 'Wrong PIN — {n} tries left.',
      'wrong-puk': 'Wrong PUK code — {n} tries left.',
      'pin-blocked': 'The PIN is locked — unlock it with the PUK code.',
      'puk-blocked': 'The PUK code is locked and the card cannot be unlocked again — order a new card.',
      'invalid-format': 'The code has the wrong length or holds more than digits — nothing was sent to the card.',
      policy: 'The new PIN breaks the rules — nothing was sent to the card.',
      'holder-advice': 'The code resembles your personal identity number, birth date or mobile number — better choose another. Nothing has been sent to the card yet.',
      'try-later': 'Too many refused PINs for this card. Try again later.',
      'not-supported': 'The card does not allow this.',
      failed: 'The card answered with an error — nothing changed. Try again or call the Servicedesk.',
    },
  },
  dashboard: {
    title: 'Overview',
    stock: 'Tokens per unit',
    activity: 'Activity per month',
    expiries: 'Certificates expiring, per month',
    empty: 'Nothing to show yet.',
    series: { handovers: 'Cards handed out', returns: 'Cards returned', blocks: 'Block requests', tokensIssued: 'Tokens issued', tokensLost: 'Tokens lost', expiring: 'Certificates' },
  },
  nav: { people: 'People', tokens: 'Tokens', audit: 'Audit trail', cards: 'Cards' },
  work: {
    importing: 'Importing {file} …',
    exporting: 'Exporting {n} rows …',
    exportingUnknown: 'Exporting …',
    exportCancelled: 'Cancelled — no file was saved.',
    counts: '{done} of {total}',
    cancel: 'Cancel',
    allOrNothing: 'Cannot be stopped now: everything is saved at once, or nothing.',
  },
  keypad: { show: 'Show', hide: 'Hide', erase: 'Erase', ok: 'OK' },
  service: {
    down: 'The card reader service is not running',
    downHint: 'Reconnecting automatically …',
    hostDown: 'Lost the connection to the card station — reconnecting …',
    registerDown: 'No contact with the region database',
    registerDownHint: 'Cards can be tested as usual. PIN changes, handovers and everything else that is logged wait until contact is back; the station reconnects automatically …',
  },
  errors: {
    'unknown-procedure': 'Unknown action.',
    'invalid-input': 'The data is not valid.',
    forbidden: 'You are not allowed to do this.',
    'not-logged-in': 'Log in first.',
    internal: 'Something went wrong in the card station. Try again.',
    'register-unavailable': 'No contact with the region database. Nothing was done or saved; try again when contact is back.',
    'pcsc-unavailable': 'The card reader service is not running.',
    'reader-not-found': 'The card reader is gone.',
    'no-card': 'There is no card in the reader.',
    'reader-busy': 'The card reader is busy — wait for the previous action to finish.',
    'card-removed': 'The card was removed.',
    'transmit-failed': 'The card reader could not talk to the card.',
    'not-a-pin-card': 'The card has no PINs the station can handle.',
    'crl-invalid': 'The file is not a revocation list (CRL in PEM or DER).',
    'crl-untrusted': 'The revocation list is not signed by a trusted issuer.',
    network: 'The card station does not answer.',
    'work-cancelled': 'Cancelled — nothing was saved.',
  },
};
