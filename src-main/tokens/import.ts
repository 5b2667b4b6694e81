// Imports a seed file into stock: the whole file is validated and checked against stock before one transaction writes it.
import { NO_PROGRESS, type WorkProgress } from '../work/jobs';
import type { TokenImportResult } from '@shared/contract';
import { AppError } from '../app-error';
import type { Operator } from '../router';
import { sealSeed } from './seed-crypto';
import { parseTokenFile, TokenFileError, type ParsedToken, type PskcDecryption } from './token-file';
import { appendAudit } from '../audit/audit';
import type { TokenServiceContext } from './store';

export interface TokenImportRequest {
  file: Uint8Array;
  /** The owning unit's reference; undefined: the station's own stock. */
  unitReference?: string;
  decryption: PskcDecryption;
}

// 500 rows of 14 values: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters per statement
const ROWS_PER_STATEMENT = 500;

function parseOrRefuse(file: Uint8Array, decryption: PskcDecryption) {
  try {
    return parseTokenFile(file, decryption);
  } catch (error) {
    if (error instanceof TokenFileError) throw new AppError('token-file-invalid', error.message);
    throw error;
  }
}

async function unitByReference(context: TokenServiceContext, reference: string): Promise<{ id: number; reference: string }> {
  const units = await context.db.all<{ id: number; reference: string }>('SELECT id, reference FROM unit WHERE reference = ?', [reference]);
  if (units.length === 0) throw new AppError('unknown-reference', `No unit has the reference "${reference}"`);
  // references are unique per organisation only; a stock must never land in the wrong organisation's unit
  if (units.length > 1) throw new AppError('ambiguous-reference', `${units.length} units in different organisations have the reference "${reference}"`);
  return units[0]!;
}

async function serialsInStock(context: TokenServiceContext, tokens: readonly ParsedToken[]): Promise<string[]> {
  const found: string[] = [];
  for (let start = 0; start < tokens.length; start += ROWS_PER_STATEMENT) {
    const serials = tokens.slice(start, start + ROWS_PER_STATEMENT).map((token) => token.serial);
    const placeholders = serials.map(() => '?').join(', ');
    found.push(...(await context.db.column<string>(`SELECT serial FROM token WHERE serial IN (${placeholders})`, serials)));
  }
  return found;
}

async function stationId(context: TokenServiceContext): Promise<number | null> {
  return (await context.db.value<number>('SELECT id FROM station WHERE name = ?', [await context.station()])) ?? null;
}

/** `by` is the logged-in staff member through the router, or the CLI's own name ("cli:<user>"). */
export async function importTokens(context: TokenServiceContext, by: Operator | string | null, request: TokenImportRequest, progress: WorkProgress = NO_PROGRESS): Promise<TokenImportResult> {
  const parsed = parseOrRefuse(request.file, request.decryption);
  const unit = request.unitReference === undefined ? null : await unitByReference(context, request.unitReference);
  const key = context.dataKey();
  // sealed before the transaction: the write lock is then held only for the inserts
  const sealed = parsed.tokens.map((token) => sealSeed(key, token.serial, token.secret));
  const now = context.now();
  const at = now.toISOString();
  const actor = typeof by === 'string' ? by : by ? String(by.id) : null;
  const { db } = context;
  await db.transaction(async () => {
    const duplicates = await serialsInStock(context, parsed.tokens);
    if (duplicates.length > 0) {
      const shown = duplicates.slice(0, 5).join(', ');
      // only the serials: the screen words the sentence around them in the operator's language
      throw new AppError('token-duplicate-serial', `${shown}${duplicates.length > 5 ? ' …' : ''}`);
    }
    const stationName = await context.station();
    const station = await stationId(context);
    await progress.step(0, parsed.tokens.length);
    // many rows per statement, not two statements per token: a region's PostgreSQL is a round trip away
    for (let start = 0; start < parsed.tokens.length; start += ROWS_PER_STATEMENT) {
      const chunk = parsed.tokens.slice(start, start + ROWS_PER_STATEMENT);
      const rows = chunk.map((token, offset) => [
        token.serial,
        token.kind,
        token.algorithm,
        token.digits,
        token.kind === 'totp' ? token.periodSeconds : null,
        token.kind === 'totp' ? token.t0 : null,
        token.kind === 'totp' ? token.driftSteps : 0,
        token.kind === 'hotp' ? token.counter.toString() : null,
        sealed[start + offset]!,
        token.manufacturer ?? null,
        unit?.id ?? null,
        station,
        at,
        at,
      ]);
      await db.run(
        `INSERT INTO token (serial, kind, algorithm, digits, period, t0, drift, counter, sealed_seed, manufacturer, state, unit_id, station_id, imported_at, state_changed_at)
         VALUES ${rows.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in-stock', ?, ?, ?, ?)").join(', ')}`,
        rows.flat(),
      );
      const serials = chunk.map((token) => token.serial);
      await db.run(
        `INSERT INTO token_event (token_id, at, action, actor, station) SELECT id, ?, 'imported', ?, ? FROM token WHERE serial IN (${serials.map(() => '?').join(', ')}) ORDER BY id`,
        [at, actor, stationName, ...serials],
      );
      // a cancel reported here rolls every token of the file back
      await progress.step(start + chunk.length, parsed.tokens.length);
    }
    await appendAudit(db, {
      station: await context.station(),
      actor,
      action: 'token.imported',
      outcome: 'ok',
      details: { count: parsed.tokens.length, format: parsed.format, unitId: unit?.id ?? null, reference: unit?.reference ?? null },
      at: now,
    });
  });
  return { format: parsed.format, imported: parsed.tokens.length, serials: parsed.tokens.map((token) => token.serial) };
}
