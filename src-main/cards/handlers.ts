// The card-lifecycle procedures: the caller's staff id and units go with every step.
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import type { StationName } from '../organisation/station-label';
import type { CallContext, Handlers } from '../router';
import type { Caller, CardLifecycle } from './lifecycle';
import { importCardOrders } from './order-import';
import type { WorkJobs } from '../work/jobs';
import { auditedBySession } from '../audit/audited-by';
import { cardWorklist } from './reports';
import { cardFlags, createBlockRequests, exportBlockRequests, listBlockRequests } from './block-requests';
import { scopeOf } from '../organisation/organisation';

type CardLifecycleProcedure = Extract<keyof Handlers, `cardOrders.${string}` | `blockRequests.${string}` | 'cards.flags'>;

function callerOf({ session }: CallContext): Caller {
  // the router lets only logged-in roles through to these; this guards against a handler wired to 'anyone'
  if (!session.operator) throw new AppError('not-logged-in', 'Log in first');
  return { actor: String(session.operator.id), scope: scopeOf(session.operator) };
}

export function cardLifecycleHandlers(db: Db, lifecycle: CardLifecycle, station: StationName, work: WorkJobs, now: () => Date = () => new Date()): Pick<Handlers, CardLifecycleProcedure> {
  const blockRequests = createBlockRequests({ db, lifecycle, now });
  return {
    'cardOrders.create': (input, context) => lifecycle.createOrder(input, callerOf(context)),
    'cardOrders.import': ({ fileName, contentBase64, jobId }, context) =>
      work.run(context.session.id, jobId, (progress) => importCardOrders(db, Uint8Array.from(Buffer.from(contentBase64, 'base64')), fileName, callerOf(context), now(), progress)),
    'cardOrders.photograph': ({ orderId }, context) => lifecycle.photograph(orderId, callerOf(context)),
    'cardOrders.produce': ({ orderId, cardNumber }, context) => lifecycle.produce(orderId, cardNumber, callerOf(context)),
    'cardOrders.markReady': ({ orderId }, context) => lifecycle.markReady(orderId, callerOf(context)),
    'cardOrders.forPerson': ({ personId }, context) => lifecycle.ordersOfPerson(personId, callerOf(context)),
    'cardOrders.lookup': (by, context) => lifecycle.lookup(by, callerOf(context)),
    'cardOrders.handover': ({ orderId, reader, idDocument }, context) => lifecycle.handover({ orderId, reader, idDocument }, callerOf(context)),
    'cardOrders.return': ({ orderId, reason }, context) => lifecycle.returnCard(orderId, reason, callerOf(context)),
    'cardOrders.block': (input, context) => lifecycle.block(input, callerOf(context)),
    'cardOrders.orderReplacement': ({ orderId, orderReference }, context) => lifecycle.orderReplacement(orderId, orderReference, callerOf(context)),
    'cardOrders.worklist': (_input, context) => cardWorklist(db, callerOf(context).scope, now()),
    'blockRequests.create': (input, context) => blockRequests.create(input, callerOf(context)),
    'blockRequests.confirm': ({ requestId, portalReference }, context) => blockRequests.confirm(requestId, portalReference, callerOf(context)),
    'blockRequests.close': ({ requestId }, context) => blockRequests.close(requestId, callerOf(context)),
    'blockRequests.list': (filter, context) => listBlockRequests(db, callerOf(context).scope, filter),
    'blockRequests.csv': async (range, context) => {
      const { csv } = await exportBlockRequests(db, callerOf(context).scope, range, await auditedBySession(context.session, station, now));
      return { fileName: `sparrbegaran-${now().toISOString().slice(0, 10)}.csv`, csv };
    },
    'cards.flags': ({ cardSerial, hsaId }) => cardFlags(db, cardSerial, hsaId),
  };
}
