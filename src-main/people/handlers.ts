// Procedures about people and the organisation: every people query runs within the calling operator's units.
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import type { StationName } from '../organisation/station-label';
import type { CallContext, Handlers, Operator } from '../router';
import { auditedBySession } from '../audit/audited-by';
import { closeUnit, createOrganisation, createStation, createUnit, listOrganisations, listStations, listUnits, moveUnit, scopeOf, updateUnit, type UnitScope } from '../organisation/organisation';
import { editableUnitIds, listUnitAdmins, setCanEdit } from '../organisation/unit-admins';
import { listPeople } from './people-list';
import { createPerson, searchPeople, updatePerson, viewPerson } from './people';
import { erasePerson } from '../privacy/erasure';
import { extractPerson } from './extract';
import { parsePeopleFile } from './import';
import { importPeopleOrFail, previewImport } from './import-apply';
import { templateFile } from './template';
import type { WorkJobs } from '../work/jobs';

type PeopleProcedure = Extract<keyof Handlers, `people.${string}` | `organisations.${string}` | `units.${string}` | `unitAdmins.${string}` | `stations.${string}`>;

function callerOf({ session }: CallContext): Operator {
  // the router lets only logged-in roles through to these; this guards against a handler wired to 'anyone'
  if (!session.operator) throw new AppError('not-logged-in', 'Log in first');
  return session.operator;
}

const callerScope = (context: CallContext): UnitScope => scopeOf(callerOf(context));

const fileBytes = (contentBase64: string): Uint8Array => Uint8Array.from(Buffer.from(contentBase64, 'base64'));

export function peopleHandlers(db: Db, station: StationName, work: WorkJobs, now: () => Date = () => new Date()): Pick<Handlers, PeopleProcedure> {
  return {
    'people.search': ({ query, limit }, context) => searchPeople(db, callerScope(context), query, limit),
    'people.get': async ({ id }, context) => viewPerson(db, callerScope(context), id, await auditedBySession(context.session, station)),
    'people.extract': async ({ id }, context) => extractPerson(db, callerScope(context), id, await auditedBySession(context.session, station)),
    // erasure reaches every unit's records of the person; only the organisation administrator (full scope) is let through
    'people.erase': async ({ id }, context) => erasePerson(db, id, await auditedBySession(context.session, station)),
    'people.create': (input, context) => createPerson(db, callerScope(context), input),
    'people.update': ({ id, ...input }, context) => updatePerson(db, callerScope(context), id, input),
    'people.importPreview': async ({ fileName, contentBase64 }, context) => previewImport(db, callerScope(context), await parsePeopleFile(fileBytes(contentBase64), fileName)),
    'people.import': async ({ fileName, contentBase64, jobId }, context) => {
      const parsed = await parsePeopleFile(fileBytes(contentBase64), fileName);
      const by = await auditedBySession(context.session, station);
      return work.run(context.session.id, jobId, (progress) => importPeopleOrFail(db, callerScope(context), parsed, by, progress));
    },
    'people.template': ({ format }) => templateFile(format),
    'organisations.list': () => listOrganisations(db),
    'organisations.create': (input) => createOrganisation(db, input),
    'units.list': (_input, context) => listUnits(db, callerScope(context)),
    'units.create': (input) => createUnit(db, input),
    'units.update': (input) => updateUnit(db, input),
    'units.move': (input) => moveUnit(db, input),
    'units.close': ({ id }) => closeUnit(db, id, now()),
    'units.editable': async (_input, context) => {
      const caller = callerOf(context);
      return caller.role === 'unit-admin' ? { all: false, unitIds: await editableUnitIds(db, caller.id) } : { all: true, unitIds: [] };
    },
    'people.list': (filter, context) => listPeople(db, callerScope(context), filter, now()),
    'unitAdmins.list': (_input, context) => listUnitAdmins(db, callerOf(context)),
    'unitAdmins.setCanEdit': (input, context) => setCanEdit(db, callerOf(context), input),
    'stations.list': () => listStations(db),
    'stations.create': (input) => createStation(db, input),
  };
}
