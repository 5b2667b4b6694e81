// The person's employee number (anställningsnummer): what salary deduction of a person-paid charge is booked against.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('person').addColumn('employee_number', 'text').execute();
}
