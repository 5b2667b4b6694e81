import { describe, expect, it } from 'vitest';
import { procedures, ROLES, type ProcedureName } from '@shared/contract';
import { AppError } from '../../src-main/app-error';
import { createRouter, type Handlers, type RouterOptions, type Session } from '../../src-main/router';

const anonymous = (): Session => ({ id: 's', operator: null });

const person = { id: 1, firstName: 'Anna', surname: 'Berg', personnummer: '19850709-9805', birthDate: '1985-07-09', isCoordinationNumber: false, hsaId: null, username: null, email: null, mobile: null, employmentType: null, employmentEnd: null, units: [] };
const noImport = { created: 0, updated: 0, unchanged: 0, errors: [] };
const peopleStubs: Pick<Handlers, 'people.search' | 'people.get' | 'people.create' | 'people.update' | 'people.importPreview' | 'people.import' | 'people.template' | 'organisations.list' | 'organisations.create' | 'units.list' | 'units.create' | 'stations.list' | 'stations.create'> = {
  'people.search': () => [],
  'people.get': () => person,
  'people.create': () => person,
  'people.update': () => person,
  'people.importPreview': () => noImport,
  'people.import': () => noImport,
  'people.template': () => ({ fileName: 'mall.csv', mimeType: 'text/csv', contentBase64: '' }),
  'organisations.list': () => [],
  'organisations.create': ({ name, kind }) => ({ id: 1, name, kind }),
  'units.list': () => [],
  'units.create': (input) => ({ id: 1, ...input }),
  'stations.list': () => [],
  'stations.create': (input) => ({ id: 1, ...input }),
};
const personInput = { firstName: 'Anna', surname: 'Berg', personnummer: '198507099805', hsaId: null, username: null, email: null, mobile: null, employmentType: null, employmentEnd: null, unitIds: [] };

const staffAccount = { id: 1, username: 'anna', displayName: 'Anna', hsaId: null, role: 'operator' as const, unitIds: [], passwordSet: true, tokenEnrolled: true, disabled: false, lockedUntil: null };
const authStubs: Pick<Handlers, 'auth.status' | 'auth.loginPassword' | 'auth.loginCard' | 'auth.logout' | 'auth.touch' | 'staff.list' | 'staff.create' | 'staff.update' | 'staff.setPassword' | 'staff.resetOtp' | 'setup.firstRun'> = {
  'auth.status': () => ({ operator: null, firstRun: false, idleMinutes: 5 }),
  'auth.loginPassword': () => ({ ok: false, reason: 'wrong-credentials', lockedUntil: null, triesLeft: null }),
  'auth.loginCard': () => ({ ok: false, reason: 'wrong-pin', lockedUntil: null, triesLeft: 2 }),
  'auth.logout': () => ({ loggedOut: false }),
  'auth.touch': () => ({ loggedIn: false }),
  'staff.list': () => [],
  'staff.create': () => ({ account: staffAccount, otpauthUri: null }),
  'staff.update': () => staffAccount,
  'staff.setPassword': () => staffAccount,
  'staff.resetOtp': () => ({ otpauthUri: 'otpauth://totp/x' }),
  'setup.firstRun': () => ({ otpauthUri: 'otpauth://totp/x' }),
};

