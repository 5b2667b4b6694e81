// The PIN procedures, with each attempt written to the audit trail as facts, never values.
import type { Db } from '../db/data-layer';
import type { StationName } from '../organisation/station-label';
import type { ReaderService } from '../card/readers';
import type { Handlers, Session } from '../router';
import type { TrustSource } from '../cards/card-tests';
import { checkCardKey } from '../card/key-check';
import { ensureRegisterAnswers } from '../db/register-health';
import { auditKeyCheck } from '../cards/key-check-audit';
import { pinAuditWriter } from './audit';
import { holderByHsaId } from './holder';
import { createPinService } from './pins';
import { createPukRoute } from './puk-route';

const actorOf = (session: Session): string | null => (session.operator ? String(session.operator.id) : null);

export function pinHandlers(
  readers: ReaderService,
  db: Db,
  station: StationName,
  trust: TrustSource,
): Pick<Handlers, Extract<keyof Handlers, `pin.${string}` | `pukRoute.${string}`>> {
  const pins = createPinService({ readers, audit: pinAuditWriter(db, station), recordable: () => ensureRegisterAnswers(db), holderOf: holderByHsaId(db), trust });
  const pukRoute = createPukRoute({ db, station, cardSerialIn: async (reader) => (await pins.status(reader)).cardSerial });
  return {
    'pin.status': ({ reader }) => pins.status(reader),
    'pin.change': ({ reader, pin, current, next, useAnyway }, { session }) => pins.change(reader, pin, current, next, actorOf(session), useAnyway),
    'pin.unblock': ({ reader, pin, puk, next, useAnyway }, { session }) => pins.unblock(reader, pin, puk, next, actorOf(session), useAnyway),
    'pin.proveKey': async ({ reader, pin, value }, { session }) => {
      await ensureRegisterAnswers(db);
      // a PIN verified for the check must not outlive it
      const check = await readers.withCard(reader, (transmit) => checkCardKey(transmit, pin, value), { resetAfter: true });
      await auditKeyCheck(db, { station: await station(), actor: actorOf(session), reader, check });
      return { role: check.role, result: check.result, triesLeft: check.triesLeft };
    },
    'pukRoute.policy': () => pukRoute.policy(),
    'pukRoute.setPolicy': ({ portalRetrievalAllowed }, { session }) => pukRoute.setPolicy(portalRetrievalAllowed, actorOf(session)),
    'pukRoute.checkId': ({ reader, idDocument }, { session }) => pukRoute.checkId(reader, idDocument, actorOf(session)),
    'pukRoute.orderNewPuk': ({ routeId, orderReference }, { session }) => pukRoute.orderNewPuk(routeId, orderReference, actorOf(session)),
    'pukRoute.retrieveFromPortal': ({ routeId }, { session }) => pukRoute.retrieveFromPortal(routeId, actorOf(session)),
  };
}
