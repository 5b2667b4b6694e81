// Tokens coming back: returned to their unit's stock, lost (with the 200 SEK charge), sent to support; and what the stock holds.
import type { TokenEventInfo, TokenHistory, TokenInfo, TokenLostResult, TokenState, TokenStockRow } from '@shared/contract';
import { TOKEN_STATES } from '@shared/contract';
import { lostTokenChargeOre } from '@shared/domain/token-charges';
import { readSetting } from '../db/settings';
import type { Operator } from '../router';
import { openChargeMonth } from '../reports/invoices';
import { billingUnitOf, scopeOf } from '../organisation/organisation';
import {
  firstUnitOf,
  personInScope,
  recordTokenChange,
  requireState,
  scopeAllowsToken,
  TOKEN_SELECT,
  TOKEN_SETTINGS,
  toTokenInfo,
  tokenBySerial,
  type TokenRow,
  type TokenServiceContext,
} from './store';

async function release(context: TokenServiceContext, token: TokenRow, state: TokenState, at: string): Promise<void> {
  // the counter and drift stay: the next holder's first code must still be found in the window
  await context.db.run('UPDATE token SET state = ?, person_id = NULL, category = NULL, issued_at = NULL, state_changed_at = ? WHERE id = ?', [state, at, token.id]);
}

/** Back into the stock of the unit it came from (or the station's own), ready for the next person. */
export function returnToken(context: TokenServiceContext, operator: Operator, serial: string): Promise<TokenInfo> {
  return context.db.transaction(async () => {
    const token = await tokenBySerial(context.db, operator, serial);
    requireState(token, ['issued']);
    const now = context.now();
    await release(context, token, 'in-stock', now.toISOString());
    await recordTokenChange(context, operator, { token, action: 'token.returned', personId: token.person_id }, now);
    return toTokenInfo({ ...token, state: 'in-stock', person_id: null, person_name: null, category: null, issued_at: null });
  });
}

/** Lost: the person who lost it pays; if nobody can be traced, the token's unit does. */
export function reportLostToken(context: TokenServiceContext, operator: Operator, request: { serial: string; chargeTo: 'person' | 'unit' }): Promise<TokenLostResult> {
  const { db } = context;
  return db.transaction(async () => {
    const token = await tokenBySerial(db, operator, request.serial);
    requireState(token, ['issued', 'in-stock']);
    const now = context.now();
    const chargedPerson = request.chargeTo === 'person' ? token.person_id : null;
    // a token from the station's own stock is invoiced to the unit of the person who had it
    const unit = token.unit_id !== null ? { id: token.unit_id } : token.person_id !== null ? await firstUnitOf(db, token.person_id) : undefined;
    const charge = {
      amountOre: lostTokenChargeOre(await readSetting(db, TOKEN_SETTINGS.lostCharge)),
      // a month closed on its last day is invoiced: later charges that day go to the next month
      month: await openChargeMonth(db, now),
      personId: chargedPerson,
      unitId: unit?.id ?? null,
      // a sub-unit using its parent's reference is invoiced on the parent's
      reference: unit ? (await billingUnitOf(db, unit.id)).reference : null,
    };
    await db.run("INSERT INTO charge (at, month, kind, amount_ore, person_id, unit_id, reference, token_id, station) VALUES (?, ?, 'lost-token', ?, ?, ?, ?, ?, ?)", [
      now.toISOString(),
      charge.month,
      charge.amountOre,
      charge.personId,
      charge.unitId,
      charge.reference,
      token.id,
      await context.station(),
    ]);
    await release(context, token, 'lost', now.toISOString());
    await recordTokenChange(
      context,
      operator,
      { token, action: 'token.lost', personId: token.person_id, details: { chargedTo: chargedPerson === null ? 'unit' : 'person', amountOre: charge.amountOre, month: charge.month, reference: charge.reference } },
      now,
    );
    return { token: toTokenInfo({ ...token, state: 'lost', person_id: null, person_name: null, category: null, issued_at: null }), charge };
  });
}