const tokenInfo = { serial: 'KS000001', kind: 'hotp' as const, state: 'issued' as const, category: 'kommunal' as const, manufacturer: null, unitId: null, unitName: null, reference: null, personId: 1, personName: 'Anna Berg', issuedAt: null };
const tokenStubs: Pick<Handlers, 'tokens.import' | 'tokens.stock' | 'tokens.issue' | 'tokens.check' | 'tokens.return' | 'tokens.lost' | 'tokens.swapDefective' | 'tokens.defective' | 'tokens.markSent' | 'tokens.forPerson' | 'tokens.history' | 'tokens.orders' | 'tokens.order' | 'tokens.orderDelivered'> = {
  'tokens.import': () => ({ format: 'pskc', imported: 0, serials: [] }),
  'tokens.stock': () => [],
  'tokens.issue': () => tokenInfo,
  'tokens.check': () => ({ valid: false, matches: [] }),
  'tokens.return': () => tokenInfo,
  'tokens.lost': () => ({ token: tokenInfo, charge: { amountOre: 20000, month: '2026-11', personId: 1, unitId: null, reference: null } }),
  'tokens.swapDefective': () => tokenInfo,
  'tokens.defective': () => [],
  'tokens.markSent': () => ({ marked: 0 }),
  'tokens.forPerson': () => [],
  'tokens.history': () => ({ token: tokenInfo, events: [] }),
  'tokens.orders': () => [],
  'tokens.order': ({ unitId, quantity, priceOre }) => ({ id: 1, unitId, unitName: 'U', reference: 'R', quantity, priceOre, orderedBy: '1', orderedAt: '', deliveredAt: null }),
  'tokens.orderDelivered': ({ orderId }) => ({ id: orderId, unitId: 1, unitName: 'U', reference: 'R', quantity: 1, priceOre: 1, orderedBy: '1', orderedAt: '', deliveredAt: '' }),
};

const cardOrder = { id: 1, personId: 1, personName: 'Anna Berg', orderDate: '2026-01-01', orderReference: 'B1', state: 'ordered' as const, cardNumber: null, photoStation: null, photographedHere: false, photographedAt: null, photographedBy: null, readyAt: null, handedOverAt: null, uncollected: false, certificatesNotAfter: null, replacesOrderId: null };
const receipt = { kind: 'return' as const, orderId: 1, personName: 'Anna Berg', personnummer: '19850709-9805', cardNumber: '123456', at: '', station: 's', staff: 'x', idDocument: null, returnReason: 'broken' as const };
const blockRequest = { id: 1, orderId: 1, cardNumber: '123456', personName: 'Anna Berg', personnummer: '19850709-9805', hsaId: null, reason: 'lost' as const, reportedBy: 'Anna', note: null, at: '', station: 's', staff: 'x', keepUntil: '' };
const cardLifecycleStubs: Pick<Handlers, Extract<keyof Handlers, `cardOrders.${string}` | `blockRequests.${string}` | 'cards.flags'>> = {
  'cardOrders.create': () => cardOrder,
  'cardOrders.import': () => ({ created: 0, errors: [] }),
  'cardOrders.photograph': () => cardOrder,
  'cardOrders.produce': () => cardOrder,
  'cardOrders.markReady': () => cardOrder,
  'cardOrders.forPerson': () => [],
  'cardOrders.lookup': () => cardOrder,
  'cardOrders.handover': () => receipt,
  'cardOrders.return': () => receipt,
  'cardOrders.block': () => blockRequest,
  'cardOrders.orderReplacement': () => cardOrder,
  'cardOrders.worklist': () => ({ toBlock: [], expiring: [], employmentEnding: [] }),
  'blockRequests.list': () => [],
  'blockRequests.csv': () => ({ fileName: 'x.csv', csv: '' }),
  'cards.flags': () => ({ blocked: false, blockedAt: null, orderId: null }),
};

const invoiceMonthView = { month: '2026-10', closedAt: null, closedBy: null, mayClose: true, bases: [] };
const outboxMessage = { id: 1, createdAt: '', to: 'anna@example.se', subject: 's', template: 'card-ready', state: 'queued' as const, attempts: 0, nextAttemptAt: null, lastError: null, sentAt: null };
const mailTemplate = { name: 'card-ready' as const, subject: 's', body: 'b', variables: [], updatedAt: null };
const reportStubs: Pick<Handlers, Extract<keyof Handlers, `reports.${string}` | `invoices.${string}` | `outbox.${string}` | `templates.${string}`>> = {
  'reports.run': () => ({ columns: [], rows: [], total: 0 }),
  'reports.export': () => ({ fileName: 'r.xlsx', mimeType: 'application/octet-stream', contentBase64: '' }),
  'invoices.month': () => invoiceMonthView,
  'invoices.close': () => invoiceMonthView,
  'invoices.export': () => ({ fileName: 'f.csv', mimeType: 'text/csv', contentBase64: '' }),
  'outbox.list': () => [],
  'outbox.resend': () => outboxMessage,
  'templates.list': () => [],
  'templates.save': () => mailTemplate,
};

