// The organisation's register: organisations, their nested units (with invoice references) and the card stations.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Organisation, OrganisationKind, Station, Unit } from '@shared/contract';
import { call } from '../api';

export const useOrganisationStore = defineStore('organisation', () => {
  const organisations = ref<Organisation[]>([]);
  const units = ref<Unit[]>([]);
  const stations = ref<Station[]>([]);

  async function load(): Promise<void> {
    const [foundOrganisations, foundUnits, foundStations] = await Promise.all([call('organisations.list', {}), call('units.list', {}), call('stations.list', {})]);
    organisations.value = foundOrganisations;
    units.value = foundUnits;
    stations.value = foundStations;
  }

  async function loadUnits(): Promise<void> {
    const [foundOrganisations, foundUnits] = await Promise.all([call('organisations.list', {}), call('units.list', {})]);
    organisations.value = foundOrganisations;
    units.value = foundUnits;
  }

  async function createOrganisation(name: string, kind: OrganisationKind): Promise<Organisation> {
    const created = await call('organisations.create', { name, kind });
    organisations.value = [...organisations.value, created];
    return created;
  }

  async function createUnit(input: { organisationId: number; parentId: number | null; name: string; reference: string; billingAddress?: string | null; usesParentBilling?: boolean }): Promise<Unit> {
    const created = await call('units.create', input);
    units.value = [...units.value, created];
    return created;
  }

  /** Edits, moves and closings answer with the unit as it now is; a move or billing change alters others' billing references, so all are read again. */
  async function changeUnit(change: () => Promise<Unit>): Promise<Unit> {
    const changed = await change();
    units.value = await call('units.list', {});
    return changed;
  }
  const updateUnit = (input: { id: number; name: string; reference: string; billingAddress: string | null; usesParentBilling: boolean }) => changeUnit(() => call('units.update', input));
  const moveUnit = (id: number, parentId: number | null) => changeUnit(() => call('units.move', { id, parentId }));
  const closeUnit = (id: number) => changeUnit(() => call('units.close', { id }));

  async function createStation(input: { name: string; site: string; address: string }): Promise<Station> {
    const created = await call('stations.create', input);
    stations.value = [...stations.value, created];
    return created;
  }

  /** The organisation's name, then the unit's parents from the top, then the unit's own name. */
  function namePath(unit: Unit): string[] {
    const names: string[] = [];
    const seen = new Set<number>();
    for (let at: Unit | undefined = unit; at && !seen.has(at.id); at = units.value.find((candidate) => candidate.id === at?.parentId)) {
      seen.add(at.id);
      names.unshift(at.name);
    }
    const organisation = organisations.value.find((candidate) => candidate.id === unit.organisationId);
    return organisation ? [organisation.name, ...names] : names;
  }

  /** "Region Uppsala › Kirurgi › Avd 70 (K70)": where a unit sits, for pick lists. */
  function unitPath(unit: Unit): string {
    return `${namePath(unit).join(' › ')} (${unit.reference})`;
  }

  /** Units in tree order: each parent directly before its children. */
  function sortedUnits(): Unit[] {
    const compare = (a: string[], b: string[]): number => {
      for (let index = 0; index < Math.min(a.length, b.length); index++) {
        const order = a[index]!.localeCompare(b[index]!, 'sv');
        if (order !== 0) return order;
      }
      return a.length - b.length;
    };
    return [...units.value].sort((a, b) => compare(namePath(a), namePath(b)));
  }

  return { organisations, units, stations, load, loadUnits, createOrganisation, createUnit, updateUnit, moveUnit, closeUnit, createStation, unitPath, sortedUnits };
});
