// The lost PUK-kod route at the counter: the ID-handling checked, then a new PUK-kod ordered or, where the region allows it, the PUK-kod read in SITHS eID-portalen; every step audited, never the PUK-kod.
import { randomUUID } from 'node:crypto';
import type { ErrorCode, IdDocumentInput, PukRouteState } from '@shared/contract';
import { checkIdDocument } from '@shared/domain/card-handover';
import { pukRouteChoices, pukRouteTransition, type PukRouteAction, type PukRoutePolicy, type PukRouteRefusal, type PukRouteStep } from '@shared/domain/puk-route';
import { AppError } from '../app-error';
import { appendAudit, type AuditDetails, type AuditOutcome } from '../audit/audit';
import type { Db } from '../db/data-layer';
import { readSetting, writeSetting } from '../db/settings';
import type { StationName } from '../organisation/station-label';

export const PORTAL_RETRIEVAL_SETTING = 'pukRoute.portalRetrievalAllowed';
/** A visit at the counter: a route left longer than this is started again, with a new ID-handling check. */
const ROUTE_LIFETIME_MS = 30 * 60_000;

interface Route {
  step: PukRouteStep;
  reader: string;
  cardSerial: string | null;
  orderReference: string | null;
  startedAt: number;
}

const REFUSAL_CODES: Record<PukRouteRefusal, ErrorCode> = {
  'id-not-checked': 'puk-route-id-not-checked',
  'portal-not-allowed': 'puk-route-portal-not-allowed',
  'route-done': 'puk-route-done',
};

const AUDIT_ACTIONS: Record<PukRouteAction, string> = {
  'check-id': 'puk-route.id-checked',
  'order-new-puk': 'puk-route.puk-ordered',
  'retrieve-from-portal': 'puk-route.puk-retrieved',
};

const localDate = (instant: Date): string => `${instant.getFullYear()}-${String(instant.getMonth() + 1).padStart(2, '0')}-${String(instant.getDate()).padStart(2, '0')}`;

export interface PukRouteOptions {
  db: Db;
  station: StationName;
  /** The card in the reader: its number names the audit entries' subject. */
  cardSerialIn: (reader: string) => Promise<string | null>;
  now?: () => Date;
}

export function createPukRoute({ db, station, cardSerialIn, now = () => new Date() }: PukRouteOptions) {
  // the route lives for one visit at the counter; the audit trail is its lasting record
  const routes = new Map<string, Route>();

  async function policy(): Promise<PukRoutePolicy> {
    return { portalRetrievalAllowed: (await readSetting(db, PORTAL_RETRIEVAL_SETTING)) === 'true' };
  }

  async function audit(route: Pick<Route, 'reader' | 'cardSerial'>, actor: string | null, action: PukRouteAction, outcome: AuditOutcome, details: AuditDetails): Promise<void> {
    await appendAudit(db, {
      station: await station(),
      actor,
      action: AUDIT_ACTIONS[action],
      subjectType: route.cardSerial ? 'card' : 'reader',
      subjectId: route.cardSerial ?? route.reader,
      outcome,
      details: { reader: route.reader, ...details },
    });
  }

  function stateOf(routeId: string, route: Route, choices: PukRouteAction[]): PukRouteState {
    return { routeId, step: route.step, reader: route.reader, cardSerial: route.cardSerial, choices, orderReference: route.orderReference };
  }

  function routeOrFail(routeId: string): Route {
    const route = routes.get(routeId);
    if (!route || now().getTime() - route.startedAt > ROUTE_LIFETIME_MS) {
      routes.delete(routeId);
      throw new AppError('puk-route-unknown', 'Start the route again with the ID-handling check');
    }
    return route;
  }

  /** Takes one step after the ID-handling check: refused steps are audited too, so a tried portal read is on record. */
  async function step(routeId: string, action: PukRouteAction, actor: string | null, details: AuditDetails, change: (route: Route) => void): Promise<PukRouteState> {
    const route = routeOrFail(routeId);
    const rules = await policy();
    const next = pukRouteTransition(route.step, action, rules);
    if (!next.ok) {
      await audit(route, actor, action, 'refused', { refusal: next.refusal, ...details });
      throw new AppError(REFUSAL_CODES[next.refusal], `The lost PUK-kod route is ${route.step}: cannot ${action}`);
    }
    await audit(route, actor, action, 'ok', details);
    route.step = next.step;
    change(route);
    return stateOf(routeId, route, []);
  }

  return {
    policy,

    async setPolicy(allowed: boolean, actor: string | null): Promise<PukRoutePolicy> {
      await db.transaction(async () => {
        await writeSetting(db, PORTAL_RETRIEVAL_SETTING, String(allowed));
        await appendAudit(db, { station: await station(), actor, action: 'puk-route.policy-changed', outcome: 'ok', details: { portalRetrievalAllowed: allowed } });
      });
      return policy();
    },

    /** The holder's ID-handling, checked as at a handover: not expired, described when "other", and the staff saw it is the card's holder. */
    async checkId(reader: string, idDocument: IdDocumentInput, actor: string | null): Promise<PukRouteState> {
      const cardSerial = await cardSerialIn(reader);
      const route: Route = { step: 'started', reader, cardSerial, orderReference: null, startedAt: now().getTime() };
      const documentDetails = { documentType: idDocument.type, documentLastFour: idDocument.lastFour.toUpperCase(), documentExpiry: idDocument.expiry, documentNote: idDocument.note };
      const refusal = checkIdDocument(idDocument, localDate(now()));
      if (refusal) {
        await audit(route, actor, 'check-id', 'refused', { refusal: refusal.code, ...documentDetails });
        throw new AppError(refusal.code, refusal.code === 'id-document-expired' ? `The ID-handling expired ${idDocument.expiry}` : 'Describe the other ID-handling');
      }
      await audit(route, actor, 'check-id', 'ok', { ...documentDetails, holderMatches: true });
      const routeId = randomUUID();
      route.step = 'id-checked';
      routes.set(routeId, route);
      return stateOf(routeId, route, pukRouteChoices(await policy()));
    },

    /** Ordered in the region's ordering system by the staff; the kiosk records the order's reference. */
    orderNewPuk: (routeId: string, orderReference: string, actor: string | null): Promise<PukRouteState> =>
      step(routeId, 'order-new-puk', actor, { orderReference }, (route) => void (route.orderReference = orderReference)),

    /** An ID-administratör read the PUK-kod in SITHS eID-portalen; it is typed on the keypad for the unlock, never here. */
    retrieveFromPortal: (routeId: string, actor: string | null): Promise<PukRouteState> => step(routeId, 'retrieve-from-portal', actor, {}, () => {}),
  };
}

export type PukRoute = ReturnType<typeof createPukRoute>;