function routerWith(overrides: Partial<Handlers> = {}, internal: unknown[] = [], onFinished?: RouterOptions['onFinished']) {
  const handlers: Handlers = {
    'app.info': () => ({ version: '1', host: 'web', migrations: 1 }),
    'readers.list': () => ({ serviceUp: true, readers: [] }),
    'card.results': () => [],
    'card.test': () => { throw new AppError('no-card', 'no card'); },
    'crl.import': () => ({ issuer: 'CN=x', thisUpdate: '', nextUpdate: null, replaced: true }),
    'crl.list': () => [],
    ...peopleStubs,
    ...authStubs,
    ...tokenStubs,
    ...cardLifecycleStubs,
    ...reportStubs,
    'pin.status': ({ reader }) => ({ reader, profile: 'pkcs15', cardSerial: null, pins: [] }),
    'pin.change': () => ({ ok: true, code: 'changed', triesLeft: null, rejections: [] }),
    'pin.unblock': () => ({ ok: true, code: 'unblocked', triesLeft: null, rejections: [] }),
    'audit.query': () => ({ entries: [], total: 0 }),
    'audit.export': () => ({ fileName: 'a.csv', contentBase64: '', rows: 0 }),
    'audit.verify': () => ({ ok: true, rows: 0, firstBadRow: null }),
    ...overrides,
  };
  return createRouter(handlers, { onInternalError: (_name, error) => internal.push(error), onFinished });
}

