// `npm run sim -- --reader 0 --scenario healthy`: puts a virtual SITHS card in a virtual reader until Ctrl-C.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { x509 } from '../../src-main/card/x509';
import type { KeyAlgorithm } from './card-keys';
import { createScenario, SCENARIO_NAMES, type Personality, type ScenarioName } from './scenarios';
import { persistCardState, readCardState } from './state-file';
import { insertCard } from './vpcd';

const { values } = parseArgs({
  options: {
    reader: { type: 'string', default: '0' },
    scenario: { type: 'string', default: 'healthy' },
    profile: { type: 'string', default: 'pkcs15' },
    keys: { type: 'string', default: 'ec-p256' },
    'trust-out': { type: 'string' },
    state: { type: 'string' },
  },
});
const reader = Number(values.reader);
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
if (reader !== 0 && reader !== 1) fail('--reader must be 0 or 1 (the two vpcd readers "Virtual PCD 00 00" and "Virtual PCD 00 01")');
if (!(SCENARIO_NAMES as readonly string[]).includes(values.scenario)) fail(`--scenario must be one of: ${SCENARIO_NAMES.join(', ')}`);
if (values.profile !== 'pkcs15' && values.profile !== 'piv') fail('--profile must be pkcs15 or piv');
if (values.keys !== 'rsa-2048' && values.keys !== 'ec-p256') fail('--keys must be rsa-2048 or ec-p256');

const stateFile = values.state;
const scenario = await createScenario(values.scenario as ScenarioName, values.profile as Personality, {
  state: stateFile ? readCardState(stateFile) : undefined,
  keyAlgorithm: values.keys as KeyAlgorithm,
});
const applet = stateFile && scenario.model ? persistCardState(scenario.applet, scenario.model, stateFile) : scenario.applet;
const trustOut = values['trust-out'];
if (trustOut) {
  // the test PKI is new every run: the station reads its trust folder for every card test
  mkdirSync(trustOut, { recursive: true });
  writeFileSync(join(trustOut, 'sim-test-pki.pem'), scenario.trustedRoots.map((der) => x509.PemConverter.encode(Uint8Array.from(der).buffer, 'CERTIFICATE')).join('\n'));
  scenario.crls.forEach((crl, index) => writeFileSync(join(trustOut, `sim-test-pki-${index}.crl`), crl));
}

try {
  const card = await insertCard(applet, { reader });
  console.log(`Virtual ${values.profile} card "${values.scenario}" in reader ${reader}. Ctrl-C removes it.`);
  if (trustOut) console.log(`Test PKI roots in ${trustOut}/sim-test-pki.pem; import the CRL with: npm run --silent cli -- crl import ${trustOut}/sim-test-pki-0.crl`);
  const remove = async (): Promise<void> => {
    await card.remove();
    process.exit(0);
  };
  process.on('SIGINT', remove);
  process.on('SIGTERM', remove);
  await card.closed;
  console.log('pcscd closed the reader.');
} catch (error) {
  fail(`Could not reach vpcd on reader ${reader} (is pcscd with vsmartcard-vpcd running?): ${(error as Error).message}`);
}
