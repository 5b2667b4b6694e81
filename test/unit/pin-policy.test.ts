import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkNewPin,
  checkPinEntry,
  decideNewPin,
  holderLinks,
  pinLengthRange,
  pinRejectionMessages,
  pinRejectionText,
  type HolderLink,
  type NewPinContext,
  type PinHolder,
  type PinRejection,
  type PinRejectionCode,
} from '@shared/domain/pin-policy';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

const SITHS: NewPinContext = { kind: 'siths-pin' };
const PUK: NewPinContext = { kind: 'puk' };

// Digits 198504123970 (born 12 April 1985); phone 0739582714 once +46 becomes 0.
const HOLDER: PinHolder = { personnummer: '19850412-3970', phone: '+46 73-958 27 14' };
// The same person with a coordination number: day 12 written as 72.
const COORDINATION_HOLDER: PinHolder = { personnummer: '198504723977' };

const codes = (rejections: PinRejection[]): PinRejectionCode[] => rejections.map((r) => r.code);
/** What checkNewPin refuses, with its one holder refusal spelled out as the facts the PIN repeats. */
const detailedCodes = (pin: string, ctx: NewPinContext): (PinRejectionCode | HolderLink)[] => {
  const refused = codes(checkNewPin(pin, ctx));
  if (!refused.includes('linked-to-holder')) return refused;
  const links = holderLinks(pin, ctx.holder ?? {});
  expect(links).not.toEqual([]);
  return [...refused.filter((code) => code !== 'linked-to-holder'), ...links];
};

// Independent oracle for the 6-digit sequences and repeats the policy refuses.
const SIX_DIGIT_RUNS = ['012345', '123456', '234567', '345678', '456789'].flatMap((up) => [
  up,
  [...up].reverse().join(''),
]);
const SIX_DIGIT_REPEATS = [...'0123456789'].map((digit) => digit.repeat(6));

describe('checkPinEntry', () => {
  it('accepts six digits for a SITHS PIN and eight for a PUK', () => {
    expect(checkPinEntry('583917', SITHS)).toEqual([]);
    expect(checkPinEntry('58391746', PUK)).toEqual([]);
  });

  it('applies no policy, only format: a PIN being verified may be anything the card holds', () => {
    expect(checkPinEntry('123456', SITHS)).toEqual([]);
    expect(checkPinEntry('111111', SITHS)).toEqual([]);
  });

  it.each<[string, string, NewPinContext, PinRejection[]]>([
    ['five digits', '58391', SITHS, [{ code: 'too-short', minLength: 6 }]],
    ['seven digits', '5839174', SITHS, [{ code: 'too-long', maxLength: 6 }]],
    ['nothing', '', SITHS, [{ code: 'too-short', minLength: 6 }]],
    ['a letter', '58391a', SITHS, [{ code: 'not-digits' }]],
    ['a space', '583 17', SITHS, [{ code: 'not-digits' }]],
    [
      'a leading space',
      ' 583917',
      SITHS,
      [{ code: 'not-digits' }, { code: 'too-long', maxLength: 6 }],
    ],
    ['Arabic-Indic digits', '٥٨٣٩١٧', SITHS, [{ code: 'not-digits' }]],
    ['six digits for a PUK', '583917', PUK, [{ code: 'too-short', minLength: 8 }]],
    ['nine digits for a PUK', '583917461', PUK, [{ code: 'too-long', maxLength: 8 }]],
  ])('refuses %s', (_label, value, ctx, expected) => {
    expect(checkPinEntry(value, ctx)).toEqual(expected);
  });
});

describe('pinLengthRange', () => {
  it('fixes SITHS PINs at 6 and PUKs at 8 whatever the card reports', () => {
    const cardSays = { minLength: 4, maxLength: 16 };
    expect(pinLengthRange({ kind: 'siths-pin', ...cardSays })).toEqual({ min: 6, max: 6 });
    expect(pinLengthRange({ kind: 'puk', ...cardSays })).toEqual({ min: 8, max: 8 });
  });

  it("takes another PIN's length from the card, 4 to 8 when the card does not say", () => {
    const cardSays = { minLength: 6, maxLength: 12 };
    expect(pinLengthRange({ kind: 'pin', ...cardSays })).toEqual({ min: 6, max: 12 });
    expect(pinLengthRange({ kind: 'pin' })).toEqual({ min: 4, max: 8 });
    expect(pinLengthRange({ kind: 'pin', minLength: 0 })).toEqual({ min: 1, max: 8 });
  });
});

