// The counter flows that need the person's live code: issue, "does the token work?", and the swap of one that won't start.
import type { EmploymentType, IdDocumentInput, TokenCategory, TokenCheckResult, TokenInfo } from '@shared/contract';
import { checkIdDocument } from '@shared/domain/card-handover';
import { localDate } from '@shared/domain/invoice-month';
import { tokenKindFitsEmployment } from '@shared/domain/token-kind';
import { tokenLimitRefusal } from '@shared/domain/token-limits';
import type { AuditDetails } from '../audit/audit';
import { AppError } from '../app-error';
import { lockForUpdate } from '../db/data-layer';
import type { Operator } from '../router';
import { scopeOf } from '../organisation/organisation';
import {
  checkTokenCode,
  openTokenSeed,
  personInScope,
  recordTokenChange,
  requireState,
  saveProgress,
  scopeAllowsToken,
  TOKEN_SELECT,
  toTokenInfo,
  tokenBySerial,
  verificationWindows,
  type CodeProgress,
  type TokenRow,
  type TokenServiceContext,
  type VerificationWindows,
} from './store';

export interface TokenIssueRequest {
  personId: number;
  category: TokenCategory;
  serial: string;
  code: string;
  idDocument: IdDocumentInput;
  /** Given when staff link a kind the person's employment type does not call for. */
  kindOverrideReason?: string;
}

// Without a serial every token is tried, so the window is kept small: the person has just pressed ON.
const SCAN_HOTP_LOOK_AHEAD = 5;
const SCAN_TOTP_WINDOW_STEPS = 2;

/** The new counter or drift when the code is right; otherwise a refusal that names no code. */
async function requireLiveCode(context: TokenServiceContext, token: TokenRow, code: string, now: Date): Promise<CodeProgress> {
  const check = checkTokenCode(token, openTokenSeed(context.dataKey, token), code, await verificationWindows(context.db), now);
  if (!check.valid) {
    const message = check.reason === 'already-used' ? 'Koden är redan använd – tryck ON för en ny kod.' : 'Koden stämmer inte med dosan – tryck ON och försök igen.';
    throw new AppError('token-code-wrong', message);
  }
  return check.progress;
}

async function refuseOverLimit(context: TokenServiceContext, personId: number, category: TokenCategory): Promise<void> {
  const held = await context.db.column<TokenCategory>("SELECT category FROM token WHERE person_id = ? AND state = 'issued'", [personId]);
  const refusal = tokenLimitRefusal(held, category);
  if (refusal === 'both-taken') throw new AppError('token-both-taken', 'Personen har redan två dosor (en kommunal och en LOV).');
  if (refusal === 'category-taken') throw new AppError('token-category-taken', `Personen har redan en dosa för ${category === 'lov' ? 'LOV' : 'kommunen'}.`);
}

type LinkRequest = Pick<TokenIssueRequest, 'personId' | 'category' | 'serial' | 'code'>;

/** The ID document must be valid today (the Swedish calendar day), as at a card handover; what staff read off it goes into the audit trail. */
function checkedIdDocument(document: IdDocumentInput, now: Date): AuditDetails {
  const refusal = checkIdDocument(document, localDate(now));
  if (refusal?.code === 'id-document-expired') throw new AppError('id-document-expired', `The ID document expired ${refusal.expiry}`);
  if (refusal) throw new AppError('id-document-note-missing', 'Describe the other ID document');
  return { documentType: document.type, documentLastFour: document.lastFour.toUpperCase(), documentExpiry: document.expiry, documentNote: document.note };
}

/** The kind must be the one the person's employment calls for, unless staff give a reason, which the audit trail keeps. */
async function checkedKind(context: TokenServiceContext, request: TokenIssueRequest): Promise<AuditDetails> {
  const employment = (await context.db.one<{ employment_type: EmploymentType | null }>('SELECT employment_type FROM person WHERE id = ?', [request.personId]))?.employment_type ?? null;
  if (tokenKindFitsEmployment(request.category, employment)) return {};
  if (!request.kindOverrideReason) throw new AppError('token-kind-mismatch', `A ${request.category} token does not fit the employment type ${employment ?? '(none)'}`);
  return { kindOverride: { employmentType: employment, reason: request.kindOverrideReason } };
}

