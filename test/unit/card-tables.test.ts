// The card tables in resources/: every entry says where it comes from, and the ATRs the issue names are known.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import appletTable from '../../resources/card-applets.json';
import atrTable from '../../resources/card-atrs.json';
import { identifyAtr } from '../../src-main/card/card-tables';

const HEX = /^([0-9a-fA-F]{2})+$/;
/** pcsc-tools' list of ATRs, where Debian's pcsc-tools is installed: the public source most table entries quote. */
const SMARTCARD_LIST = '/usr/share/pcsc/smartcard_list.txt';

/** smartcard_list.txt as ATR (lower-case hex) → its description lines; wildcard ATRs (with `.` or `[`) are left out. */
function readSmartcardList(text: string): Map<string, string[]> {
  const list = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    if (/^3[BF] /.test(line)) {
      const atr = line.trim().replace(/ /g, '').toLowerCase();
      current = /^[0-9a-f]+$/.test(atr) ? [] : null;
      if (current) list.set(atr, current);
    } else if (line.startsWith('\t') && current) current.push(line.trim());
  }
  return list;
}

describe('card tables', () => {
  it('every applet AID is 5 to 16 bytes of hex and names the OpenSC source file it was read from', () => {
    for (const applet of appletTable.applets) {
      expect(applet.aid, applet.name).toMatch(HEX);
      expect(applet.aid.length / 2).toBeGreaterThanOrEqual(5);
      expect(applet.aid.length / 2).toBeLessThanOrEqual(16);
      expect(applet.source, applet.name).toMatch(/src\/libopensc\/(card|pkcs15)-[\w-]+\.c/);
    }
  });

  it('the applet OpenSC personalises Java Cards with (IsoApplet) is in the table', () => {
    expect(appletTable.applets.map((applet) => applet.aid)).toContain('F276A288BCFBA69D34F31001');
  });

  it('every ATR entry is hex, of a known kind, named in Swedish and English, with its source', () => {
    for (const card of atrTable.cards) {
      expect(card.atr).toMatch(HEX);
      expect(['siths', 'piv', 'national-eid', 'bank']).toContain(card.kind);
      expect(card.name.sv.length * card.name.en.length).toBeGreaterThan(0);
      expect(card.source.length).toBeGreaterThan(0);
    }
    expect(new Set(atrTable.cards.map((card) => card.atr)).size).toBe(atrTable.cards.length);
  });

  it('knows the SITHS generation of issue 15 (Telia EID IP5a, SetCOS), in any case and spelling', () => {
    expect(identifyAtr('3B7D96000080318065B0A31101F383009000')?.kind).toBe('siths');
    expect(identifyAtr('3b8a80018031b8738401e082900006')?.kind).toBe('national-eid');
    expect(identifyAtr('3b6800000073c84012009000')).toBeNull();
  });

  it('names the cards public sources name: two SITHS generations, PIV tokens, national eIDs and bank cards', () => {
    const kindOf = (atr: string) => identifyAtr(atr.replace(/[ :]/g, ''))?.kind ?? null;
    // SITHS on Telia IP5a with Net iD (PeculiarVentures/fortify issue 232; smartcard_list.txt "Swedish eID (Telia IP5a)")
    expect(kindOf('3B 7D 96 00 00 80 31 80 65 B0 A3 11 00 C8 83 00 90 00')).toBe('siths');
    // YubiKey 4 and 5 (OpenSC card-openpgp.c)
    expect(kindOf('3b:f8:13:00:00:81:31:fe:15:59:75:62:69:6b:65:79:34:d4')).toBe('piv');
    expect(kindOf('3b:fd:13:00:00:81:31:fe:15:80:73:c0:21:c0:57:59:75:62:69:4b:65:79:40')).toBe('piv');
    // Belgian eID (OpenSC card-belpic.c), EstEID 2018 (card-esteid2018.c), Swedish national ID card (smartcard_list.txt)
    expect(kindOf('3B:98:13:40:0A:A5:03:01:01:01:AD:13:11')).toBe('national-eid');
    expect(kindOf('3b:db:96:00:80:b1:fe:45:1f:83:00:12:23:3f:53:65:49:44:0f:90:00:f1')).toBe('national-eid');
    expect(kindOf('3B 7F 96 00 00 80 31 80 65 B0 85 04 00 11 12 0F FF 82 90 00')).toBe('national-eid');
    // SEB's Visa card with BankID and Handelsbanken's BankID card, one byte from the SITHS generation of issue 15
    expect(kindOf('3B E8 00 00 81 31 FE 45 00 73 C8 40 00 00 90 00 88')).toBe('bank');
    expect(kindOf('3B 7D 96 00 00 80 31 80 65 B0 A3 11 00 C8 83 00 00 00')).toBe('bank');
    expect(identifyAtr('3b7d96000080318065b0a31100c883009000')?.name.sv).toContain('SITHS');
  });

  it.runIf(existsSync(SMARTCARD_LIST))('every entry quoting smartcard_list.txt has that ATR there with that description', () => {
    const list = readSmartcardList(readFileSync(SMARTCARD_LIST, 'latin1'));
    const quoting = atrTable.cards.filter((card) => card.source.includes('smartcard_list.txt'));
    expect(quoting.length).toBeGreaterThan(10);
    for (const card of quoting) {
      const quoted = /smartcard_list\.txt "([^"]+)"/.exec(card.source)?.[1];
      expect(quoted, card.atr).toBeDefined();
      // the list's own spacing varies ("MasterCard  (Bank)"); compare words
      const words = (text: string) => text.replace(/\s+/g, ' ');
      const descriptions = (list.get(card.atr) ?? []).map(words);
      expect(descriptions.some((description) => description.includes(words(quoted!))), `${card.atr}: ${descriptions.join(' | ')}`).toBe(true);
    }
  });

  it('every entry without smartcard_list.txt names the OpenSC driver or the issue it comes from', () => {
    for (const card of atrTable.cards.filter((entry) => !entry.source.includes('smartcard_list.txt'))) {
      expect(card.source, card.atr).toMatch(/src\/libopensc\/[\w-]+\.c|issue \d+/);
    }
  });
});
