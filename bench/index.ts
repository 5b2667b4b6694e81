// `npm run bench` (inside scripts/private-pcscd.sh): prints figures for the station's hot paths; never passes or fails on time.
import { loopbackMode } from './stats';
import { benchInsertToVerdict } from './insert-to-verdict';
import { benchCardLayouts } from './card-layouts';
import { benchStartScreen } from './start-screen';
import { benchAudit } from './audit';
import { benchPeople } from './people';
import { benchTokens } from './tokens';
import { benchReports } from './reports';
import { benchRegion } from './region';
import { benchServer } from './server';
import { benchCliStart } from './cli-start';
import { printTestTiers } from './test-tiers';

console.log(`Kortstation benchmarks — ${new Date().toISOString()} — ${loopbackMode()}`);
benchCliStart();
printTestTiers();
await benchInsertToVerdict();
await benchCardLayouts();
await benchStartScreen();
await benchAudit();
await benchPeople();
await benchTokens();
await benchReports();
await benchRegion();
await benchServer();
