// The unit portal: a unit's billing address, billing on its parent's reference, closing a unit, and a unit administrator's "Kan redigera" per granted unit.
import type { Kysely } from 'kysely';
import { columnTypes } from './engine';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  const { integer } = columnTypes(engine);
  await db.schema.alterTable('unit').addColumn('billing_address', 'text').execute();
  // 1: the unit's charges are invoiced on its parent's reference and address (one invoice per reference)
  await db.schema.alterTable('unit').addColumn('uses_parent_billing', integer, (column) => column.notNull().defaultTo(0)).execute();
  // a closed unit keeps its history but takes no new people or orders
  await db.schema.alterTable('unit').addColumn('closed_at', 'text').execute();
  // 1 keeps what every unit administrator could do before; an organisation administrator withdraws it per unit
  await db.schema.alterTable('staff_unit').addColumn('can_edit', integer, (column) => column.notNull().defaultTo(1)).execute();
}
