// ISO 7816-4 file tree of the virtual PKCS#15 card: SELECT (P1 00/01/02/03/04/08/09) with FCI/FCP answers and READ BINARY.
import { SW, status, withStatus } from './applet';
import type { Command } from './command';
import { concat, tlv } from './der';

export interface ElementaryFile {
  readonly kind: 'ef';
  readonly fid: number;
  readonly parent: DedicatedFile;
  content: Uint8Array;
  /** false for a key file: it can be selected, never read. */
  readonly readable: boolean;
}

export interface DedicatedFile {
  readonly kind: 'df';
  readonly fid: number;
  /** DF name (AID), selectable with P1=04. */
  readonly name: Uint8Array | null;
  readonly parent: DedicatedFile | null;
  readonly children: CardFile[];
}

export type CardFile = ElementaryFile | DedicatedFile;

const MF_ID = 0x3f00;
const SW_NO_CURRENT_EF = 0x6986;
const SW_FUNCTION_NOT_SUPPORTED = 0x6a81;
const SW_INCORRECT_P1P2 = 0x6a86;
const SW_LC_INCONSISTENT = 0x6a87;
const SW_END_OF_FILE = 0x6282;

export class FileSystem {
  readonly mf: DedicatedFile = { kind: 'df', fid: MF_ID, name: null, parent: null, children: [] };
  #currentDf: DedicatedFile = this.mf;
  #currentEf: ElementaryFile | null = null;

  addDf(parent: DedicatedFile, fid: number, name: Uint8Array | null = null): DedicatedFile {
    const df: DedicatedFile = { kind: 'df', fid, name, parent, children: [] };
    parent.children.push(df);
    return df;
  }

  addEf(parent: DedicatedFile, fid: number, content: Uint8Array, readable = true): ElementaryFile {
    const ef: ElementaryFile = { kind: 'ef', fid, parent, content, readable };
    parent.children.push(ef);
    return ef;
  }

  reset(): void {
    this.#currentDf = this.mf;
    this.#currentEf = null;
  }

  select(command: Command): Uint8Array {
    const target = this.resolve(command);
    if (typeof target === 'number') return status(target);
    if (target.kind === 'df') {
      this.#currentDf = target;
      this.#currentEf = null;
    } else {
      this.#currentDf = target.parent;
      this.#currentEf = target;
    }
    switch (command.p2) {
      case 0x00:
      case 0x08:
        return withStatus(tlv(0x6f, this.fileControl(target)), SW.OK);
      case 0x04:
        return withStatus(tlv(0x62, this.fileControl(target)), SW.OK);
      case 0x0c:
        return status(SW.OK);
      default:
        return status(SW_INCORRECT_P1P2);
    }
  }

  readBinary(command: Command): Uint8Array {
    if (command.p1 & 0x80) return status(SW_FUNCTION_NOT_SUPPORTED);
    if (command.data.length > 0) return status(SW.WRONG_LENGTH);
    const ef = this.#currentEf;
    if (!ef) return status(SW_NO_CURRENT_EF);
    if (!ef.readable) return status(SW.SECURITY_NOT_SATISFIED);
    const offset = (command.p1 << 8) | command.p2;
    if (offset > ef.content.length) return status(SW.WRONG_P1P2);
    const wanted = command.le ?? 256;
    const data = ef.content.subarray(offset, offset + wanted);
    return withStatus(data, data.length < wanted ? SW_END_OF_FILE : SW.OK);
  }

  private resolve(command: Command): CardFile | number {
    const { p1, data } = command;
    const ids = fileIds(data);
    switch (p1) {
      case 0x00:
        if (data.length === 0) return this.mf;
        if (ids?.length !== 1) return SW_LC_INCONSISTENT;
        return this.byFileId(ids[0] ?? 0) ?? SW.FILE_NOT_FOUND;
      case 0x01:
      case 0x02: {
        if (ids?.length !== 1) return SW_LC_INCONSISTENT;
        const kind = p1 === 0x01 ? 'df' : 'ef';
        return this.#currentDf.children.find((file) => file.kind === kind && file.fid === ids[0]) ?? SW.FILE_NOT_FOUND;
      }
      case 0x03:
        return this.#currentDf.parent ?? SW.FILE_NOT_FOUND;
      case 0x04:
        return data.length === 0 ? this.mf : (this.byName(this.mf, data) ?? SW.FILE_NOT_FOUND);
      case 0x08:
      case 0x09: {
        if (!ids || ids.length === 0) return SW_LC_INCONSISTENT;
        const start = p1 === 0x08 ? this.mf : this.#currentDf;
        const steps = p1 === 0x08 && ids[0] === MF_ID ? ids.slice(1) : ids;
        return this.walk(start, steps) ?? SW.FILE_NOT_FOUND;
      }
      default:
        return SW_INCORRECT_P1P2;
    }
  }

  /** P1=00 search order: the MF, children of the current DF, the current DF, its parent and its siblings. */
  private byFileId(fid: number): CardFile | undefined {
    if (fid === MF_ID) return this.mf;
    const current = this.#currentDf;
    const parent = current.parent;
    return (
      current.children.find((file) => file.fid === fid) ??
      (current.fid === fid ? current : undefined) ??
      (parent?.fid === fid ? parent : undefined) ??
      parent?.children.find((file) => file.fid === fid)
    );
  }

  private byName(df: DedicatedFile, name: Uint8Array): DedicatedFile | undefined {
    if (df.name && name.length <= df.name.length && name.every((byte, i) => byte === df.name?.[i])) return df;
    for (const child of df.children) {
      const found = child.kind === 'df' ? this.byName(child, name) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  private walk(start: DedicatedFile, steps: readonly number[]): CardFile | undefined {
    let current: CardFile = start;
    for (const fid of steps) {
      if (current.kind !== 'df') return undefined;
      const next: CardFile | undefined = current.children.find((file) => file.fid === fid);
      if (!next) return undefined;
      current = next;
    }
    return current;
  }

  private fileControl(file: CardFile): Uint8Array {
    const fid = Uint8Array.of(file.fid >> 8, file.fid & 0xff);
    const lifeCycleOperational = tlv(0x8a, Uint8Array.of(0x05));
    if (file.kind === 'ef') {
      const size = Uint8Array.of(file.content.length >> 8, file.content.length & 0xff);
      return concat(tlv(0x80, size), tlv(0x82, Uint8Array.of(0x01)), tlv(0x83, fid), lifeCycleOperational);
    }
    const name = file.name ? tlv(0x84, file.name) : new Uint8Array(0);
    return concat(tlv(0x82, Uint8Array.of(0x38)), tlv(0x83, fid), name, lifeCycleOperational);
  }
}

function fileIds(data: Uint8Array): number[] | null {
  if (data.length % 2 !== 0) return null;
  const ids: number[] = [];
  for (let i = 0; i < data.length; i += 2) ids.push(((data[i] ?? 0) << 8) | (data[i + 1] ?? 0));
  return ids;
}