/** Links an in-stock token whose live code was just verified; the caller holds the transaction, so the checks and the link are one step. */
async function linkToPerson(context: TokenServiceContext, operator: Operator, token: TokenRow, request: LinkRequest, now: Date, checks: AuditDetails, replaces?: string): Promise<void> {
  // the usual loser of two counters issuing one token: say so, not merely that the state is wrong
  if (token.state === 'issued') throw new AppError('token-already-issued', `Token ${token.serial} is already issued`);
  requireState(token, ['in-stock']);
  await refuseOverLimit(context, request.personId, request.category);
  const progress = await requireLiveCode(context, token, request.code, now);
  await saveProgress(context.db, token.id, progress);
  const at = now.toISOString();
  await context.db.run("UPDATE token SET state = 'issued', person_id = ?, category = ?, issued_at = ?, state_changed_at = ? WHERE id = ?", [
    request.personId,
    request.category,
    at,
    at,
    token.id,
  ]);
  await recordTokenChange(context, operator, { token, action: 'token.issued', personId: request.personId, details: { category: request.category, ...checks, ...(replaces ? { replaces } : {}) } }, now);
}

async function reread(context: TokenServiceContext, tokenId: number): Promise<TokenInfo> {
  return toTokenInfo((await context.db.one<TokenRow>(`${TOKEN_SELECT} WHERE token.id = ?`, [tokenId]))!);
}

/** Issues a stock token to a person present at the counter; a wrong code, or a third token, changes nothing. */
export function issueToken(context: TokenServiceContext, operator: Operator, request: TokenIssueRequest): Promise<TokenInfo> {
  // read and write in one transaction on the person's and the token's rows, locked: two stations cannot both issue the
  // same token, nor a person get a third; the second station waits for the first and then sees what it did
  return context.db.transaction(async () => {
    await personInScope(context.db, operator, request.personId);
    await lockForUpdate(context.db, 'person', [request.personId]);
    const token = await tokenBySerial(context.db, operator, request.serial, { lock: true });
    const now = context.now();
    const checks = { ...checkedIdDocument(request.idDocument, now), ...(await checkedKind(context, request)) };
    await linkToPerson(context, operator, token, request, now, checks);
    return reread(context, token.id);
  }, { rowLocks: true });
}

/** "Startar inte": the old token becomes defective and a new one is issued in its place, in one transaction. */
export function swapDefectiveToken(context: TokenServiceContext, operator: Operator, request: { oldSerial: string; newSerial: string; code: string; idDocument: IdDocumentInput }): Promise<TokenInfo> {
  return context.db.transaction(async () => {
    const old = await tokenBySerial(context.db, operator, request.oldSerial);
    requireState(old, ['issued']);
    const replacement = await tokenBySerial(context.db, operator, request.newSerial);
    const now = context.now();
    const checks = checkedIdDocument(request.idDocument, now);
    const at = now.toISOString();
    await context.db.run("UPDATE token SET state = 'defective', person_id = NULL, category = NULL, state_changed_at = ? WHERE id = ?", [at, old.id]);
    await recordTokenChange(context, operator, { token: old, action: 'token.defective', personId: old.person_id, details: { replacedBy: replacement.serial } }, now);
    await linkToPerson(context, operator, replacement, { personId: old.person_id!, category: old.category!, serial: replacement.serial, code: request.code }, now, checks, old.serial);
    return reread(context, replacement.id);
  });
}

async function candidates(context: TokenServiceContext, operator: Operator, serial: string | undefined, digits: number): Promise<TokenRow[]> {
  if (serial !== undefined) return [await tokenBySerial(context.db, operator, serial)];
  const scope = scopeOf(operator);
  return (await context.db.all<TokenRow>(`${TOKEN_SELECT} WHERE token.state IN ('in-stock', 'issued') AND token.digits = ?`, [digits])).filter((row) => scopeAllowsToken(scope, row));
}

/** Tells whether a code comes from a working token, and which; links nothing, only moves the matched token's counter on. */
export function checkToken(context: TokenServiceContext, operator: Operator, request: { serial?: string; code: string }): Promise<TokenCheckResult> {
  return context.db.transaction(async () => {
    const now = context.now();
    const configured = await verificationWindows(context.db);
    const windows: VerificationWindows =
      request.serial === undefined
        ? { hotpLookAhead: Math.min(configured.hotpLookAhead, SCAN_HOTP_LOOK_AHEAD), totpWindowSteps: Math.min(configured.totpWindowSteps, SCAN_TOTP_WINDOW_STEPS) }
        : configured;
    const matches: { row: TokenRow; progress: CodeProgress }[] = [];
    for (const row of await candidates(context, operator, request.serial, request.code.length)) {
      const check = checkTokenCode(row, openTokenSeed(context.dataKey, row), request.code, windows, now);
      if (check.valid) matches.push({ row, progress: check.progress });
    }
    // two tokens giving the same code is chance: neither counter is moved, the operator asks for a new code
    if (matches.length === 1) {
      const { row, progress } = matches[0]!;
      await saveProgress(context.db, row.id, progress);
      await recordTokenChange(context, operator, { token: row, action: 'token.checked', personId: row.person_id }, now);
    }
    return { valid: matches.length > 0, matches: matches.map(({ row }) => toTokenInfo(row)) };
  });
}
