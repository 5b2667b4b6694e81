// The token procedures over the token services: each call runs as the logged-in operator, within their units.
import { AppError } from '../app-error';
import type { CallContext, Handlers, Operator } from '../router';
import { issueToken, checkToken, swapDefectiveToken } from './counter';
import { importTokens } from './import';
import { deliverTokenOrder, listTokenOrders, placeTokenOrder } from './orders';
import { defectiveTokens, markSentToSupport, reportLostToken, returnToken, tokenHistory, tokensOfPerson, tokenStock } from './stock';
import type { TokenServiceContext } from './store';
import type { WorkJobs } from '../work/jobs';
import { readTokenTerms, saveTokenTerms } from './terms';

type TokenProcedure = Extract<keyof Handlers, `tokens.${string}`>;

function operatorOf({ session }: CallContext): Operator {
  // the router lets only logged-in roles through to these; this guards against a handler wired to 'anyone'
  if (!session.operator) throw new AppError('not-logged-in', 'Log in first');
  return session.operator;
}

export function tokenHandlers(context: TokenServiceContext, work: WorkJobs): Pick<Handlers, TokenProcedure> {
  return {
    'tokens.import': ({ contentBase64, unitReference, preSharedKeyHex, password, jobId }, call) =>
      work.run(call.session.id, jobId, (progress) =>
        importTokens(
          context,
          operatorOf(call),
          { file: Buffer.from(contentBase64, 'base64'), unitReference, decryption: { preSharedKey: preSharedKeyHex === undefined ? undefined : Buffer.from(preSharedKeyHex, 'hex'), password } },
          progress,
        ),
      ),
    'tokens.stock': (_input, call) => tokenStock(context, operatorOf(call)),
    'tokens.issue': (input, call) => issueToken(context, operatorOf(call), input),
    'tokens.check': (input, call) => checkToken(context, operatorOf(call), input),
    'tokens.return': ({ serial }, call) => returnToken(context, operatorOf(call), serial),
    'tokens.lost': (input, call) => reportLostToken(context, operatorOf(call), input),
    'tokens.swapDefective': (input, call) => swapDefectiveToken(context, operatorOf(call), input),
    'tokens.defective': (_input, call) => defectiveTokens(context, operatorOf(call)),
    'tokens.markSent': ({ serials }, call) => markSentToSupport(context, operatorOf(call), serials),
    'tokens.forPerson': ({ personId }, call) => tokensOfPerson(context, operatorOf(call), personId),
    'tokens.history': ({ serial }, call) => tokenHistory(context, operatorOf(call), serial),
    'tokens.orders': (_input, call) => listTokenOrders(context, operatorOf(call)),
    'tokens.order': (input, call) => placeTokenOrder(context, operatorOf(call), input),
    'tokens.terms': () => readTokenTerms(context.db),
    'tokens.saveTerms': (terms, call) => saveTokenTerms(context, operatorOf(call), terms),
    'tokens.orderDelivered': ({ orderId }, call) => deliverTokenOrder(context, operatorOf(call), orderId),
  };
}
