import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTime } from '@shared/event-time';
import { ReaderService } from '../../src-main/card/readers';
import { insertCard } from '../sim/vpcd';
import { createMinimalApplet, MINIMAL_ATR } from '../sim/minimal-applet';
import { hex, nextEvent } from '../support/events';
import { READER_0, READER_1, startPcscd, stopPcscd } from '../support/pcscd';

describe('readers on the real pcscd with vpcd', () => {
  const readers = new ReaderService({ allowVirtualReaders: true });

  beforeAll(async () => {
    readers.start();
    await readers.ready();
  });
  afterAll(() => readers.stop());

  it('lists both virtual readers with the service up', () => {
    const snapshot = readers.snapshot();
    expect(snapshot.serviceUp).toBe(true);
    expect(snapshot.readers.map((r) => r.name)).toEqual(expect.arrayContaining([READER_0, READER_1]));
  });

  it('reports a card going in with its ATR and coming out', async () => {
    const inserted = nextEvent(readers, 'card-inserted', (e) => e.reader === READER_0);
    const beforeInsert = eventTime();
    const card = await insertCard(createMinimalApplet(), { reader: 0 });
    const insertedEvent = await inserted;
    expect(insertedEvent).toEqual({ type: 'card-inserted', reader: READER_0, atr: hex(MINIMAL_ATR), at: expect.any(Number) });
    // the event says when pcscd's news arrived: after the card went in, before the event reached us
    expect(insertedEvent.at).toBeGreaterThanOrEqual(beforeInsert);
    expect(insertedEvent.at).toBeLessThanOrEqual(eventTime());
    expect(readers.snapshot().readers.find((r) => r.name === READER_0)).toEqual({ name: READER_0, cardPresent: true, atr: hex(MINIMAL_ATR) });

    const removed = nextEvent(readers, 'card-removed', (e) => e.reader === READER_0);
    const beforeRemove = eventTime();
    await card.remove();
    const removedEvent = await removed;
    expect(removedEvent.at).toBeGreaterThanOrEqual(beforeRemove);
    expect(removedEvent.at).toBeLessThanOrEqual(eventTime());
    expect(readers.snapshot().readers.find((r) => r.name === READER_0)?.cardPresent).toBe(false);
  });

  it('keeps two readers apart', async () => {
    const both = Promise.all([
      nextEvent(readers, 'card-inserted', (e) => e.reader === READER_0),
      nextEvent(readers, 'card-inserted', (e) => e.reader === READER_1),
    ]);
    const cards = await Promise.all([insertCard(createMinimalApplet(), { reader: 0 }), insertCard(createMinimalApplet(), { reader: 1 })]);
    await both;
    expect(readers.snapshot().readers.filter((r) => r.cardPresent).map((r) => r.name).sort()).toEqual([READER_0, READER_1]);

    const firstOut = nextEvent(readers, 'card-removed', (e) => e.reader === READER_1);
    await cards[1]!.remove();
    await firstOut;
    expect(readers.snapshot().readers.find((r) => r.name === READER_0)?.cardPresent).toBe(true);
    const secondOut = nextEvent(readers, 'card-removed', (e) => e.reader === READER_0);
    await cards[0]!.remove();
    await secondOut;
  });

  it('exchanges APDUs with the card and refuses a second operation on a busy reader', async () => {
    const commands: string[] = [];
    const inserted = nextEvent(readers, 'card-inserted', (e) => e.reader === READER_0);
    const card = await insertCard(createMinimalApplet(), { reader: 0, onCommand: (c) => commands.push(hex(c)) });
    await inserted;
    const selectPkcs15 = Uint8Array.from(Buffer.from('00a404000ca000000063504b43532d3135', 'hex'));
    let release!: () => void;
    const held = readers.withCard(READER_0, async (transmit) => {
      const response = await transmit(selectPkcs15);
      await new Promise<void>((resolve) => (release = resolve));
      return hex(response);
    });
    await expect(readers.withCard(READER_0, async () => 'second')).rejects.toMatchObject({ code: 'reader-busy' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    expect(await held).toBe('9000');
    expect(commands).toEqual(['00a404000ca000000063504b43532d3135']);
    await card.remove();
  });

  it('says the card was removed when it goes mid-operation', async () => {
    const inserted = nextEvent(readers, 'card-inserted', (e) => e.reader === READER_1);
    const card = await insertCard(createMinimalApplet(), { reader: 1 });
    await inserted;
    const outcome = readers.withCard(READER_1, async (transmit) => {
      await card.remove();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return transmit(Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x00]));
    });
    await expect(outcome).rejects.toMatchObject({ code: 'card-removed' });
  });

  it('notices pcscd stopping and finds the readers again when it is back', async () => {
    const down = nextEvent(readers, 'pcsc-service', (e) => !e.up);
    stopPcscd();
    await down;
    expect(readers.snapshot()).toEqual({ serviceUp: false, readers: [] });

    const up = nextEvent(readers, 'pcsc-service', (e) => e.up, 15_000);
    const readerBack = nextEvent(readers, 'reader-added', (e) => e.reader.name === READER_1, 15_000);
    startPcscd();
    await up;
    await readerBack;
    expect(readers.snapshot().readers.map((r) => r.name)).toEqual(expect.arrayContaining([READER_0, READER_1]));
  });
});
