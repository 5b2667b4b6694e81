// The known migrations, in order; imported statically so the bundled app carries them.
import type { Kysely } from 'kysely';
import type { Db } from '../data-layer';
import type { Engine } from './engine';
import * as settings from './001-settings';
import * as crls from './002-crls';
import * as audit from './003-audit';
import * as people from './004-people';
import * as staff from './005-staff';
import * as tokens from './006-tokens';
import * as cards from './007-cards';
import * as invoices from './008-invoices';
import * as outbox from './009-outbox';
import * as keyedAudit from './010-keyed-audit';
import * as stationColumns from './011-station-columns';
import * as blockRequestStates from './012-block-request-states';
import * as employeeNumber from './013-person-employee-number';
import * as peopleSearchIndexes from './014-people-search-code-point-indexes';
import * as auditChainPerStation from './015-audit-chain-per-station';
import * as staffAccounts from './016-staff-accounts';
import * as unitPortal from './017-unit-portal';

/** Which engine the migration builds, and the services' data layer inside the migration's transaction. */
export interface MigrationContext {
  engine: Engine;
  data: Db;
}

export interface StationMigration {
  up(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
}

export const migrations: Record<string, StationMigration> = {
  '001-settings': settings,
  '002-crls': crls,
  '003-audit': audit,
  '004-people': people,
  '005-staff': staff,
  '006-tokens': tokens,
  '007-cards': cards,
  '008-invoices': invoices,
  '009-outbox': outbox,
  '010-keyed-audit': keyedAudit,
  '011-station-columns': stationColumns,
  '012-block-request-states': blockRequestStates,
  '013-person-employee-number': employeeNumber,
  '014-people-search-code-point-indexes': peopleSearchIndexes,
  '015-audit-chain-per-station': auditChainPerStation,
  '016-staff-accounts': staffAccounts,
  '017-unit-portal': unitPortal,
};
