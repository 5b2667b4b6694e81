// A kiosk's own station in the region: its name kept in its data folder, because a region database's settings are every station's.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../app-error';
import { appendAudit } from '../audit/audit';
import type { Db } from '../db/data-layer';

/** The kiosk's identity in its data folder, beside `station-id`. */
export const STATION_IDENTITY_FILE = 'region-station.json';
/** A kiosk started with these joins the region by itself on its first start against the region database. */
export const STATION_NAME_ENV = 'KORTSTATION_STATION_NAME';
export const STATION_ORGANISATION_ENV = 'KORTSTATION_STATION_ORGANISATION';

export interface StationIdentity {
  name: string;
  organisation: string | null;
}

export interface JoinRequest {
  name: string;
  organisation?: string;
  /** Where the cards are collected, as the ready e-mail names it. */
  address?: string;
}

export interface JoinResult {
  stationId: number;
  name: string;
  organisation: string | null;
  /** False when a station of that name was in the register already (another kiosk of the same station, or a reinstalled one). */
  registered: boolean;
}

/** Said when a kiosk meets the region database without a name of its own: guessing one would mix two stations' cards. */
export class StationNotJoinedError extends Error {
  constructor(dataDir: string) {
    super(
      `Den här kortstationen har inget eget stationsnamn i regiondatabasen. Anslut den en gång med ` +
        `\`npm run --silent cli -- station join --name NAMN [--organisation ORGANISATION] --data ${dataDir} --database URL\`, ` +
        `eller starta den med ${STATION_NAME_ENV}=NAMN (och ${STATION_ORGANISATION_ENV}). / This station has no name of its own in the region database: join it with \`cli station join --name NAME\` or start it with ${STATION_NAME_ENV}=NAME.`,
    );
    this.name = 'StationNotJoinedError';
  }
}

export function readStationIdentity(dataDir: string): StationIdentity | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, STATION_IDENTITY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<StationIdentity>;
  if (typeof parsed.name !== 'string' || parsed.name.trim() === '') throw new Error(`${join(dataDir, STATION_IDENTITY_FILE)} names no station`);
  return { name: parsed.name, organisation: typeof parsed.organisation === 'string' ? parsed.organisation : null };
}

/** Written whole and renamed into place, so a crash leaves the old identity or the new one. */
export function writeStationIdentity(dataDir: string, identity: StationIdentity): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, STATION_IDENTITY_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  chmodSync(`${path}.tmp`, 0o600);
  renameSync(`${path}.tmp`, path);
}

/** What the environment asks a kiosk to join as, if anything. */
export function joinRequestFromEnv(env: NodeJS.ProcessEnv): JoinRequest | undefined {
  const name = env[STATION_NAME_ENV]?.trim();
  if (!name) return undefined;
  const organisation = env[STATION_ORGANISATION_ENV]?.trim();
  return { name, ...(organisation ? { organisation } : {}) };
}

/**
 * Registers the kiosk as a station of the region (or joins the station of that name) and keeps its identity in its data
 * folder. A data folder that joined as one station never becomes another: that would move its cards' pick-up place.
 */
export async function joinRegion(db: Db, dataDir: string, request: JoinRequest, actor: string | null): Promise<JoinResult> {
  const name = request.name.trim();
  if (name === '') throw new AppError('invalid-input', 'A station needs a name');
  const identity = readStationIdentity(dataDir);
  if (identity && identity.name !== name) throw new AppError('duplicate-name', `This data folder is the station "${identity.name}" already`);
  const result = await registerStation(db, { ...request, name }, actor);
  // after the commit: a refused or failed join leaves the folder as it was
  if (!identity) writeStationIdentity(dataDir, { name, organisation: result.organisation });
  return result;
}

/** The station's row in the region (new, or the one of that name) and its audit entry, in one transaction (the caller's, if any). */
export async function registerStation(db: Db, request: JoinRequest, actor: string | null): Promise<JoinResult> {
  const name = request.name.trim();
  const organisationName = request.organisation?.trim() || null;
  return db.transaction(async () => {
    const organisationId = organisationName === null ? null : await db.value<number>('SELECT id FROM organisation WHERE name = ?', [organisationName]);
    if (organisationId === undefined) throw new AppError('not-found', `No organisation "${organisationName}" in the region database; an organisation administrator adds it first`);
    const existing = await db.one<{ id: number; organisation_id: number | null }>('SELECT id, organisation_id FROM station WHERE name = ?', [name]);
    if (existing && organisationId !== null && existing.organisation_id !== null && Number(existing.organisation_id) !== organisationId) {
      throw new AppError('duplicate-name', `The station "${name}" belongs to another organisation`);
    }
    let stationId: number;
    if (existing) {
      stationId = Number(existing.id);
      if (organisationId !== null && existing.organisation_id === null) await db.run('UPDATE station SET organisation_id = ? WHERE id = ?', [organisationId, stationId]);
    } else {
      stationId = await db.insert('INSERT INTO station (name, site, address, organisation_id) VALUES (?, ?, ?, ?)', [name, '', request.address ?? '', organisationId]);
    }
    await appendAudit(db, { station: name, actor, action: 'station.joined', subjectType: null, outcome: 'ok', details: { stationId, organisation: organisationName, registered: !existing } });
    return { stationId, name, organisation: organisationName, registered: !existing };
  });
}