describe('checkNewPin', () => {
  it('accepts an unremarkable six-digit PIN', () => {
    expect(checkNewPin('583917', { ...SITHS, currentPin: '246810', holder: HOLDER })).toEqual([]);
  });

  it('reports only the format while the format is wrong', () => {
    expect(checkNewPin('12345', { ...SITHS, holder: HOLDER })).toEqual([
      { code: 'too-short', minLength: 6 },
    ]);
    expect(checkNewPin('1111a1', SITHS)).toEqual([{ code: 'not-digits' }]);
  });

  it('refuses the current PIN', () => {
    expect(detailedCodes('583917', { ...SITHS, currentPin: '583917' })).toEqual([
      'same-as-current',
    ]);
  });

  it.each(SIX_DIGIT_REPEATS)('refuses the repeated digit %s', (pin) => {
    expect(detailedCodes(pin, SITHS)).toEqual(['all-same-digit']);
  });

  it.each(SIX_DIGIT_RUNS)('refuses the straight run %s', (pin) => {
    expect(detailedCodes(pin, SITHS)).toEqual(['straight-run']);
  });

  it.each(['890123', '321098', '123457', '124578', '135791', '112233'])(
    'does not count %s as a straight run (no wrap from 9 to 0, no gaps)',
    (pin) => {
      expect(checkNewPin(pin, SITHS)).toEqual([]);
    },
  );

  it('refuses runs and repeats for a PUK and a shorter PIN as well', () => {
    expect(detailedCodes('23456789', PUK)).toEqual(['straight-run']);
    expect(detailedCodes('87654321', PUK)).toEqual(['straight-run']);
    expect(detailedCodes('00000000', PUK)).toEqual(['all-same-digit']);
    expect(detailedCodes('4321', { kind: 'pin' })).toEqual(['straight-run']);
  });

  describe('the holder\'s birth date', () => {
    it.each([
      ['YYMMDD', '850412'],
      ['DDMMYY', '120485'],
      ['MMDDYY', '041285'],
    ])('refuses it as %s, taken from the personnummer', (_form, pin) => {
      expect(detailedCodes(pin, { ...SITHS, holder: HOLDER })).toContain('birth-date');
    });

    it('uses the real day of a coordination number (day − 60)', () => {
      const ctx = { ...SITHS, holder: COORDINATION_HOLDER };
      expect(detailedCodes('850412', ctx)).toEqual(['birth-date']);
      expect(detailedCodes('120485', ctx)).toEqual(['birth-date']);
      // As written on the number it is a run from the personnummer, not a date.
      expect(detailedCodes('850472', ctx)).toEqual(['personnummer-digits']);
    });

    it('uses a birth date given on its own', () => {
      const ctx = { ...SITHS, holder: { birthDate: '19900101' } };
      expect(detailedCodes('900101', ctx)).toEqual(['birth-date']);
      expect(detailedCodes('010190', ctx)).toEqual(['birth-date']);
      expect(checkNewPin('900102', ctx)).toEqual([]);
    });

    it('refuses a PUK that contains it with a four-digit year', () => {
      expect(detailedCodes('12041985', { ...PUK, holder: HOLDER })).toEqual(['birth-date']);
      expect(detailedCodes('04121985', { ...PUK, holder: HOLDER })).toEqual(['birth-date']);
      expect(detailedCodes('19850412', { ...PUK, holder: HOLDER })).toEqual([
        'birth-date',
        'personnummer-digits',
      ]);
    });
  });

  describe('runs of the holder\'s digits', () => {
    it('refuses six digits in a row from the personnummer, beyond the birth date', () => {
      expect(detailedCodes('412397', { ...SITHS, holder: HOLDER })).toEqual([
        'personnummer-digits',
      ]);
      expect(detailedCodes('123970', { ...SITHS, holder: HOLDER })).toEqual([
        'personnummer-digits',
      ]);
      // YYMMDD is both.
      expect(detailedCodes('850412', { ...SITHS, holder: HOLDER })).toEqual([
        'birth-date',
        'personnummer-digits',
      ]);
    });

    it('refuses six digits in a row from the phone number, with +46 read as 0', () => {
      const ctx = { ...SITHS, holder: HOLDER };
      expect(detailedCodes('958271', ctx)).toEqual(['phone-digits']);
      expect(detailedCodes('073958', ctx)).toEqual(['phone-digits']);
      // The country code is not part of the number the holder knows.
      expect(checkNewPin('467395', ctx)).toEqual([]);
    });

    it('refuses a PUK or a short PIN containing such a run', () => {
      expect(detailedCodes('27958271', { ...PUK, holder: HOLDER })).toEqual(['phone-digits']);
      expect(detailedCodes('5827', { kind: 'pin', holder: HOLDER })).toEqual(['phone-digits']);
      expect(detailedCodes('3970', { kind: 'pin', holder: HOLDER })).toEqual([
        'personnummer-digits',
      ]);
    });

    it('does not refuse five digits from the personnummer inside a six-digit PIN', () => {
      expect(checkNewPin('412390', { ...SITHS, holder: HOLDER })).toEqual([]);
    });
  });

  it('reports every rule that applies, each with its own code', () => {
    expect(detailedCodes('123456', { ...SITHS, currentPin: '123456' })).toEqual([
      'same-as-current',
      'straight-run',
    ]);
  });

  const digitString = (length: number) => fc.stringMatching(new RegExp(`^\\d{${length}}$`));
  const holderArb: fc.Arbitrary<PinHolder> = fc.record(
    {
      personnummer: digitString(12),
      birthDate: digitString(8),
      phone: digitString(8).map((rest) => `+46 7${rest}`),
    },
    { requiredKeys: [] },
  );
  const runsOf = (source: string, length: number) =>
    Array.from({ length: Math.max(0, source.length - length + 1) }, (_, i) =>
      source.slice(i, i + length),
    );

  it('property: an accepted SITHS PIN is 6 digits, no run or repeat, none of the holder\'s', () => {
    fc.assert(
      fc.property(
        fc.oneof(digitString(6), fc.string({ maxLength: 8 }), fc.constantFrom(...SIX_DIGIT_RUNS)),
        holderArb,
        fc.option(digitString(6), { nil: undefined }),
        (pin, holder, currentPin) => {
          if (checkNewPin(pin, { ...SITHS, holder, currentPin }).length > 0) return;
          expect(pin).toMatch(/^\d{6}$/);
          expect(SIX_DIGIT_RUNS).not.toContain(pin);
          expect(SIX_DIGIT_REPEATS).not.toContain(pin);
          expect(pin).not.toBe(currentPin);
          expect(holder.personnummer ?? '').not.toContain(pin);
          expect(`0${holder.phone?.slice(4) ?? ''}`).not.toContain(pin);
        },
      ),
    );
  }, PROPERTY_BUDGET_MS);

  it('property: any six digits in a row from the personnummer or phone are refused', () => {
    fc.assert(
      // A Swedish subscriber number never starts with 0 (that would be the trunk prefix).
      fc.property(
        digitString(12),
        fc.stringMatching(/^[1-9]\d{8}$/),
        fc.nat(),
        (personnummer, subscriber, at) => {
          const holder = { personnummer, phone: `+46${subscriber}` };
          const fromPersonnummer = runsOf(personnummer, 6)[at % 7] ?? '';
          const fromPhone = runsOf(`0${subscriber}`, 6)[at % 5] ?? '';
          expect(detailedCodes(fromPersonnummer, { ...SITHS, holder })).toContain(
            'personnummer-digits',
          );
          expect(detailedCodes(fromPhone, { ...SITHS, holder })).toContain('phone-digits');
        },
      ),
    );
  }, PROPERTY_BUDGET_MS);

  it('property: every six-digit form of a real birth date is refused', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(1930, 0, 1), max: new Date(2010, 11, 31), noInvalidDate: true }),
        (date) => {
          const yyyy = String(date.getFullYear());
          const mm = String(date.getMonth() + 1).padStart(2, '0');
          const dd = String(date.getDate()).padStart(2, '0');
          const holder = { birthDate: yyyy + mm + dd };
          const yy = yyyy.slice(2);
          for (const pin of [yy + mm + dd, dd + mm + yy, mm + dd + yy]) {
            expect(detailedCodes(pin, { ...SITHS, holder })).toContain('birth-date');
          }
        },
      ),
    );
  }, PROPERTY_BUDGET_MS);

  it('property: a new PIN is never accepted where a typed entry would be refused', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 10 }),
        fc.constantFrom<NewPinContext>(SITHS, PUK, { kind: 'pin', minLength: 4, maxLength: 8 }),
        (value, ctx) => {
          const entryRejections = checkPinEntry(value, ctx);
          const newPinRejections = checkNewPin(value, ctx);
          for (const rejection of entryRejections) {
            expect(newPinRejections).toContainEqual(rejection);
          }
        },
      ),
    );
  }, PROPERTY_BUDGET_MS);
});

