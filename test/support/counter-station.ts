// A browser-mode station ready for the counter: the scenario card's CAs trusted and its holder in the register with a ready card order.
import { createScenario, SCENARIO_HOLDER, SCENARIO_SERIAL } from '../sim/scenarios';
import { apiSession, firstRunByApi } from './staff-session';
import { createPerson, readyCardOrder, type ScenePerson } from './station-scene';
import { writeTrustDir } from './trust-dir';
import { startWebHostProcess, type RunningWebHost } from './web-host-process';

/** The station and its first administrator's one-time-code secret; `holder` adds to the scenario holder's record. */
export async function startStationWithReadyCard(holder: Partial<ScenePerson> = {}): Promise<{ host: RunningWebHost; adminSecret: string }> {
  const { trustedRoots } = await createScenario('healthy');
  const host = await startWebHostProcess({ args: ['--trust', writeTrustDir(trustedRoots)] });
  const api = await apiSession(host);
  const adminSecret = await firstRunByApi(api, 'Akademiska, ingång 70');
  const [firstName, surname] = SCENARIO_HOLDER.name.split(' ');
  const person = await createPerson(api, { firstName: firstName!, surname: surname!, personnummer: '198507099805', hsaId: SCENARIO_HOLDER.hsaId, employmentType: 'region', ...holder });
  await readyCardOrder(api, person, SCENARIO_SERIAL);
  return { host, adminSecret };
}
