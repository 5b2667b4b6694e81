// Setting a scene over the API as an administrator would: a municipality with its units, and people in them.
import type { Api } from './staff-session';

export interface SceneUnit {
  name: string;
  reference: string;
}

/** One municipality holding the given units; returns their ids in the same order. */
export async function createMunicipalityUnits(api: Api, units: readonly SceneUnit[]): Promise<number[]> {
  const organisation = await api('organisations.create', { name: 'Uppsala kommun', kind: 'kommun' });
  const ids: number[] = [];
  for (const unit of units) ids.push((await api('units.create', { organisationId: organisation.id, parentId: null, ...unit })).id);
  return ids;
}

export interface ScenePerson {
  firstName: string;
  surname: string;
  personnummer: string;
  unitIds?: number[];
  hsaId?: string | null;
  email?: string | null;
  employmentEnd?: string | null;
  employmentType?: 'region' | 'kommunal' | 'lov';
  employeeNumber?: string;
}

/** The ID document a person shows at the counter before a token is linked: a passport valid for years. */
export const SHOWN_ID_DOCUMENT = { type: 'pass', lastFour: '4711', expiry: '2035-12-31', note: null } as const;

/** A municipal employee by default, with a username so tokens can be linked. */

export async function createPerson(api: Api, person: ScenePerson): Promise<number> {
  const { firstName, surname, personnummer } = person;
  const created = await api('people.create', {
    firstName,
    surname,
    personnummer,
    hsaId: person.hsaId ?? null,
    username: `${firstName}.${surname}`.toLowerCase(),
    email: person.email ?? null,
    mobile: null,
    employmentType: person.employmentType ?? 'kommunal',
    employmentEnd: person.employmentEnd ?? null,
    unitIds: person.unitIds ?? [],
    ...(person.employeeNumber ? { employeeNumber: person.employeeNumber } : {}),
  });
  return created.id;
}

/** A card order taken through photo and production to ready for collection here, which queues the "card ready" e-mail. */
export async function readyCardOrder(api: Api, personId: number, cardNumber: string): Promise<number> {
  const order = await api('cardOrders.create', { personId, orderDate: '2026-06-01', orderReference: `BEST-${cardNumber.slice(-4)}` });
  await api('cardOrders.photograph', { orderId: order.id });
  await api('cardOrders.produce', { orderId: order.id, cardNumber });
  await api('cardOrders.markReady', { orderId: order.id });
  return order.id;
}
