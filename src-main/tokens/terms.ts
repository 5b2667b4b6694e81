// The token terms the organisation administrator sets: what a lost token costs and whom to contact about tokens; audited when changed.
import type { TokenTerms } from '@shared/contract';
import { lostTokenChargeOre } from '@shared/domain/token-charges';
import { appendAudit } from '../audit/audit';
import { readSetting, removeSetting, writeSetting } from '../db/settings';
import type { Db } from '../db/data-layer';
import type { Operator } from '../router';
import { TOKEN_SETTINGS, type TokenServiceContext } from './store';

export async function readTokenTerms(db: Db): Promise<TokenTerms> {
  return {
    lostChargeOre: lostTokenChargeOre(await readSetting(db, TOKEN_SETTINGS.lostCharge)),
    supportContact: (await readSetting(db, TOKEN_SETTINGS.supportContact)) ?? null,
  };
}

/** Saves both terms in one transaction with one audit row naming the old and new values; an empty contact puts the default text back. */
export function saveTokenTerms(context: TokenServiceContext, operator: Operator, terms: TokenTerms): Promise<TokenTerms> {
  const { db } = context;
  return db.transaction(async () => {
    const before = await readTokenTerms(db);
    await writeSetting(db, TOKEN_SETTINGS.lostCharge, String(terms.lostChargeOre));
    const contact = terms.supportContact?.trim() ?? '';
    if (contact === '') await removeSetting(db, TOKEN_SETTINGS.supportContact);
    else await writeSetting(db, TOKEN_SETTINGS.supportContact, contact);
    const after = await readTokenTerms(db);
    await appendAudit(db, { station: await context.station(), actor: String(operator.id), action: 'tokens.terms-changed', outcome: 'ok', details: { before: { ...before }, after: { ...after } }, at: context.now() });
    return after;
  });
}
