// ISO 7816-4 file access: SELECT by AID or path (absolute from 3F00, or relative to an application) and READ BINARY of whole files or ranges.
import { type ApduChannel, CardError, type ResponseApdu, concatBytes } from '../apdu';
import { childrenOf, findTag, parseTlvs, readTlv } from '../tlv';

/** Where an application lives: its absolute path when EF.DIR gave one, else only its AID. */
export interface AppLocation {
  aid: Uint8Array | null;
  path: Uint8Array | null;
}

export interface FileRange {
  offset: number;
  length: number;
}

const INS_SELECT = 0xa4;
const INS_READ_BINARY = 0xb0;
const P2_FCP = 0x04;
const P2_FCI = 0x00;
const P2_NO_DATA = 0x0c;
const MAX_SHORT_LE = 256;
/** READ BINARY offsets have 15 bits. */
const MAX_OFFSET = 0x7fff;

const MF = Uint8Array.of(0x3f, 0x00);
const isMf = (path: Uint8Array): boolean => path[0] === 0x3f && path[1] === 0x00;

async function selectWith(channel: ApduChannel, p1: number, data: Uint8Array): Promise<ResponseApdu> {
  const withFcp = await channel.send({ cla: 0, ins: INS_SELECT, p1, p2: P2_FCP, data, le: MAX_SHORT_LE });
  if (withFcp.status.kind !== 'wrong-parameters') return withFcp;
  const withFci = await channel.send({ cla: 0, ins: INS_SELECT, p1, p2: P2_FCI, data, le: MAX_SHORT_LE });
  if (withFci.status.kind !== 'wrong-parameters') return withFci;
  return channel.send({ cla: 0, ins: INS_SELECT, p1, p2: P2_NO_DATA, data });
}

/** File size from an FCP/FCI template (tag 80, else 81); null when the card doesn't say. */
export function fileSizeFrom(response: Uint8Array): number | null {
  if (response.length === 0) return null;
  const template = parseTlvs(response)[0];
  if (!template || (template.tag !== 0x62 && template.tag !== 0x6f) || !template.constructed) return null;
  const items = childrenOf(template);
  const size = findTag(items, 0x80) ?? findTag(items, 0x81);
  if (!size || size.value.length === 0 || size.value.length > 3) return null;
  return size.value.reduce((total, byte) => total * 256 + byte, 0);
}

export async function selectAid(channel: ApduChannel, aid: Uint8Array): Promise<ResponseApdu> {
  return selectWith(channel, 0x04, aid);
}

/** ok with the file's size (null if unknown); absent: 6A82/6A88; refused: any other answer (no MF yet, no path selection…). */
export type SelectOutcome = { kind: 'ok'; size: number | null } | { kind: 'absent' } | { kind: 'refused'; sw: number };

function outcomeOf(response: ResponseApdu): SelectOutcome {
  if (response.status.kind === 'ok') return { kind: 'ok', size: fileSizeFrom(response.data) };
  return response.status.kind === 'not-found' ? { kind: 'absent' } : { kind: 'refused', sw: response.sw };
}

/** Cards that refused SELECT by path once: every later path is walked one file id at a time. */
const walksFileIds = new WeakSet<ApduChannel>();

/** SELECT of each file id in turn (P1=00), for cards that only know selection by file identifier. */
async function walkFileIds(channel: ApduChannel, ids: Uint8Array): Promise<SelectOutcome> {
  let outcome: SelectOutcome = { kind: 'absent' };
  for (let offset = 0; offset < ids.length; offset += 2) {
    outcome = outcomeOf(await selectWith(channel, 0x00, ids.subarray(offset, offset + 2)));
    if (outcome.kind !== 'ok') return outcome;
  }
  return outcome;
}

/** SELECT by path (P1=08 from the MF, 09 from the current DF); when the card refuses it, the same path file id by file id. */
async function selectByPath(channel: ApduChannel, p1: 0x08 | 0x09, ids: Uint8Array): Promise<SelectOutcome> {
  const walkFrom = p1 === 0x08 ? concatBytes([MF, ids]) : ids;
  if (walksFileIds.has(channel)) return walkFileIds(channel, walkFrom);
  const outcome = outcomeOf(await selectWith(channel, p1, ids));
  if (outcome.kind !== 'refused') return outcome;
  const walked = await walkFileIds(channel, walkFrom);
  if (walked.kind === 'ok') walksFileIds.add(channel);
  return walked;
}

