// `npm run bench`: prints figures for the station's hot paths; never passes or fails on time.
import { loopbackMode } from './stats';
import { benchStartScreen } from './start-screen';
import { benchAudit } from './audit';
import { benchCardTest } from './card-test';
import { benchPeople } from './people';
import { benchTokens } from './tokens';
import { benchReports } from './reports';
import { benchCliStart } from './cli-start';
import { printTestTiers } from './test-tiers';

console.log(`Kortstation benchmarks — ${new Date().toISOString()} — ${loopbackMode()}`);
benchCliStart();
printTestTiers();
await benchStartScreen();
await benchCardTest();
await benchAudit();
await benchPeople();
await benchTokens();
await benchReports();
