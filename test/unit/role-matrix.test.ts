// Who may call what, written down from DOMAIN.md and the seeds, and checked through the real router: never read from the contract it checks.
import { describe, expect, it } from 'vitest';
import { procedureNames, type Role } from '@shared/contract';
import { createRouter, type Handlers, type Session } from '../../src-main/router';

type Caller = 'nobody' | Role;
const CALLERS: readonly Caller[] = ['nobody', 'operator', 'station-admin', 'org-admin', 'unit-admin'];

/**
 * One mark per caller, in the order of CALLERS: Y may call, - is refused.
 * nobody: the holder at the counter with no login (card test, own PIN, login itself);
 * operator: card-station staff (ID-administratör) running the counter;
 * station-admin: administers the station (its stock, staff list, audit trail, outbox, invoice months);
 * org-admin: sees and does everything, alone creates organisations, units and staff accounts;
 * unit-admin: a ward's manager, only their units: their people (also by import), token orders, tokens handed to their staff,
 *   reports and invoice basis of their references; never the counter's card work, the audit trail, staff, stations or closing a month.
 */
const EXPECTED: Record<string, string> = {
  //                         nobody operator station org unit
  'app.info':                'Y     Y        Y       Y   Y',
  'readers.list':            'Y     Y        Y       Y   Y',
  'card.results':            'Y     Y        Y       Y   Y',
  'card.test':               'Y     Y        Y       Y   Y',
  // a CRL is public; only one signed by a trusted CA and newer than the one held is taken
  'crl.import':              'Y     Y        Y       Y   Y',
  'crl.list':                'Y     Y        Y       Y   Y',
  // the support trace holds the card's certificates: counter staff only
  'card.trace':              '-     Y        Y       Y   -',
  'cards.flags':             'Y     Y        Y       Y   Y',
  'pin.status':              'Y     Y        Y       Y   Y',
  'pin.change':              'Y     Y        Y       Y   Y',
  'pin.unblock':             'Y     Y        Y       Y   Y',
  'pin.proveKey':            'Y     Y        Y       Y   Y',
  // a lost PUK-kod: counter staff check the ID-handling and take the route; the region's rule on the portal is the organisation's
  'pukRoute.policy':         '-     Y        Y       Y   -',
  'pukRoute.setPolicy':      '-     -        -       Y   -',
  'pukRoute.checkId':        '-     Y        Y       Y   -',
  'pukRoute.orderNewPuk':    '-     Y        Y       Y   -',
  'pukRoute.retrieveFromPortal': '-     Y        Y       Y   -',
  'auth.status':             'Y     Y        Y       Y   Y',
  'auth.loginPassword':      'Y     Y        Y       Y   Y',
  'auth.loginCard':          'Y     Y        Y       Y   Y',
  // server mode: the SITHS card's certificate from the browser's TLS handshake; everyone may try, as with the card login
  'auth.loginCertificate':   'Y     Y        Y       Y   Y',
  'auth.logout':             'Y     Y        Y       Y   Y',
  'auth.touch':              'Y     Y        Y       Y   Y',
  // the owner's own password, old one first: whoever is logged in, never on someone else's behalf
  'auth.changePassword':     '-     Y        Y       Y   Y',
  // the rules are shown on the pages that need no login: the invitation and "Glömt lösenord"
  'auth.passwordRules':      'Y     Y        Y       Y   Y',
  // "Glömt lösenord" (seeds 001/002): asked before any login, the code by SMS is the proof
  'auth.requestResetCode':   'Y     Y        Y       Y   Y',
  'auth.resetWithCode':      'Y     Y        Y       Y   Y',
  // the e-mailed link is the proof (seed 003: new people set their own password from a link)
  'invitation.open':         'Y     Y        Y       Y   Y',
  'invitation.enrol':        'Y     Y        Y       Y   Y',
  'invitation.complete':     'Y     Y        Y       Y   Y',
  // refused by its handler once the first administrator exists
  'setup.firstRun':          'Y     Y        Y       Y   Y',
  // "Vanliga frågor": the holder reads them at the kiosk; only the organisation administrator words them
  'faq.texts':               'Y     Y        Y       Y   Y',
  'faq.save':                '-     -        -       Y   -',
  // the start screen's idle text, worded by whoever administers the station
  'screenSaver.texts':       'Y     Y        Y       Y   Y',
  'screenSaver.save':        '-     -        Y       Y   -',
  // stops only the caller's own long work (its session's job), so every logged-in role may
  'work.cancel':             '-     Y        Y       Y   Y',
  'people.search':           '-     Y        Y       Y   Y',
  'people.get':              '-     Y        Y       Y   Y',
  // the extract lists who read the record from the trail, which a unit manager never sees
  'people.extract':          '-     Y        Y       Y   -',
  // cannot be undone and reaches every unit's records of the person
  'people.erase':            '-     -        -       Y   -',
  // gallring is administration: both administrators see the rules, only the organisation administrator changes or runs them
  'retention.overview':      '-     -        Y       Y   -',
  'retention.setPeriod':     '-     -        -       Y   -',
  'retention.run':           '-     -        -       Y   -',
  'people.create':           '-     Y        Y       Y   Y',
  'people.update':           '-     Y        Y       Y   Y',
  'people.importPreview':    '-     -        Y       Y   Y',
  'people.import':           '-     -        Y       Y   Y',
  'people.template':         '-     -        Y       Y   Y',
  'organisations.list':      '-     Y        Y       Y   Y',
  'organisations.create':    '-     -        -       Y   -',
  'units.list':              '-     Y        Y       Y   Y',
  'units.create':            '-     -        -       Y   -',
  // editing, moving and closing units shapes every unit's invoices: the organisation administrator's alone (seed 003)
  'units.update':            '-     -        -       Y   -',
  'units.move':              '-     -        -       Y   -',
  'units.close':             '-     -        -       Y   -',
  // every logged-in caller may ask where they may change things, to show only the buttons that work
  'units.editable':          '-     Y        Y       Y   Y',
  // the portal's people list is for those who administer people; the counter finds a person by search
  'people.list':             '-     -        Y       Y   Y',
  // "Kan redigera": the organisation administrator sets it for anyone, a unit administrator for the others of their units
  'unitAdmins.list':         '-     -        -       Y   Y',
  'unitAdmins.setCanEdit':   '-     -        -       Y   Y',
  'stations.list':           '-     Y        Y       Y   Y',
  'stations.create':         '-     -        Y       Y   -',
  'audit.query':             '-     -        Y       Y   -',
  'audit.export':            '-     -        Y       Y   -',
  'audit.verify':            '-     -        Y       Y   -',
  'staff.list':              '-     -        Y       Y   -',
  'staff.create':            '-     -        -       Y   -',
  'staff.update':            '-     -        -       Y   -',
  // administrators unlock, disable, re-invite and reset the code enrolment, but never see or set a password
  'staff.sendInvitation':    '-     -        -       Y   -',
  'staff.resetOtp':          '-     -        -       Y   -',
  // the password rules are the organisation's: its administrator alone sets them
  'staff.savePasswordRules': '-     -        -       Y   -',
  'tokens.import':           '-     -        Y       Y   -',
  'tokens.stock':            '-     -        Y       Y   Y',
  'tokens.issue':            '-     Y        Y       Y   Y',
  'tokens.check':            '-     Y        Y       Y   Y',
  'tokens.return':           '-     Y        Y       Y   Y',
  'tokens.lost':             '-     Y        Y       Y   Y',
  'tokens.swapDefective':    '-     Y        Y       Y   Y',
  'tokens.defective':        '-     -        Y       Y   -',
  'tokens.markSent':         '-     -        Y       Y   -',
  'tokens.forPerson':        '-     Y        Y       Y   Y',
  'tokens.history':          '-     Y        Y       Y   Y',
  'tokens.orders':           '-     -        Y       Y   Y',
  'tokens.order':            '-     -        Y       Y   Y',
  'tokens.orderDelivered':   '-     -        Y       Y   -',
  'tokens.terms':            'Y     Y        Y       Y   Y',
  'tokens.saveTerms':        '-     -        -       Y   -',
  'cardOrders.create':       '-     Y        Y       Y   -',
  'cardOrders.import':       '-     Y        Y       Y   -',
  'cardOrders.photograph':   '-     Y        Y       Y   -',
  'cardOrders.produce':      '-     Y        Y       Y   -',
  'cardOrders.markReady':    '-     Y        Y       Y   -',
  'cardOrders.forPerson':    '-     Y        Y       Y   Y',
  'cardOrders.lookup':       '-     Y        Y       Y   -',
  'cardOrders.handover':     '-     Y        Y       Y   -',
  'cardOrders.return':       '-     Y        Y       Y   -',
  'cardOrders.block':        '-     Y        Y       Y   -',
  'cardOrders.orderReplacement': '-     Y        Y       Y   -',
  'cardOrders.worklist':     '-     Y        Y       Y   -',
  // a lost card is reported at the counter, and counter staff block it in SITHS eID-portalen and confirm it here
  'blockRequests.create':    '-     Y        Y       Y   -',
  'blockRequests.confirm':   '-     Y        Y       Y   -',
  'blockRequests.close':     '-     Y        Y       Y   -',
  'blockRequests.list':      '-     Y        Y       Y   -',
  'blockRequests.csv':       '-     Y        Y       Y   -',
  'reports.run':             '-     -        Y       Y   Y',
  'reports.export':          '-     -        Y       Y   Y',
  'invoices.month':          '-     -        Y       Y   Y',
  'invoices.close':          '-     -        Y       Y   -',
  'invoices.export':         '-     -        Y       Y   Y',
  'outbox.list':             '-     -        Y       Y   -',
  'outbox.resend':           '-     -        Y       Y   -',
  'templates.list':          '-     -        Y       Y   -',
  'templates.save':          '-     -        Y       Y   -',
};

