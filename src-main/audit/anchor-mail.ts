// The daily anchor by e-mail: once per Swedish calendar day the head is anchored and queued in the outbox to a configured address.
import type BetterSqlite3 from 'better-sqlite3';
import { localDate } from '@shared/domain/invoice-month';
import { appendAudit, AuditInputError } from './audit';
import { anchorText, createAnchor } from './anchor';
import { queueMail } from '../mail/outbox';

/** The address the anchor goes to; without it no anchor is mailed. */
export const ANCHOR_MAIL_SETTING = 'audit.anchor-mail';
/** The Swedish date ('YYYY-MM-DD') the last anchor was queued on. */
export const ANCHOR_MAILED_ON_SETTING = 'audit.anchor-mailed-on';

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function setAnchorMailAddress(sqlite: BetterSqlite3.Database, address: string | null, by: { actor: string; station: string; now: Date }): string | null {
  if (address !== null && !ADDRESS.test(address)) throw new AuditInputError(`"${address}" is not an e-mail address.`);
  sqlite
    .transaction(() => {
      if (address === null) sqlite.prepare('DELETE FROM setting WHERE key = ?').run(ANCHOR_MAIL_SETTING);
      else sqlite.prepare('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(ANCHOR_MAIL_SETTING, address);
      appendAudit(sqlite, { station: by.station, actor: by.actor, action: 'audit.anchor-mail-set', outcome: 'ok', details: { to: address }, at: by.now });
    })
    .immediate();
  return address;
}

/** Queues today's anchor unless one went out today already; returns the anchored row id, or null when nothing was queued. */
export function queueDueAnchorMail(sqlite: BetterSqlite3.Database, station: string, now: Date): number | null {
  const setting = sqlite.prepare<[string], string>('SELECT value FROM setting WHERE key = ?').pluck();
  const today = localDate(now);
  return sqlite
    .transaction(() => {
      const to = setting.get(ANCHOR_MAIL_SETTING);
      if (to === undefined || setting.get(ANCHOR_MAILED_ON_SETTING) === today) return null;
      const anchor = createAnchor(sqlite, station, now);
      queueMail(sqlite, { to, template: 'audit-anchor', values: { station, rad: String(anchor.rowId), tid: anchor.anchoredAt, ankare: anchorText(anchor) }, at: now });
      sqlite.prepare('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(ANCHOR_MAILED_ON_SETTING, today);
      appendAudit(sqlite, { station, actor: null, action: 'audit.anchored', outcome: 'ok', details: { rowId: anchor.rowId, via: 'mail' }, at: now });
      return anchor.rowId;
    })
    .immediate();
}
