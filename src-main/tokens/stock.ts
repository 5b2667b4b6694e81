// Tokens coming back: returned to their unit's stock, lost (with the 200 SEK charge), sent to support; and what the stock holds.
import type { TokenEventInfo, TokenHistory, TokenInfo, TokenLostResult, TokenState, TokenStockRow } from '@shared/contract';
import { TOKEN_STATES } from '@shared/contract';
import { lostTokenChargeOre } from '@shared/domain/token-charges';
import type { Operator } from '../router';
import { openChargeMonth } from '../reports/invoices';
import { scopeOf } from '../organisation/organisation';
import {
  firstUnitOf,
  personInScope,
  recordTokenChange,
  requireState,
  scopeAllowsToken,
  settingText,
  TOKEN_SELECT,
  TOKEN_SETTINGS,
  toTokenInfo,
  tokenBySerial,
  type TokenRow,
  type TokenServiceContext,
} from './store';

function release(context: TokenServiceContext, token: TokenRow, state: TokenState, at: string): void {
  // the counter and drift stay: the next holder's first code must still be found in the window
  context.sqlite.prepare('UPDATE token SET state = ?, person_id = NULL, category = NULL, issued_at = NULL, state_changed_at = ? WHERE id = ?').run(state, at, token.id);
}

/** Back into the stock of the unit it came from (or the station's own), ready for the next person. */
export function returnToken(context: TokenServiceContext, operator: Operator, serial: string): TokenInfo {
  return context.sqlite
    .transaction(() => {
      const token = tokenBySerial(context.sqlite, operator, serial);
      requireState(token, ['issued']);
      const now = context.now();
      release(context, token, 'in-stock', now.toISOString());
      recordTokenChange(context, operator, { token, action: 'token.returned', personId: token.person_id }, now);
      return toTokenInfo({ ...token, state: 'in-stock', person_id: null, person_name: null, category: null, issued_at: null });
    })
    .immediate();
}

/** Lost: the person who lost it pays; if nobody can be traced, the token's unit does. */
export function reportLostToken(context: TokenServiceContext, operator: Operator, request: { serial: string; chargeTo: 'person' | 'unit' }): TokenLostResult {
  return context.sqlite
    .transaction(() => {
      const token = tokenBySerial(context.sqlite, operator, request.serial);
      requireState(token, ['issued', 'in-stock']);
      const now = context.now();
      const chargedPerson = request.chargeTo === 'person' ? token.person_id : null;
      // a token from the station's own stock is invoiced to the unit of the person who had it
      const unit = token.unit_id !== null ? { id: token.unit_id, reference: token.unit_reference } : token.person_id !== null ? firstUnitOf(context.sqlite, token.person_id) : undefined;
      const charge = {
        amountOre: lostTokenChargeOre(settingText(context.sqlite, TOKEN_SETTINGS.lostCharge)),
        // a month closed on its last day is invoiced: later charges that day go to the next month
        month: openChargeMonth(context.sqlite, now),
        personId: chargedPerson,
        unitId: unit?.id ?? null,
        reference: unit?.reference ?? null,
      };
      context.sqlite
        .prepare("INSERT INTO charge (at, month, kind, amount_ore, person_id, unit_id, reference, token_id) VALUES (?, ?, 'lost-token', ?, ?, ?, ?, ?)")
        .run(now.toISOString(), charge.month, charge.amountOre, charge.personId, charge.unitId, charge.reference, token.id);
      release(context, token, 'lost', now.toISOString());
      recordTokenChange(
        context,
        operator,
        { token, action: 'token.lost', personId: token.person_id, details: { chargedTo: chargedPerson === null ? 'unit' : 'person', amountOre: charge.amountOre, month: charge.month, reference: charge.reference } },
        now,
      );
      return { token: toTokenInfo({ ...token, state: 'lost', person_id: null, person_name: null, category: null, issued_at: null }), charge };
    })
    .immediate();
}

function tokensInScope(context: TokenServiceContext, operator: Operator, where: string, ...parameters: (string | number)[]): TokenRow[] {
  const scope = scopeOf(operator);
  return context.sqlite
    .prepare<(string | number)[], TokenRow>(`${TOKEN_SELECT} WHERE ${where} ORDER BY token.serial`)
    .all(...parameters)
    .filter((row) => scopeAllowsToken(scope, row));
}

export function defectiveTokens(context: TokenServiceContext, operator: Operator): TokenInfo[] {
  return tokensInScope(context, operator, "token.state = 'defective'").map(toTokenInfo);
}

/** Marks a batch of defective tokens as sent to support; one token in another state refuses the whole batch. */
export function markSentToSupport(context: TokenServiceContext, operator: Operator, serials: readonly string[]): { marked: number } {
  return context.sqlite
    .transaction(() => {
      const now = context.now();
      const unique = [...new Set(serials)];
      for (const serial of unique) {
        const token = tokenBySerial(context.sqlite, operator, serial);
        requireState(token, ['defective']);
        context.sqlite.prepare("UPDATE token SET state = 'sent-to-support', state_changed_at = ? WHERE id = ?").run(now.toISOString(), token.id);
        recordTokenChange(context, operator, { token, action: 'token.sent-to-support', personId: null }, now);
      }
      return { marked: unique.length };
    })
    .immediate();
}

export function tokensOfPerson(context: TokenServiceContext, operator: Operator, personId: number): TokenInfo[] {
  personInScope(context.sqlite, operator, personId);
  // the person's own tokens are shown whoever owns them: the operator must see what the person holds
  return context.sqlite.prepare<[number], TokenRow>(`${TOKEN_SELECT} WHERE token.person_id = ? AND token.state = 'issued' ORDER BY token.category`).all(personId).map(toTokenInfo);
}

export function tokenHistory(context: TokenServiceContext, operator: Operator, serial: string): TokenHistory {
  const token = tokenBySerial(context.sqlite, operator, serial);
  const events = context.sqlite
    .prepare<[number], TokenEventInfo>(
      `SELECT token_event.at, token_event.action, token_event.person_id AS personId, person.first_name || ' ' || person.surname AS personName, token_event.actor
       FROM token_event LEFT JOIN person ON person.id = token_event.person_id WHERE token_event.token_id = ? ORDER BY token_event.id`,
    )
    .all(token.id);
  return { token: toTokenInfo(token), events };
}

const emptyCounts = (): Record<TokenState, number> => Object.fromEntries(TOKEN_STATES.map((state) => [state, 0])) as Record<TokenState, number>;

/** Counts per owner and state: each unit's stock and the station's own. */
export function tokenStock(context: TokenServiceContext, operator: Operator): TokenStockRow[] {
  const scope = scopeOf(operator);
  const rows = context.sqlite
    .prepare<[], { unit_id: number | null; unit_name: string | null; reference: string | null; state: TokenState; count: number }>(
      `SELECT token.unit_id, unit.name AS unit_name, unit.reference, token.state, COUNT(*) AS count
       FROM token LEFT JOIN unit ON unit.id = token.unit_id GROUP BY token.unit_id, token.state ORDER BY unit.name`,
    )
    .all()
    .filter((row) => scopeAllowsToken(scope, row));
  const byOwner = new Map<number | null, TokenStockRow>();
  for (const row of rows) {
    let owner = byOwner.get(row.unit_id);
    if (!owner) byOwner.set(row.unit_id, (owner = { unitId: row.unit_id, unitName: row.unit_name, reference: row.reference, counts: emptyCounts() }));
    owner.counts[row.state] = row.count;
  }
  return [...byOwner.values()];
}
