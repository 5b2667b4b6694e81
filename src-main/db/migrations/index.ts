// The known migrations, in order; imported statically so the bundled app carries them.
import type { Migration } from 'kysely';
import * as settings from './001-settings';
import * as crls from './002-crls';
import * as audit from './003-audit';

export const migrations: Record<string, Migration> = {
  '001-settings': settings,
  '002-crls': crls,
  '003-audit': audit,
};
