// Swedish: the kiosk's first language. en.ts must have the same keys.
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
import { sv as svAuth } from './auth';
import { capitalised, glossary } from './glossary';

const g = glossary.sv;
export const sv = {
  admin: admin.sv,
  counter: counter.sv,
  audit: audit.sv,
  faq: faq.sv,
  lifecycle: lifecycle.sv,
  pukRoute: pukRoute.sv,
  people: people.sv,
  portal: portal.sv,
  privacy: privacy.sv,
  reports: reports.sv,
  startup: startup.sv,
  tokens: tokens.sv,
  auth: svAuth,
  findings: findings.sv,
  app: {
    title: 'Kortstation',
    language: 'English',
  },
  start: {
    insertCard: 'Sätt i kortet',
    hint: 'Sätt i eTjänstekortet (SITHS-kortet) i läsaren så testas det direkt.',
    readers: 'Kortläsare',
    cardPresent: 'Kort isatt',
    noCard: 'Inget kort',
    noReaders: 'Ingen kortläsare hittades — anslut en kortläsare.',
    atr: 'ATR',
  },
  cardTest: {
    running: 'Kortet testas …',
    interrupted: 'Kortet togs ut under testet — sätt i det igen och låt det sitta kvar tills testet är klart.',
    verdict: { ok: 'Godkänt', warning: 'Varning', error: 'Fel' },
    holder: 'Innehavare',
    cardNumber: 'Kortnummer',
    profile: 'Korttyp',
    profiles: { pkcs15: 'SITHS (PKCS#15)', piv: 'PIV', unknown: 'Okänt kort' },
    roles: { auth: 'Legitimering', sign: 'Underskrift', other: 'Övrigt certifikat' },
    status: {
      valid: 'Giltigt',
      expiring: 'Går snart ut',
      expired: 'Har gått ut',
      'not-yet-valid': 'Gäller inte än',
      revoked: 'Spärrat',
      untrusted: 'Ej betrott',
    },
    validUntil: 'Gäller till {date} ({days} dagar)',
    pins: { auth: 'PIN legitimering', sign: 'PIN underskrift', puk: capitalised(g.puk) },
    triesLeft: '{n} försök kvar',
    triesUnknown: 'Antal försök okänt',
    blocked: capitalised(g.pinLocked),
    print: 'Skriv ut',
    retest: 'Testa igen',
    saveTrace: 'Spara spårning',
    traceFailed: 'Spårningen kunde inte sparas — testa kortet igen och försök på nytt.',
    keyProof: {
      start: 'Testa inloggning',
      startWith: 'Testa inloggning med {pin}',
      enterPin: 'Skriv {pin} — ett försök används bara om koden är fel',
      result: {
        ok: 'Inloggningen fungerar — kortets nyckel hör till certifikatet.',
        mismatch: `Kortets nyckel hör inte till certifikatet — ${g.newCard}.`,
        'wrong-pin': 'Fel PIN — {n} försök kvar.',
        blocked: `PIN-koden är ${g.pinLocked} — ${g.unlock} den med ${g.pukDefinite}.`,
        'not-supported': 'Kortet kan inte testa inloggning här.',
      },
    },
    checklist: {
      title: 'Fungerar kortet ändå inte på din dator?',
      items: {
        driver: 'Kortläsarens drivrutin måste vara installerad på datorn.',
        netId: 'En licensierad version av Net iD för SITHS måste vara installerad.',
        readAgain: 'Läs in kortet på nytt: högerklicka på Net iD-ikonen längst ner till höger på skärmen och välj "Läs in kortet på nytt".',
        otherComputer: 'Testa kortet på någon annans dator där det brukar fungera, eller be någon med ett fungerande kort testa på din dator.',
        servicedesk: 'Fungerar det fortfarande inte: kontakta Servicedesk.',
      },
    },
  },
  crl: {
    title: 'Spärrlistor',
    hint: 'Kortens certifikat kontrolleras mot de spärrlistor (CRL) som importerats här. Bara listor signerade av en betrodd utfärdare tas emot.',
    import: 'Importera spärrlista',
    imported: 'Spärrlistan från {issuer} är importerad.',
    notNewer: 'Kortstationen har redan en lika ny spärrlista från {issuer}.',
    issuer: 'Utfärdare',
    thisUpdate: 'Utfärdad',
    nextUpdate: 'Nästa uppdatering',
    stale: '(inaktuell)',
    none: 'Inga spärrlistor är importerade.',
  },
  pin: {
    title: 'PIN-koder',
    change: 'Byt {pin}',
    unblock: `${capitalised(g.unlock)} {pin} med ${g.pukDefinite}`,
    changeTitle: 'Byt {pin}',
    unblockTitle: `${capitalised(g.unlock)} {pin} med ${g.pukDefinite}`,
    enterCurrent: 'Skriv din nuvarande PIN-kod',
    enterPuk: `Skriv ${g.pukDefinite} från ditt ${g.pinEnvelope}`,
    enterNew: 'Välj en ny PIN-kod',
    repeatNew: 'Skriv den nya PIN-koden en gång till',
    mismatch: 'PIN-koderna stämmer inte överens — välj den nya koden igen.',
    lastPinTry: 'Sista försöket! Ett fel till låser PIN-koden.',
    lastPukTry: 'Sista försöket med PUK-koden! Ett fel till låser kortet för gott.',
    working: 'Kortet arbetar …',
    cardRemoved: 'Kortet togs ut — inget som skrevs sparades. Sätt i kortet igen för att se hur det står till.',
    useAnyway: 'Använd ändå',
    chooseAnother: 'Välj en annan kod',
    back: 'Tillbaka',
    outcome: {
      changed: 'Klart — PIN-koden är ändrad.',
      unblocked: 'Klart — PIN-koden är upplåst och bytt.',
      'wrong-pin': 'Fel PIN — {n} försök kvar.',
      'wrong-puk': 'Fel PUK-kod — {n} försök kvar.',
      'pin-blocked': 'PIN-koden är låst — lås upp den med PUK-koden.',
      'puk-blocked': 'PUK-koden är låst och kortet kan inte låsas upp igen — beställ nytt kort.',
      'invalid-format': 'Koden har fel längd eller innehåller annat än siffror — inget skickades till kortet.',
      policy: 'Den nya PIN-koden uppfyller inte reglerna — inget skickades till kortet.',
      'holder-advice': 'Koden liknar ditt personnummer, födelsedatum eller mobilnummer — välj hellre en annan. Inget har skickats till kortet än.',
      'try-later': 'För många nekade PIN-koder för det här kortet. Försök igen senare.',
      'not-supported': 'Kortet tillåter inte detta.',
      failed: 'Kortet svarade med ett fel — inget ändrades. Försök igen eller kontakta Servicedesk.',
    },
  },
  dashboard: {
    title: 'Översikt',
    stock: 'Dosor per enhet',
    activity: 'Aktivitet per månad',
    expiries: 'Certifikat som går ut, per månad',
    empty: 'Inget att visa än.',
    series: { handovers: 'Utlämnade kort', returns: 'Återlämnade kort', blocks: 'Spärrbegäranden', tokensIssued: 'Utlämnade dosor', tokensLost: 'Borttappade dosor', expiring: 'Certifikat' },
  },
  nav: { people: 'Personer', tokens: 'Dosor', audit: 'Granskningslogg', cards: 'Kort' },
  work: {
    importing: 'Importerar {file} …',
    exporting: 'Exporterar {n} rader …',
    exportingUnknown: 'Exporterar …',
    exportCancelled: 'Avbrutet — ingen fil sparades.',
    counts: '{done} av {total}',
    cancel: 'Avbryt',
    allOrNothing: 'Kan inte avbrytas nu: allt sparas på en gång, eller ingenting.',
  },
  keypad: { show: 'Visa', hide: 'Dölj', erase: 'Radera', ok: 'OK' },
  service: {
    down: 'Kortläsartjänsten är inte igång',
    downHint: 'Försöker ansluta igen automatiskt …',
    hostDown: 'Förbindelsen med kortstationen bröts — ansluter igen …',
    registerDown: 'Ingen kontakt med regiondatabasen',
    registerDownHint: 'Kortet kan testas som vanligt. PIN-byten, utlämningar och annat som ska loggas väntar tills kontakten är tillbaka; stationen ansluter igen automatiskt …',
  },
  errors: {
    'unknown-procedure': 'Okänd åtgärd.',
    'invalid-input': 'Uppgifterna är inte giltiga.',
    forbidden: 'Du har inte behörighet till detta.',
    'not-logged-in': 'Logga in först.',
    internal: 'Något gick fel i kortstationen. Försök igen.',
    'register-unavailable': 'Ingen kontakt med regiondatabasen. Inget har gjorts eller sparats; försök igen när kontakten är tillbaka.',
    'pcsc-unavailable': 'Kortläsartjänsten är inte igång.',
    'reader-not-found': 'Kortläsaren finns inte längre.',
    'no-card': 'Det sitter inget kort i läsaren.',
    'reader-busy': 'Kortläsaren är upptagen — vänta tills den förra åtgärden är klar.',
    'card-removed': 'Kortet togs ut.',
    'transmit-failed': 'Kortläsaren kunde inte tala med kortet.',
    'not-a-pin-card': 'Kortet har inga PIN-koder som kortstationen kan hantera.',
    'crl-invalid': 'Filen är ingen spärrlista (CRL i PEM- eller DER-format).',
    'crl-untrusted': 'Spärrlistan är inte signerad av en betrodd utfärdare.',
    network: 'Kortstationen svarar inte.',
    'work-cancelled': 'Avbrutet — ingenting sparades.',
  },
};

export type Messages = typeof sv;
