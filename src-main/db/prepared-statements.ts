// Named (prepared) statements on each pooled PostgreSQL connection: the server parses and plans a query text once per connection instead of at every call, about half its work per handover. pg keeps them per connection; Kysely has no switch for it, so its client's query is wrapped here.
import type pg from 'pg';

/** Distinct texts one connection prepares at most: beyond them texts run unnamed, so lists of ? of many lengths cannot grow the server's memory without end. */
const MOST_PER_CONNECTION = 1000;

type Query = (text: unknown, values?: unknown) => unknown;

/**
 * Every query with parameters runs as a statement named after its text once `enabled()` says so: after the migrations,
 * whose changes to tables would invalidate the result types of statements prepared before them.
 */
export function prepareStatements(pool: pg.Pool, enabled: () => boolean): void {
  pool.on('connect', (client) => {
    const names = new Map<string, string>();
    const unnamed = client.query.bind(client) as Query;
    const named: Query = (text, values) => {
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || !enabled()) return unnamed(text, values);
      let name = names.get(text);
      if (name === undefined && names.size < MOST_PER_CONNECTION) names.set(text, (name = `kortstation-${names.size + 1}`));
      return name === undefined ? unnamed(text, values) : unnamed({ name, text, values });
    };
    Object.assign(client, { query: named });
  });
}