async function tokensInScope(context: TokenServiceContext, operator: Operator, where: string, ...parameters: (string | number)[]): Promise<TokenRow[]> {
  const scope = scopeOf(operator);
  return (await context.db.all<TokenRow>(`${TOKEN_SELECT} WHERE ${where} ORDER BY token.serial`, parameters)).filter((row) => scopeAllowsToken(scope, row));
}

export async function defectiveTokens(context: TokenServiceContext, operator: Operator): Promise<TokenInfo[]> {
  return (await tokensInScope(context, operator, "token.state = 'defective'")).map(toTokenInfo);
}

/** Marks a batch of defective tokens as sent to support; one token in another state refuses the whole batch. */
export function markSentToSupport(context: TokenServiceContext, operator: Operator, serials: readonly string[]): Promise<{ marked: number }> {
  return context.db.transaction(async () => {
    const now = context.now();
    const unique = [...new Set(serials)];
    for (const serial of unique) {
      const token = await tokenBySerial(context.db, operator, serial);
      requireState(token, ['defective']);
      await context.db.run("UPDATE token SET state = 'sent-to-support', state_changed_at = ? WHERE id = ?", [now.toISOString(), token.id]);
      await recordTokenChange(context, operator, { token, action: 'token.sent-to-support', personId: null }, now);
    }
    return { marked: unique.length };
  });
}

export async function tokensOfPerson(context: TokenServiceContext, operator: Operator, personId: number): Promise<TokenInfo[]> {
  await personInScope(context.db, operator, personId);
  // the person's own tokens are shown whoever owns them: the operator must see what the person holds
  return (await context.db.all<TokenRow>(`${TOKEN_SELECT} WHERE token.person_id = ? AND token.state = 'issued' ORDER BY token.category`, [personId])).map(toTokenInfo);
}

export async function tokenHistory(context: TokenServiceContext, operator: Operator, serial: string): Promise<TokenHistory> {
  const token = await tokenBySerial(context.db, operator, serial);
  // quoted aliases: PostgreSQL folds unquoted names to lower case
  const events = await context.db.all<TokenEventInfo>(
    `SELECT token_event.at, token_event.action, token_event.person_id AS "personId", person.first_name || ' ' || person.surname AS "personName", token_event.actor
     FROM token_event LEFT JOIN person ON person.id = token_event.person_id WHERE token_event.token_id = ? ORDER BY token_event.id`,
    [token.id],
  );
  return { token: toTokenInfo(token), events };
}

const emptyCounts = (): Record<TokenState, number> => Object.fromEntries(TOKEN_STATES.map((state) => [state, 0])) as Record<TokenState, number>;

/** Counts per owner and state: each unit's stock and the station's own. */
export async function tokenStock(context: TokenServiceContext, operator: Operator): Promise<TokenStockRow[]> {
  const scope = scopeOf(operator);
  // every selected column grouped, as PostgreSQL asks; the station's own stock (no unit) first on both engines
  const rows = (
    await context.db.all<{ unit_id: number | null; unit_name: string | null; reference: string | null; state: TokenState; count: number }>(
      `SELECT token.unit_id, unit.name AS unit_name, unit.reference, token.state, COUNT(*) AS count
       FROM token LEFT JOIN unit ON unit.id = token.unit_id GROUP BY token.unit_id, unit.name, unit.reference, token.state
       ORDER BY CASE WHEN unit.name IS NULL THEN 0 ELSE 1 END, unit.name`,
    )
  ).filter((row) => scopeAllowsToken(scope, row));
  const byOwner = new Map<number | null, TokenStockRow>();
  for (const row of rows) {
    let owner = byOwner.get(row.unit_id);
    if (!owner) byOwner.set(row.unit_id, (owner = { unitId: row.unit_id, unitName: row.unit_name, reference: row.reference, counts: emptyCounts() }));
    owner.counts[row.state] = row.count;
  }
  return [...byOwner.values()];
}