const personInput = { firstName: 'Anna', surname: 'Berg', personnummer: '198507099805', hsaId: null, username: null, email: null, mobile: null, employmentType: null, employmentEnd: null, unitIds: [] };

/** An input each schema accepts, so a refusal can only come from the role check. */
const VALID_INPUT: Record<string, unknown> = {
  'app.info': {},
  'readers.list': {},
  'card.results': {},
  'card.test': { reader: 'r' },
  'card.trace': { reader: 'r' },
  'crl.import': { contentBase64: 'AAAA' },
  'crl.list': {},
  'cards.flags': { cardSerial: '97522690000012345678' },
  'pin.status': { reader: 'r' },
  'pin.change': { reader: 'r', pin: 'auth', current: '123456', next: '294857' },
  'pin.unblock': { reader: 'r', pin: 'sign', puk: '12345678', next: '294857' },
  'pin.proveKey': { reader: 'r', pin: 'auth', value: '123456' },
  'pukRoute.policy': {},
  'pukRoute.setPolicy': { portalRetrievalAllowed: true },
  'pukRoute.checkId': { reader: 'r', idDocument: { type: 'pass', lastFour: '12AB', expiry: '2030-01-01', note: null }, holderMatches: true },
  'pukRoute.orderNewPuk': { routeId: '6f1c1a34-3f1e-4b8e-9d7a-2b4c5d6e7f80', orderReference: 'PUK-1' },
  'pukRoute.retrieveFromPortal': { routeId: '6f1c1a34-3f1e-4b8e-9d7a-2b4c5d6e7f80' },
  'auth.status': {},
  'auth.loginPassword': { username: 'anna', password: 'Hemligt1', otp: '123456' },
  'auth.loginCard': { reader: 'r', pin: '123456' },
  'auth.loginCertificate': {},
  'auth.logout': {},
  'auth.touch': {},
  'auth.changePassword': { currentPassword: 'Hemligt1', newPassword: 'Hemligt2' },
  'auth.passwordRules': {},
  'auth.requestResetCode': { username: 'anna' },
  'auth.resetWithCode': { username: 'anna', code: '123456', choice: 'unlock' },
  'invitation.open': { token: 'A'.repeat(43) },
  'invitation.enrol': { token: 'A'.repeat(43) },
  'invitation.complete': { token: 'A'.repeat(43), password: 'Hemligt1', otp: '123456' },
  'setup.firstRun': { stationName: 'Akademiska', admin: { username: 'admin', displayName: 'Admin', password: 'Hemligt1' } },
  'faq.texts': {},
  'screenSaver.texts': {},
  'screenSaver.save': { sv: 'Välkommen till kortstationen, ingång 70.', en: '' },
  'work.cancel': { jobId: 'c0ffee00-0000-4000-8000-000000000000' },
  'faq.save': { locale: 'sv', answers: { validity: 'Kortet gäller i fem år.' }, contacts: { servicedesk: '018-611 00 00' } },
  'people.search': { query: 'an', limit: 10 },
  'people.get': { id: 1 },
  'people.extract': { id: 1 },
  'people.erase': { id: 1 },
  'retention.overview': {},
  'retention.setPeriod': { rule: 'outbox-bodies', value: 90 },
  'retention.run': { dryRun: true },
  'people.create': personInput,
  'people.update': { id: 1, ...personInput },
  'people.importPreview': { fileName: 'p.csv', contentBase64: 'AAAA' },
  'people.import': { fileName: 'p.csv', contentBase64: 'AAAA' },
  'people.template': { format: 'xlsx' },
  'organisations.list': {},
  'organisations.create': { name: 'Region Uppsala', kind: 'region' },
  'units.list': {},
  'units.create': { organisationId: 1, parentId: null, name: 'Akuten', reference: 'K100' },
  'units.update': { id: 1, name: 'Akuten', reference: 'K100', billingAddress: 'Box 1, 751 85 Uppsala', usesParentBilling: false },
  'units.move': { id: 2, parentId: 1 },
  'units.close': { id: 1 },
  'units.editable': {},
  'people.list': { unitId: 1, status: 'active', offset: 0 },
  'unitAdmins.list': {},
  'unitAdmins.setCanEdit': { staffId: 2, unitId: 1, canEdit: false },
  'stations.list': {},
  'stations.create': { name: 'Akademiska', site: 'Ing 70', address: 'Sjukhusvägen 1' },
  'audit.query': { limit: 50, action: 'pin' },
  'audit.export': { from: '2026-11-01T00:00:00.000Z' },
  'audit.verify': {},
  'staff.list': {},
  'staff.create': { username: 'anna', displayName: 'Anna', role: 'operator', email: 'anna@example.se' },
  'staff.update': { id: 1, disabled: true },
  'staff.sendInvitation': { id: 1 },
  'staff.resetOtp': { id: 1 },
  'staff.savePasswordRules': { requireSpecial: true },
  'tokens.import': { contentBase64: 'AAAA', unitReference: 'K100', password: 'hemligt' },
  'tokens.stock': {},
  'tokens.issue': { personId: 1, category: 'kommunal', serial: 'KS000001', code: '123456', idDocument: { type: 'pass', lastFour: '1234', expiry: '2035-01-01', note: null } },
  'tokens.check': { code: '12345678' },
  'tokens.return': { serial: 'KS000001' },
  'tokens.lost': { serial: 'KS000001', chargeTo: 'unit' },
  'tokens.swapDefective': { oldSerial: 'KS000001', newSerial: 'KS000002', code: '123456', idDocument: { type: 'pass', lastFour: '1234', expiry: '2035-01-01', note: null } },
  'tokens.defective': {},
  'tokens.markSent': { serials: ['KS000001'] },
  'tokens.forPerson': { personId: 1 },
  'tokens.history': { serial: 'KS000001' },
  'tokens.orders': {},
  'tokens.order': { unitId: 1, quantity: 10, priceOre: 35000 },
  'tokens.orderDelivered': { orderId: 1 },
  'tokens.terms': {},
  'tokens.saveTerms': { lostChargeOre: 25000, supportContact: 'Dossupporten, 018-611 00 00' },
  'cardOrders.create': { personId: 1, orderDate: '2026-01-01', orderReference: 'B1' },
  'cardOrders.import': { fileName: 'o.csv', contentBase64: 'AAAA' },
  'cardOrders.photograph': { orderId: 1 },
  'cardOrders.produce': { orderId: 1, cardNumber: '97522690000012345678' },
  'cardOrders.markReady': { orderId: 1 },
  'cardOrders.forPerson': { personId: 1 },
  'cardOrders.lookup': { cardNumber: '97522690000012345678' },
  'cardOrders.handover': { orderId: 1, reader: 'r', idDocument: { type: 'pass', lastFour: '12AB', expiry: '2030-01-01', note: null }, photoMatchesFace: true, pinLetterBrought: true },
  'cardOrders.return': { orderId: 1, reason: 'broken', cutInTwo: true },
  'cardOrders.block': { orderId: 1, reason: 'lost', reportedBy: 'Anna', note: null },
  'cardOrders.orderReplacement': { orderId: 1, orderReference: 'B2' },
  'cardOrders.worklist': {},
  'blockRequests.create': { cardNumber: '97522690000012345678', reason: 'lost', reportedBy: 'Anna', note: null },
  'blockRequests.confirm': { requestId: 1, portalReference: 'SP-123' },
  'blockRequests.close': { requestId: 1 },
  'blockRequests.list': { from: '2026-01-01', openOnly: true },
  'blockRequests.csv': {},
  'reports.run': { report: 'token-events', filters: { from: '2026-10-01', to: '2026-10-31', unitId: 1, kind: 'lost' }, sort: { key: 'at', direction: 'desc' }, limit: 50, offset: 0 },
  'reports.export': { report: 'stock', filters: { status: 'in-stock' }, format: 'csv' },
  'invoices.month': { month: '2026-10' },
  'invoices.close': { month: '2026-10' },
  'invoices.export': { month: '2026-10', format: 'xlsx' },
  'outbox.list': { state: 'failed' },
  'outbox.resend': { id: 1 },
  'templates.list': {},
  'templates.save': { name: 'card-ready', subject: 'Kortet är klart', body: 'Hej {{namn}}!' },
};

