// The daily anchor by e-mail: once per Swedish calendar day the head is anchored and queued in the outbox to a configured address.
import type { Db } from '../db/data-layer';
import { readSetting, removeSetting, writeSetting } from '../db/settings';
import { localDate } from '@shared/domain/invoice-month';
import { appendAudit, AuditInputError } from './audit';
import { anchorText, createAnchor } from './anchor';
import { queueMail } from '../mail/outbox';

/** The address the anchor goes to; without it no anchor is mailed. */
export const ANCHOR_MAIL_SETTING = 'audit.anchor-mail';
/** The Swedish date ('YYYY-MM-DD') the last anchor was queued on. */
export const ANCHOR_MAILED_ON_SETTING = 'audit.anchor-mailed-on';

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function setAnchorMailAddress(db: Db, address: string | null, by: { actor: string; station: string; now: Date }): Promise<string | null> {
  if (address !== null && !ADDRESS.test(address)) throw new AuditInputError(`"${address}" is not an e-mail address.`);
  await db.transaction(async () => {
    if (address === null) await removeSetting(db, ANCHOR_MAIL_SETTING);
    else await writeSetting(db, ANCHOR_MAIL_SETTING, address);
    await appendAudit(db, { station: by.station, actor: by.actor, action: 'audit.anchor-mail-set', outcome: 'ok', details: { to: address }, at: by.now });
  });
  return address;
}

/** Queues today's anchor unless one went out today already; returns the anchored row id, or null when nothing was queued. */
export async function queueDueAnchorMail(db: Db, station: string, now: Date): Promise<number | null> {
  const today = localDate(now);
  return db.transaction(async () => {
    const to = await readSetting(db, ANCHOR_MAIL_SETTING);
    if (to === undefined || (await readSetting(db, ANCHOR_MAILED_ON_SETTING)) === today) return null;
    const anchor = await createAnchor(db, station, now);
    await queueMail(db, { to, template: 'audit-anchor', values: { station, rad: String(anchor.rowId), tid: anchor.anchoredAt, ankare: anchorText(anchor) }, at: now });
    await writeSetting(db, ANCHOR_MAILED_ON_SETTING, today);
    await appendAudit(db, { station, actor: null, action: 'audit.anchored', outcome: 'ok', details: { rowId: anchor.rowId, via: 'mail' }, at: now });
    return anchor.rowId;
  });
}
