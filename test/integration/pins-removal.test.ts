import { describe, expect, it } from 'vitest';
import { readCardState } from '../sim/state-file';
import { SCENARIO_PINS } from '../sim/scenarios';
import { READER_0 } from '../support/pcscd';
import { NEW_PIN, pinTestBench } from '../support/pin-bench';

// apart from pins.test.ts: pulling the card at every APDU is most of the PIN tests' time, and test shards split by file
const { pins, insert, verifyOnCard } = pinTestBench();

describe.each(['pkcs15', 'piv'] as const)('a card pulled during a PIN change or unblock on the virtual %s card', (personality) => {
  it.each(['change', 'unblock'] as const)('never says done when the card is pulled at any APDU of %s, and the card tells the truth afterwards', async (operation) => {
    const run = (service: ReturnType<typeof pins>) =>
      operation === 'change' ? service.change(READER_0, 'auth', SCENARIO_PINS.auth, NEW_PIN, null) : service.unblock(READER_0, 'auth', SCENARIO_PINS.puk, NEW_PIN, null);
    const probe = await insert('healthy', personality);
    await run(pins());
    const total = probe.instructions.length;
    await probe.remove();
    for (let pullAt = 1; pullAt <= total; pullAt++) {
      const card = await insert('healthy', personality, undefined, pullAt);
      const outcome = await run(pins()).then((value) => value.code, (error: { code?: string }) => error.code);
      expect({ pullAt, outcome }).toEqual({ pullAt, outcome: 'card-removed' });
      await card.remove();
      // whatever the card did before it left is what it reports when it comes back
      const again = await insert('healthy', personality, card.stateFile);
      const accepted = (await verifyOnCard(NEW_PIN)).kind === 'ok' ? NEW_PIN : SCENARIO_PINS.auth;
      const tookEffect = readCardState(card.stateFile)?.pins.auth.value === NEW_PIN;
      expect(accepted === NEW_PIN).toBe(tookEffect);
      await again.remove();
    }
  }, 180_000);
});