/**
 * Server mode (`npm run serve`, unit administrators' desks, no card reader): what is not offered there, for every caller.
 * Everything that reads the card in the kiosk's reader: the card test and its trace, the readers, the holder's PINs, card login,
 * handing over the card in the reader, the PUK route's check of the card in the reader. And the first run, which would let
 * whoever reaches the server first become the organisation administrator.
 */
const NOT_ON_SERVER: readonly string[] = [
  'readers.list',
  'card.results',
  'card.test',
  'card.trace',
  'pin.status',
  'pin.change',
  'pin.unblock',
  'pin.proveKey',
  'pukRoute.checkId',
  'auth.loginCard',
  'cardOrders.handover',
  'setup.firstRun',
];

function allowedCallers(name: string): Caller[] {
  const marks = EXPECTED[name]!.split(/\s+/);
  return CALLERS.filter((_caller, index) => marks[index] === 'Y');
}

function sessionOf(caller: Caller): Session {
  return { id: 's', operator: caller === 'nobody' ? null : { id: 1, role: caller, unitIds: [1] } };
}

describe('the role matrix', () => {
  it('lists every procedure of the contract, and nothing else, with one mark per caller', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...procedureNames].sort());
    for (const [name, marks] of Object.entries(EXPECTED)) {
      expect(marks.split(/\s+/), name).toHaveLength(CALLERS.length);
      expect(marks, name).toMatch(/^[Y-](\s+[Y-])*$/);
      // no login means everyone: a procedure open to the counter cannot be closed to staff
      if (marks.startsWith('Y')) expect(allowedCallers(name), name).toEqual(CALLERS);
    }
    expect(Object.keys(VALID_INPUT).sort()).toEqual([...procedureNames].sort());
  });

  it('lets exactly the expected callers through the router to each procedure', async () => {
    const reached: string[] = [];
    const handlers = Object.fromEntries(procedureNames.map((name) => [name, () => (reached.push(name), null)])) as unknown as Handlers;
    const router = createRouter(handlers);
    const wrong: string[] = [];
    for (const name of procedureNames) {
      const allowed = EXPECTED[name] ? allowedCallers(name) : [];
      for (const caller of CALLERS) {
        reached.length = 0;
        const reply = await router.call(sessionOf(caller), name, VALID_INPUT[name]);
        const expected = allowed.includes(caller) ? 'ok' : caller === 'nobody' ? 'not-logged-in' : 'forbidden';
        const got = reply.ok ? 'ok' : reply.code;
        const handlerRan = reached.includes(name);
        if (got !== expected || handlerRan !== (expected === 'ok')) wrong.push(`${name} as ${caller}: expected ${expected}, got ${got}${handlerRan ? ' (handler ran)' : ''}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('in server mode refuses the kiosk-only procedures to every caller and lets the rest through as at the kiosk', async () => {
    const reached: string[] = [];
    const handlers = Object.fromEntries(procedureNames.map((name) => [name, () => (reached.push(name), null)])) as unknown as Handlers;
    const router = createRouter(handlers, { kioskOnlyRefused: true });
    const wrong: string[] = [];
    for (const name of procedureNames) {
      const allowed = EXPECTED[name] ? allowedCallers(name) : [];
      for (const caller of CALLERS) {
        reached.length = 0;
        const reply = await router.call(sessionOf(caller), name, VALID_INPUT[name]);
        const expected = NOT_ON_SERVER.includes(name) ? 'kiosk-only' : allowed.includes(caller) ? 'ok' : caller === 'nobody' ? 'not-logged-in' : 'forbidden';
        const got = reply.ok ? 'ok' : reply.code;
        const handlerRan = reached.includes(name);
        if (got !== expected || handlerRan !== (expected === 'ok')) wrong.push(`${name} as ${caller}: expected ${expected}, got ${got}${handlerRan ? ' (handler ran)' : ''}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
