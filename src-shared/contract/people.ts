// Procedures about the organisation (organisations, units, stations) and the people served at the station.
import * as v from 'valibot';
import { noInput, procedure, type Role } from './procedure';
import { jobField } from './work';

export const ORGANISATION_KINDS = ['region', 'kommun', 'privat'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const EMPLOYMENT_TYPES = ['region', 'kommunal', 'lov', 'privat'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];

export interface Organisation {
  id: number;
  name: string;
  kind: OrganisationKind;
}

export interface Unit {
  id: number;
  organisationId: number;
  parentId: number | null;
  name: string;
  /** The reference / cost centre: unique within the organisation, one invoice per reference. */
  reference: string;
  billingAddress: string | null;
  /** "Använd överordnad enhets referens och fakturaadress": the unit's charges are invoiced on its parent's. */
  usesParentBilling: boolean;
  /** The reference the unit's charges are invoiced on: its own, or its nearest parent's that bills itself. */
  billingReference: string;
  /** A closed unit keeps its history but takes no new people or orders. */
  closedAt: string | null;
}

/** What the people list can be narrowed to, from what the register knows of a person. */
export const PERSON_STATUSES = ['all', 'active', 'ended', 'has-card', 'has-token'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

export interface PersonListRow extends PersonSummary {
  units: string[];
  /** A handed-over card that is neither returned, blocked nor replaced. */
  hasCard: boolean;
  /** At least one token issued to the person. */
  hasToken: boolean;
}

export interface PersonList {
  people: PersonListRow[];
  /** All matches, of which `people` is one page. */
  total: number;
}

export interface EditableUnits {
  all: boolean;
  unitIds: number[];
}

/** One unit administrator's grant of one unit, with its "Kan redigera". */
export interface UnitAdminGrant {
  staffId: number;
  displayName: string;
  username: string;
  unitId: number;
  unitName: string;
  canEdit: boolean;
  /** The caller's own grant: nobody sets their own "Kan redigera". */
  isSelf: boolean;
}

export interface Station {
  id: number;
  name: string;
  site: string;
  address: string;
}

/** A search hit: the personnummer is masked, only the person's own detail view shows it whole. */
export interface PersonSummary {
  id: number;
  firstName: string;
  surname: string;
  personnummerMasked: string;
  hsaId: string | null;
  username: string | null;
  employmentEnd: string | null;
}

export interface PersonUnit {
  id: number;
  name: string;
  reference: string;
  organisationName: string;
}

export interface PersonDetail {
  id: number;
  firstName: string;
  surname: string;
  /** 'YYYYMMDD-XXXX'. */
  personnummer: string;
  birthDate: string;
  isCoordinationNumber: boolean;
  hsaId: string | null;
  username: string | null;
  email: string | null;
  mobile: string | null;
  employmentType: EmploymentType | null;
  /** 'YYYY-MM-DD'. */
  employmentEnd: string | null;
  employeeNumber: string | null;
  units: PersonUnit[];
}

/** The template's columns, in order; 'file' is for problems with the whole file. */
export const IMPORT_FIELDS = ['firstName', 'surname', 'personnummer', 'hsaId', 'username', 'email', 'mobile', 'unit', 'employmentType', 'employmentEnd', 'employeeNumber'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number] | 'file';

export const IMPORT_ERROR_CODES = [
  'missing',
  'too-long',
  'format',
  'check-digit',
  'date',
  'invalid',
  'duplicate-in-file',
  'taken',
  'unknown',
  'ambiguous',
  'forbidden',
  'closed',
  'missing-column',
  'duplicate-column',
  'unreadable',
  'empty',
  'too-many-rows',
  'too-large-or-damaged',
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

/** One reason a row (line 1 is the header) cannot be imported. */
export interface ImportRowError {
  line: number;
  field: ImportField;
  code: ImportErrorCode;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: ImportRowError[];
}

export interface TemplateFile {
  fileName: string;
  mimeType: string;
  contentBase64: string;
}

/** The largest import file the UI may send. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_SEARCH_RESULTS = 50;
export const PEOPLE_PAGE_SIZE = 50;

const id = v.pipe(v.number(), v.integer(), v.minValue(1));
const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));
const optionalText = (max: number) => v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(max)));

const personFields = {
  firstName: text(100),
  surname: text(100),
  personnummer: text(20),
  hsaId: optionalText(40),
  username: optionalText(64),
  email: optionalText(254),
  mobile: optionalText(30),
  employmentType: v.nullable(v.picklist(EMPLOYMENT_TYPES)),
  employmentEnd: optionalText(10),
  /** Optional: absent leaves the register's value as it is. */
  employeeNumber: v.optional(optionalText(20)),
  unitIds: v.pipe(v.array(id), v.maxLength(50)),
};

export const personInput = v.strictObject(personFields);
export type PersonInput = v.InferOutput<typeof personInput>;

const importFile = v.strictObject({
  fileName: text(255),
  contentBase64: v.pipe(v.string(), v.base64(), v.maxLength(Math.ceil(MAX_IMPORT_BYTES / 3) * 4)),
});

const PEOPLE_ROLES: readonly Role[] = ['operator', 'station-admin', 'org-admin', 'unit-admin'];
// importing from the template file is administration (seed 003), not the counter's work
const PEOPLE_IMPORTERS: readonly Role[] = ['station-admin', 'org-admin', 'unit-admin'];
const ORGANISATION_ADMINS: readonly Role[] = ['org-admin'];
// the people list is the portal's, for those who administer people; the counter finds a person by search
const PEOPLE_ADMINS: readonly Role[] = ['station-admin', 'org-admin', 'unit-admin'];
const UNIT_ADMIN_KEEPERS: readonly Role[] = ['org-admin', 'unit-admin'];

const unitBillingFields = {
  billingAddress: v.optional(optionalText(300), null),
  usesParentBilling: v.optional(v.boolean(), false),
};
// A station administrator registers the stations they run; the rest of the organisation is the org admin's.
const STATION_ADMINS: readonly Role[] = ['org-admin', 'station-admin'];

export const peopleProcedures = {
  'people.search': procedure<PersonSummary[]>()(
    v.strictObject({ query: v.pipe(v.string(), v.maxLength(100)), limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SEARCH_RESULTS))) }),
    PEOPLE_ROLES,
  ),
  'people.get': procedure<PersonDetail>()(v.strictObject({ id }), PEOPLE_ROLES),
  'people.create': procedure<PersonDetail>()(personInput, PEOPLE_ROLES),
  'people.update': procedure<PersonDetail>()(v.strictObject({ id, ...personFields }), PEOPLE_ROLES),
  'people.importPreview': procedure<ImportReport>()(importFile, PEOPLE_IMPORTERS),
  'people.import': procedure<ImportReport>()(v.strictObject({ ...importFile.entries, ...jobField }), PEOPLE_IMPORTERS),
  'people.template': procedure<TemplateFile>()(v.strictObject({ format: v.picklist(['xlsx', 'csv']) }), PEOPLE_IMPORTERS),
  'organisations.list': procedure<Organisation[]>()(noInput, PEOPLE_ROLES),
  'organisations.create': procedure<Organisation>()(v.strictObject({ name: text(200), kind: v.picklist(ORGANISATION_KINDS) }), ORGANISATION_ADMINS),
  'units.list': procedure<Unit[]>()(noInput, PEOPLE_ROLES),
  'units.create': procedure<Unit>()(
    v.strictObject({ organisationId: id, parentId: v.nullable(id), name: text(200), reference: text(50), ...unitBillingFields }),
    ORGANISATION_ADMINS,
  ),
  'units.update': procedure<Unit>()(v.strictObject({ id, name: text(200), reference: text(50), ...unitBillingFields }), ORGANISATION_ADMINS),
  'units.move': procedure<Unit>()(v.strictObject({ id, parentId: v.nullable(id) }), ORGANISATION_ADMINS),
  'units.close': procedure<Unit>()(v.strictObject({ id }), ORGANISATION_ADMINS),
  // where the caller may change people and orders: every unit, or a unit administrator's units with "Kan redigera"
  'units.editable': procedure<EditableUnits>()(noInput, PEOPLE_ROLES),
  // the people list of the unit portal: a unit administrator's only their units', filtered in SQL
  'people.list': procedure<PersonList>()(
    v.strictObject({ unitId: v.nullable(id), status: v.picklist(PERSON_STATUSES), offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000))) }),
    PEOPLE_ADMINS,
  ),
  // "Kan redigera": a unit administrator who may edit sets it for the others of their units, an organisation administrator for anyone
  'unitAdmins.list': procedure<UnitAdminGrant[]>()(noInput, UNIT_ADMIN_KEEPERS),
  'unitAdmins.setCanEdit': procedure<UnitAdminGrant>()(v.strictObject({ staffId: id, unitId: id, canEdit: v.boolean() }), UNIT_ADMIN_KEEPERS),
  'stations.list': procedure<Station[]>()(noInput, PEOPLE_ROLES),
  'stations.create': procedure<Station>()(v.strictObject({ name: text(200), site: text(200), address: text(300) }), STATION_ADMINS),
} as const;

export const PEOPLE_ERROR_CODES = [
  'not-found',
  'invalid-person',
  'duplicate-personnummer',
  'duplicate-hsa-id',
  'duplicate-username',
  'duplicate-name',
  'duplicate-reference',
  'unknown-unit',
  'unknown-organisation',
  'import-invalid',
  /** A unit administrator without "Kan redigera" for the units concerned. */
  'read-only',
  /** Moving a unit under itself or one of its own sub-units. */
  'unit-cycle',
  'unit-closed',
  /** Closing a unit that still has open sub-units, active people, issued tokens or undelivered orders. */
  'unit-in-use',
  /** Billing on the parent's reference asked of a unit without a parent. */
  'unit-without-parent',
  /** A unit administrator setting their own "Kan redigera". */
  'own-grant',
] as const;
