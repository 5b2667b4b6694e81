// `npm run sim -- --reader 0`: puts the virtual card in a virtual reader until Ctrl-C, for demos and training.
import { parseArgs } from 'node:util';
import { createMinimalApplet } from './minimal-applet';
import { insertCard } from './vpcd';

const { values } = parseArgs({ options: { reader: { type: 'string', default: '0' } } });
const reader = Number(values.reader);
if (reader !== 0 && reader !== 1) {
  console.error('--reader must be 0 or 1 (the two vpcd readers "Virtual PCD 00 00" and "Virtual PCD 00 01")');
  process.exit(2);
}

try {
  const card = await insertCard(createMinimalApplet(), { reader });
  console.log(`Virtual card in reader ${reader}. Ctrl-C removes it.`);
  const remove = async (): Promise<void> => {
    await card.remove();
    process.exit(0);
  };
  process.on('SIGINT', remove);
  process.on('SIGTERM', remove);
  await card.closed;
  console.log('pcscd closed the reader.');
} catch (error) {
  console.error(`Could not reach vpcd on reader ${reader} (is pcscd with vsmartcard-vpcd running?): ${(error as Error).message}`);
  process.exit(2);
}