describe('decideNewPin: advice for the holder\'s facts, refusal for the rules', () => {
  // 850412 is the holder's birth date (seed 004: such codes should be avoided, not forbidden)
  const withHolder: NewPinContext = { ...SITHS, holder: HOLDER };

  it('advises against a code tied to the holder until the holder confirms it', () => {
    expect(decideNewPin('850412', withHolder, false)).toEqual({ kind: 'advise' });
    expect(decideNewPin('850412', withHolder, true)).toEqual({ kind: 'accept', advisedAgainst: true });
  });

  it('accepts an unrelated code without advice, confirmed or not', () => {
    expect(decideNewPin('394857', withHolder, false)).toEqual({ kind: 'accept', advisedAgainst: false });
    expect(decideNewPin('394857', withHolder, true)).toEqual({ kind: 'accept', advisedAgainst: false });
  });

  it('keeps format and digit-pattern rules hard: a confirmation never lets them through', () => {
    expect(decideNewPin('85041', withHolder, true)).toEqual({ kind: 'refuse', rejections: [{ code: 'too-short', minLength: 6 }] });
    expect(decideNewPin('8504129', withHolder, true)).toEqual({ kind: 'refuse', rejections: [{ code: 'too-long', maxLength: 6 }] });
    expect(decideNewPin('123456', withHolder, true)).toEqual({ kind: 'refuse', rejections: [{ code: 'straight-run' }] });
    expect(decideNewPin('777777', withHolder, true)).toEqual({ kind: 'refuse', rejections: [{ code: 'all-same-digit' }] });
    expect(decideNewPin('1234567', PUK, true)).toEqual({ kind: 'refuse', rejections: [{ code: 'too-short', minLength: 8 }] });
  });

  it("refuses a code that breaks a rule and is also the holder's without mentioning the holder", () => {
    expect(decideNewPin('850412', { ...withHolder, currentPin: '850412' }, true)).toEqual({ kind: 'refuse', rejections: [{ code: 'same-as-current' }] });
  });

  it('gives no advice when the holder is not known (a card that is not trusted)', () => {
    expect(decideNewPin('850412', SITHS, false)).toEqual({ kind: 'accept', advisedAgainst: false });
  });
});

