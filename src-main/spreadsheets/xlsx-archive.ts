// Written by hand over node:zlib: exceljs (through JSZip) inflates every part into memory before it checks a size, and no zip library we carry bounds both the declared and the actual inflated size.
import { createInflateRaw } from 'node:zlib';

/** A workbook for import has a few dozen parts; thousands are a sign of a crafted file. */
export const MAX_XLSX_ENTRIES = 1_000;
/** 50 000 rows of the widest template inflate to about 40 MB of XML. */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024;
/** Spreadsheet XML compresses 10–50 times; a zip bomb over 1000. */
export const MAX_XLSX_RATIO = 200;
// below this an entry's ratio says nothing: a tiny part full of repeats may compress very well
const RATIO_FLOOR_BYTES = 1024 * 1024;

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_OF_DIRECTORY_BYTES = 22;
const DIRECTORY_ENTRY_BYTES = 46;
const LOCAL_HEADER_BYTES = 30;
const MAX_COMMENT_BYTES = 0xffff;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_FLAG = 0x1;
// ZIP64 puts these placeholders where a size or count would not fit; an import workbook never needs ZIP64
const ZIP64_U16 = 0xffff;
const ZIP64_U32 = 0xffffffff;

interface Entry {
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  dataOffset: number;
}

class DamagedArchive extends Error {}

function endOfDirectory(bytes: Buffer): number {
  const lowest = Math.max(0, bytes.length - END_OF_DIRECTORY_BYTES - MAX_COMMENT_BYTES);
  for (let offset = bytes.length - END_OF_DIRECTORY_BYTES; offset >= lowest; offset--) {
    if (bytes.readUInt32LE(offset) === END_OF_DIRECTORY) return offset;
  }
  throw new DamagedArchive('no end of central directory');
}

function readInside(bytes: Buffer, offset: number, length: number): void {
  if (offset < 0 || offset + length > bytes.length) throw new DamagedArchive('record outside the file');
}

/** The entries as the central directory declares them, with where each one's data starts. */
function directoryEntries(bytes: Buffer): Entry[] {
  const end = endOfDirectory(bytes);
  const count = bytes.readUInt16LE(end + 10);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (count === ZIP64_U16 || directoryOffset === ZIP64_U32) throw new DamagedArchive('ZIP64');
  if (count > MAX_XLSX_ENTRIES) throw new DamagedArchive('too many entries');
  const entries: Entry[] = [];
  let offset = directoryOffset;
  for (let index = 0; index < count; index++) {
    readInside(bytes, offset, DIRECTORY_ENTRY_BYTES);
    if (bytes.readUInt32LE(offset) !== DIRECTORY_ENTRY) throw new DamagedArchive('bad directory entry');
    const flags = bytes.readUInt16LE(offset + 8);
    const method = bytes.readUInt16LE(offset + 10);
    const compressedSize = bytes.readUInt32LE(offset + 20);
    const uncompressedSize = bytes.readUInt32LE(offset + 24);
    const localOffset = bytes.readUInt32LE(offset + 42);
    if (flags & ENCRYPTED_FLAG || (method !== STORED && method !== DEFLATED)) throw new DamagedArchive('unsupported entry');
    if (compressedSize === ZIP64_U32 || uncompressedSize === ZIP64_U32 || localOffset === ZIP64_U32) throw new DamagedArchive('ZIP64');
    readInside(bytes, localOffset, LOCAL_HEADER_BYTES);
    if (bytes.readUInt32LE(localOffset) !== LOCAL_HEADER) throw new DamagedArchive('bad local header');
    const dataOffset = localOffset + LOCAL_HEADER_BYTES + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    readInside(bytes, dataOffset, compressedSize);
    entries.push({ method, compressedSize, uncompressedSize, dataOffset });
    offset += DIRECTORY_ENTRY_BYTES + bytes.readUInt16LE(offset + 28) + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
  }
  return entries;
}

function withinDeclaredLimits(entries: readonly Entry[]): boolean {
  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    if (total > MAX_XLSX_UNCOMPRESSED_BYTES) return false;
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize > entry.compressedSize * MAX_XLSX_RATIO) return false;
  }
  return true;
}

/** Inflates and throws the output away as it comes, stopping one chunk past `limit`: memory stays flat whatever the entry holds. */
function inflatedSize(compressed: Buffer, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw();
    let size = 0;
    inflater.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        inflater.destroy();
        resolve(size);
      }
    });
    inflater.on('end', () => resolve(size));
    inflater.on('error', reject);
    inflater.end(compressed);
  });
}

/** True when a .xlsx (a zip) is small enough to hand to exceljs: entry count, total and per-entry ratio as declared, then each entry inflated no further than it declares. */
export async function xlsxWithinLimits(file: Uint8Array): Promise<boolean> {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  try {
    const entries = directoryEntries(bytes);
    if (!withinDeclaredLimits(entries)) return false;
    for (const entry of entries) {
      const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
      const actual = entry.method === STORED ? data.length : await inflatedSize(data, entry.uncompressedSize);
      if (actual !== entry.uncompressedSize) return false;
    }
    return true;
  } catch {
    return false;
  }
}
