// PIN change and PUK unblock: format and policy checked first (no try spent), then one command to the card, then audit.
import type { PinOutcome, PinOutcomeCode, PinRule, PinStatus, UserPinRole } from '@shared/contract';
import { checkPinEntry, decideNewPin, type NewPinContext, type PinHolder } from '@shared/domain/pin-policy';
import { ApduChannel } from '../card/apdu';
import type { ReaderService } from '../card/readers';
import type { CardProfile, PinOperationResult } from '../card/profiles/profile';
import { probeCard } from '../card/profiles/profile';
import { AppError } from '../app-error';
import type { TrustSource } from '../cards/card-tests';
import { PolicyRefusalLimit } from './refusal-limit';
import { staffCardIdentity } from '../staff/card-identity';

/** SITHS (PKCS#15) PINs are exactly 6 digits; PIV allows 6–8; every PUK is 8. */
const LENGTHS = {
  pkcs15: { pin: { minLength: 6, maxLength: 6 }, puk: { minLength: 8, maxLength: 8 } },
  piv: { pin: { minLength: 6, maxLength: 8 }, puk: { minLength: 8, maxLength: 8 } },
} as const;

export interface PinAuditFacts {
  /** The staff account at the kiosk, or null when the holder did it alone. */
  actor: string | null;
  action: 'pin.changed' | 'pin.unblocked';
  reader: string;
  pin: UserPinRole;
  cardSerial: string | null;
  outcome: PinOutcomeCode;
  triesLeft: number | null;
  /** Why the policy refused or advised against the new PIN: rule names only. */
  rejections?: readonly string[];
  /** The holder kept a code tied to them after the advice. */
  advisedAgainst?: boolean;
}

export interface PinServiceOptions {
  readers: ReaderService;
  /** Records the attempt (never a value) in the audit trail. */
  audit(facts: PinAuditFacts): Promise<void>;
  /** Throws when the attempt could not be recorded afterwards (the region database is out of reach), before the card sees anything. */
  recordable?(): Promise<void>;
  /** The holder's personnummer / phone by the HSA-ID on the card, when the station knows them, for the PIN policy. */
  holderOf?(hsaId: string): Promise<PinHolder | undefined>;
  /** Roots and CRLs: the holder's facts only count for a card whose certificate chains to them and is not revoked. */
  trust?: TrustSource;
  now?: () => Date;
  /** Shared by every request of a station, so the limit holds across windows. */
  refusalLimit?: PolicyRefusalLimit;
}

interface CardIdentity {
  /** What the refusal limit counts against: the certificate's HSA-ID (a copied certificate is the same card), else the serial. */
  limitKey: string;
  /** The HSA-ID whose holder's facts the policy may use, only for a trusted, unrevoked certificate. */
  trustedHsaId: string | null;
}

const refused = (code: PinOutcomeCode, rejections: PinOutcome['rejections'] = [], triesLeft: number | null = null): PinOutcome => ({ ok: false, code, triesLeft, rejections });

const advice = (advisedAgainst: boolean): Pick<PinAuditFacts, 'advisedAgainst'> => (advisedAgainst ? { advisedAgainst } : {});

function newPinContext(profile: CardProfile['name'], current: string | undefined, holder: PinHolder | undefined): NewPinContext {
  return profile === 'pkcs15' ? { kind: 'siths-pin', currentPin: current, holder } : { kind: 'pin', ...LENGTHS.piv.pin, currentPin: current, holder };
}

function outcomeOf(result: PinOperationResult, success: 'changed' | 'unblocked', secretKind: 'pin' | 'puk'): PinOutcome {
  switch (result.kind) {
    case 'ok':
      return { ok: true, code: success, triesLeft: null, rejections: [] };
    case 'wrong':
      return refused(secretKind === 'pin' ? 'wrong-pin' : 'wrong-puk', [], result.triesLeft);
    case 'blocked':
      return refused(secretKind === 'pin' ? 'pin-blocked' : 'puk-blocked', [], 0);
    case 'invalid-format':
      return refused('invalid-format');
    case 'not-supported':
      return refused('not-supported');
    case 'failed':
      return refused('failed');
  }
}