describe('router', () => {
  it('answers a known procedure in an ok envelope', async () => {
    expect(await routerWith().call(anonymous(), 'readers.list', {})).toEqual({ ok: true, value: { serviceUp: true, readers: [] } });
  });

  it('refuses unknown procedures, including inherited object keys', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString']) {
      expect(await routerWith().call(anonymous(), name, {})).toMatchObject({ ok: false, code: 'unknown-procedure' });
    }
  });

  it('validates input against the schema before the handler runs', async () => {
    let ran = false;
    const router = routerWith({ 'readers.list': () => ((ran = true), { serviceUp: true, readers: [] }) });
    for (const bad of [undefined, null, 'x', { extra: 1 }]) {
      expect(await router.call(anonymous(), 'readers.list', bad)).toMatchObject({ ok: false, code: 'invalid-input' });
    }
    for (const bad of [{}, { reader: '' }, { reader: 5 }, { reader: 'r', extra: 1 }]) {
      expect(await router.call(anonymous(), 'card.test', bad)).toMatchObject({ ok: false, code: 'invalid-input' });
    }
    for (const bad of [{ contentBase64: 'not base64!' }, { contentBase64: 5 }]) {
      expect(await router.call(anonymous(), 'crl.import', bad)).toMatchObject({ ok: false, code: 'invalid-input' });
    }
    expect(ran).toBe(false);
  });

  it('passes coded errors through and hides everything else behind "internal"', async () => {
    const internal: unknown[] = [];
    const coded = routerWith({ 'readers.list': () => { throw new AppError('reader-busy', 'busy'); } });
    expect(await coded.call(anonymous(), 'readers.list', {})).toEqual({ ok: false, code: 'reader-busy', message: 'busy' });
    const buggy = routerWith({ 'readers.list': () => { throw new TypeError('secret detail at /home/x'); } }, internal);
    const reply = await buggy.call(anonymous(), 'readers.list', {});
    expect(reply).toEqual({ ok: false, code: 'internal', message: 'Internal error' });
    expect(JSON.stringify(reply)).not.toContain('secret detail');
    expect(internal).toHaveLength(1);
  });

  it('reports each call that passed its checks as ok, refused or failed, and none that did not', async () => {
    const finished: { procedure: string; outcome: string }[] = [];
    const router = routerWith(
      {
        'card.test': () => {
          throw new AppError('no-card', 'none');
        },
        'crl.list': () => {
          throw new Error('bug');
        },
      },
      [],
      ({ procedure, outcome }) => finished.push({ procedure, outcome }),
    );
    await router.call(anonymous(), 'readers.list', {});
    await router.call(anonymous(), 'card.test', { reader: 'r' });
    await router.call(anonymous(), 'crl.list', {});
    await router.call(anonymous(), 'card.test', { reader: 5 });
    await router.call(anonymous(), 'audit.verify', {});
    expect(finished).toEqual([
      { procedure: 'readers.list', outcome: 'ok' },
      { procedure: 'card.test', outcome: 'refused' },
      { procedure: 'crl.list', outcome: 'failed' },
    ]);
  });

  it('checks every procedure against every role', async () => {
    const router = routerWith();
    const validInput: Record<ProcedureName, unknown> = {
      'app.info': {},
      'readers.list': {},
      'card.results': {},
      'card.test': { reader: 'r' },
      'crl.import': { contentBase64: 'AAAA' },
      'crl.list': {},
      'people.search': { query: 'an', limit: 10 },
      'people.get': { id: 1 },
      'people.create': personInput,
      'people.update': { id: 1, ...personInput },
      'people.importPreview': { fileName: 'p.csv', contentBase64: 'AAAA' },
      'people.import': { fileName: 'p.csv', contentBase64: 'AAAA' },
      'people.template': { format: 'xlsx' },
      'organisations.list': {},
      'organisations.create': { name: 'Region Uppsala', kind: 'region' },
      'units.list': {},
      'units.create': { organisationId: 1, parentId: null, name: 'Akuten', reference: 'K100' },
      'stations.list': {},
      'stations.create': { name: 'Akademiska', site: 'Ing 70', address: 'Sjukhusvägen 1' },
      'pin.status': { reader: 'r' },
      'pin.change': { reader: 'r', pin: 'auth', current: '123456', next: '294857' },
      'pin.unblock': { reader: 'r', pin: 'sign', puk: '12345678', next: '294857' },
      'audit.query': { limit: 50, action: 'pin' },
      'audit.export': { from: '2026-11-01T00:00:00.000Z' },
      'audit.verify': {},
      'auth.status': {},
      'auth.loginPassword': { username: 'anna', password: 'Hemligt1', otp: '123456' },
      'auth.loginCard': { reader: 'r', pin: '123456' },
      'auth.logout': {},
      'auth.touch': {},
      'staff.list': {},
      'staff.create': { username: 'anna', displayName: 'Anna', role: 'operator' },
      'staff.update': { id: 1, disabled: true },
      'staff.setPassword': { id: 1, password: 'Hemligt1' },
      'staff.resetOtp': { id: 1 },
      'setup.firstRun': { stationName: 'Akademiska', admin: { username: 'admin', displayName: 'Admin', password: 'Hemligt1' } },
      'tokens.import': { contentBase64: 'AAAA', unitReference: 'K100', password: 'hemligt' },
      'tokens.stock': {},
      'tokens.issue': { personId: 1, category: 'kommunal', serial: 'KS000001', code: '123456' },
      'tokens.check': { code: '12345678' },
      'tokens.return': { serial: 'KS000001' },
      'tokens.lost': { serial: 'KS000001', chargeTo: 'unit' },
      'tokens.swapDefective': { oldSerial: 'KS000001', newSerial: 'KS000002', code: '123456' },
      'tokens.defective': {},
      'tokens.markSent': { serials: ['KS000001'] },
      'tokens.forPerson': { personId: 1 },
      'tokens.history': { serial: 'KS000001' },
      'tokens.orders': {},
      'tokens.order': { unitId: 1, quantity: 10, priceOre: 35000 },
      'tokens.orderDelivered': { orderId: 1 },
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
      'blockRequests.list': { from: '2026-01-01' },
      'blockRequests.csv': {},
      'cards.flags': { cardSerial: '97522690000012345678' },
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
    for (const name of Object.keys(procedures) as ProcedureName[]) {
      const { access } = procedures[name];
      for (const role of [null, ...ROLES]) {
        const session: Session = { id: 's', operator: role ? { id: 1, role, unitIds: [] } : null };
        const reply = await router.call(session, name, validInput[name]);
        const allowed = access === 'anyone' || (role !== null && access.includes(role));
        const refusedByRole = !reply.ok && (reply.code === 'forbidden' || reply.code === 'not-logged-in');
        expect(refusedByRole, `${name} as ${role ?? 'nobody'}`).toBe(!allowed);
      }
    }
  });
});