describe('pinRejectionMessages', () => {
  const allCodes = Object.keys(pinRejectionMessages) as PinRejectionCode[];

  it('gives every code its own Swedish and English message', () => {
    expect(allCodes).toHaveLength(7);
    const sv = allCodes.map((code) => pinRejectionMessages[code].sv);
    const en = allCodes.map((code) => pinRejectionMessages[code].en);
    expect(new Set(sv).size).toBe(allCodes.length);
    expect(new Set(en).size).toBe(allCodes.length);
    for (const message of sv) expect(message).toMatch(/^(Koden|Den nya koden|Välj en PIN-kod) /);
    for (const message of en) expect(message).toMatch(/^(The (new )?code|Choose a PIN) /);
  });

  it('fills the length into the text', () => {
    expect(pinRejectionText({ code: 'too-short', minLength: 6 }, 'sv')).toBe(
      'Koden är för kort. Den ska ha minst 6 siffror.',
    );
    expect(pinRejectionText({ code: 'too-long', maxLength: 8 }, 'en')).toBe(
      'The code is too long. It may have at most 8 digits.',
    );
    expect(pinRejectionText({ code: 'linked-to-holder' }, 'sv')).toBe('Välj en PIN-kod som inte går att koppla till dig.');
  });

  it('leaves no placeholder in any text checkNewPin can produce', () => {
    const rejections = [
      ...checkNewPin('', SITHS),
      ...checkNewPin('1234567890', PUK),
      ...checkNewPin('x', SITHS),
      ...checkNewPin('850412', { ...SITHS, currentPin: '850412', holder: HOLDER }),
    ];
    for (const rejection of rejections) {
      expect(pinRejectionText(rejection, 'sv')).not.toMatch(/[{}]/);
      expect(pinRejectionText(rejection, 'en')).not.toMatch(/[{}]/);
    }
  });
});
