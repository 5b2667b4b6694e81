// The card tables in resources/: every entry says where it comes from, and the ATRs the issue names are known.
import { describe, expect, it } from 'vitest';
import appletTable from '../../resources/card-applets.json';
import atrTable from '../../resources/card-atrs.json';
import { identifyAtr } from '../../src-main/card/card-tables';

const HEX = /^([0-9a-fA-F]{2})+$/;

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
});
