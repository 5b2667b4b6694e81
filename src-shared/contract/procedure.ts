// The building blocks of a contract entry: roles, who may call, and the typed procedure declaration.
import * as v from 'valibot';

export const ROLES = ['operator', 'station-admin', 'org-admin', 'unit-admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who may call a procedure: 'anyone' needs no login (the card test at the counter), otherwise one of the roles. */
export type Access = 'anyone' | readonly Role[];

/** Declares a procedure returning O; `output` exists only in the type system. */
export function procedure<O>() {
  return <const S extends v.GenericSchema>(input: S, access: Access): { input: S; access: Access; output?: O } => ({ input, access });
}

export const noInput = v.strictObject({});