export function createPinService({ readers, audit, recordable = async () => {}, holderOf, trust, now = () => new Date(), refusalLimit = new PolicyRefusalLimit(now) }: PinServiceOptions) {
  /** The same certificate check as staff card login; a card whose data can't be read just gets the general rules. */
  async function identify(profile: CardProfile, reader: string, cardSerial: string | null): Promise<CardIdentity> {
    let certificates: Uint8Array[] = [];
    try {
      certificates = await profile.certificates();
    } catch (error) {
      if ((error as { code?: string }).code !== 'card-data-corrupt') throw error;
    }
    const identity = await staffCardIdentity(certificates, { trustedRoots: trust?.trustedRoots() ?? [], crls: (await trust?.crls()) ?? [], now: now() });
    return {
      limitKey: identity ? `hsa:${identity.hsaId.toUpperCase()}` : cardSerial ? `serial:${cardSerial}` : `reader:${reader}`,
      trustedHsaId: identity?.trusted && trust ? identity.hsaId : null,
    };
  }

  /** Refusals and advice before the card sees anything: each counts against the card's limit (advice would tell a guesser as much) and is audited, never the value. */
  async function policyCheck(
    profile: CardProfile,
    facts: Pick<PinAuditFacts, 'actor' | 'action' | 'reader' | 'pin' | 'cardSerial'>,
    next: string,
    current: string | undefined,
    useAnyway: boolean,
  ): Promise<{ refusal: PinOutcome } | { advisedAgainst: boolean }> {
    const identity = await identify(profile, facts.reader, facts.cardSerial);
    if (refusalLimit.exhausted(identity.limitKey)) {
      await audit({ ...facts, outcome: 'try-later', triesLeft: null });
      return { refusal: refused('try-later') };
    }
    const holder = identity.trustedHsaId && holderOf ? await holderOf(identity.trustedHsaId) : undefined;
    const decision = decideNewPin(next, newPinContext(profile.name, current, holder), useAnyway);
    if (decision.kind === 'accept') return { advisedAgainst: decision.advisedAgainst };
    refusalLimit.record(identity.limitKey);
    const [code, rejections] = decision.kind === 'advise' ? (['holder-advice', ['linked-to-holder']] as const) : (['policy', decision.rejections.map((r) => r.code)] as const);
    await audit({ ...facts, outcome: code, triesLeft: null, rejections });
    return { refusal: refused(code, [...rejections]) };
  }

  async function onCard<T>(reader: string, work: (profile: CardProfile) => Promise<T>): Promise<T> {
    return readers.withCard(
      reader,
      async (transmit) => {
        const profile = await probeCard(new ApduChannel(transmit));
        if (!profile) throw new AppError('not-a-pin-card', 'The card has neither a PKCS#15 nor a PIV application');
        return work(profile);
      },
      { resetAfter: true },
    );
  }

  async function status(reader: string): Promise<PinStatus> {
    return onCard(reader, async (profile) => {
      const lengths = LENGTHS[profile.name];
      const pins: PinRule[] = (await profile.pins()).map((pin) => ({ ...pin, ...(pin.role === 'puk' ? lengths.puk : lengths.pin) }));
      return { reader, profile: profile.name, cardSerial: await profile.serial(), pins };
    });
  }

  async function change(reader: string, pin: UserPinRole, current: string, next: string, actor: string | null, useAnyway = false): Promise<PinOutcome> {
    await recordable();
    return onCard(reader, async (profile) => {
      const lengths = LENGTHS[profile.name].pin;
      if (checkPinEntry(current, { kind: 'pin', ...lengths }).length > 0) return refused('invalid-format');
      const cardSerial = await profile.serial();
      const checked = await policyCheck(profile, { actor, action: 'pin.changed', reader, pin, cardSerial }, next, current, useAnyway);
      if ('refusal' in checked) return checked.refusal;
      const outcome = outcomeOf(await profile.change(pin, current, next), 'changed', 'pin');
      await audit({ actor, action: 'pin.changed', reader, pin, cardSerial, outcome: outcome.code, triesLeft: outcome.triesLeft, ...advice(checked.advisedAgainst) });
      return outcome;
    });
  }

  async function unblock(reader: string, pin: UserPinRole, puk: string, next: string, actor: string | null, useAnyway = false): Promise<PinOutcome> {
    await recordable();
    return onCard(reader, async (profile) => {
      if (checkPinEntry(puk, { kind: 'puk' }).length > 0) return refused('invalid-format');
      const cardSerial = await profile.serial();
      const checked = await policyCheck(profile, { actor, action: 'pin.unblocked', reader, pin, cardSerial }, next, undefined, useAnyway);
      if ('refusal' in checked) return checked.refusal;
      const outcome = outcomeOf(await profile.unblock(pin, puk, next), 'unblocked', 'puk');
      await audit({ actor, action: 'pin.unblocked', reader, pin, cardSerial, outcome: outcome.code, triesLeft: outcome.triesLeft, ...advice(checked.advisedAgainst) });
      return outcome;
    });
  }

  return { status, change, unblock };
}

export type PinService = ReturnType<typeof createPinService>;