/** Selects a file by path, absolute (3F00…) or relative to the application. */
export async function selectFile(channel: ApduChannel, app: AppLocation, path: Uint8Array): Promise<SelectOutcome> {
  if (path.length < 2 || path.length % 2 !== 0) throw new CardError('card-data-corrupt', 'Path of odd length');
  if (isMf(path)) return path.length === 2 ? outcomeOf(await selectWith(channel, 0x00, path)) : selectByPath(channel, 0x08, path.subarray(2));
  if (app.path) {
    const absolute = concatBytes([app.path, path]);
    return isMf(absolute) ? selectByPath(channel, 0x08, absolute.subarray(2)) : selectByPath(channel, 0x08, absolute);
  }
  if (app.aid) {
    const selected = await selectAid(channel, app.aid);
    if (selected.status.kind !== 'ok') return outcomeOf(selected);
    return selectByPath(channel, 0x09, path);
  }
  return selectByPath(channel, 0x08, path);
}

/** Selects a file; returns its size (null if unknown) or undefined when the card has no such file. */
export async function selectPath(channel: ApduChannel, app: AppLocation, path: Uint8Array): Promise<number | null | undefined> {
  const outcome = await selectFile(channel, app, path);
  return outcome.kind === 'ok' ? outcome.size : undefined;
}

/** The selected file's bytes from `offset`, `length` of them or up to the end when the length is unknown. */
async function readSelected(channel: ApduChannel, offset: number, length: number | null): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let position = offset;
  const end = length === null ? null : offset + length;
  while (end === null || position < end) {
    if (position > MAX_OFFSET) throw new CardError('card-data-corrupt', 'File larger than READ BINARY can address');
    const wanted = end === null ? MAX_SHORT_LE : Math.min(MAX_SHORT_LE, end - position);
    const response = await channel.send({ cla: 0, ins: INS_READ_BINARY, p1: position >> 8, p2: position & 0xff, le: wanted });
    const { kind } = response.status;
    if (kind !== 'ok' && kind !== 'end-of-file') {
      if (end === null && chunks.length > 0 && kind === 'wrong-parameters') break;
      throw new CardError('card-data-corrupt', 'READ BINARY failed');
    }
    chunks.push(response.data.subarray(0, wanted));
    position += Math.min(response.data.length, wanted);
    // a short answer means the file ended; an empty one must not make us loop
    if (response.data.length < wanted || kind === 'end-of-file') break;
  }
  const data = concatBytes(chunks);
  if (length !== null && data.length < length) throw new CardError('card-data-corrupt', 'File shorter than stated');
  return data;
}

/** Reads a whole file, or a range of it; undefined when the file does not exist. */
export async function readFile(channel: ApduChannel, app: AppLocation, path: Uint8Array, range?: FileRange): Promise<Uint8Array | undefined> {
  const read = await readFileOutcome(channel, app, path, range);
  return read.kind === 'ok' ? read.bytes : undefined;
}

/** Like readFile, but says whether a missing file was absent or the card refused the selection. */
export async function readFileOutcome(
  channel: ApduChannel,
  app: AppLocation,
  path: Uint8Array,
  range?: FileRange,
): Promise<{ kind: 'ok'; bytes: Uint8Array } | Exclude<SelectOutcome, { kind: 'ok' }>> {
  const selected = await selectFile(channel, app, path);
  if (selected.kind !== 'ok') return selected;
  const { size } = selected;
  if (!range) return { kind: 'ok', bytes: await readSelected(channel, 0, size) };
  if (size !== null && range.offset + range.length > size) throw new CardError('card-data-corrupt', 'Range past end of file');
  return { kind: 'ok', bytes: await readSelected(channel, range.offset, range.length) };
}

/** The first TLV of a file, without the fill that follows it in a fixed-size EF. */
export function firstTlvBytes(bytes: Uint8Array): Uint8Array {
  const { next } = readTlv(bytes, 0);
  return bytes.subarray(0, next);
}
