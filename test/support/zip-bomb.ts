// Builds .xlsx-shaped zip files for the upload limits: a zip bomb of spaces, honest or lying about its size, and archives with many parts.
import { constants, deflateRawSync } from 'node:zlib';

const MIB = 1024 * 1024;
// an empty final deflate block: ends a stream made of flushed, non-final blocks
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

interface ZipEntry {
  name: string;
  method: 0 | 8;
  data: Buffer;
  declaredSize: number;
}

/** Local headers, data, central directory and its end; CRCs are left 0, as a crafted file would. */
export function zipOf(entries: readonly ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.method, 10);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, name, entry.data);
    directory.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directoryBytes, end]);
}

const deflated = (text: string): ZipEntry => {
  const data = Buffer.from(text, 'utf8');
  return { name: '', method: 8, data: deflateRawSync(data), declaredSize: data.length };
};

/** The parts around the worksheet that make the archive look like a workbook. */
function workbookParts(): ZipEntry[] {
  return [
    { ...deflated('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'), name: '[Content_Types].xml' },
    { ...deflated('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'), name: '_rels/.rels' },
    { ...deflated('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Personer" sheetId="1" r:id="rId1"/></sheets></workbook>'), name: 'xl/workbook.xml' },
    { ...deflated('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'), name: 'xl/_rels/workbook.xml.rels' },
  ];
}

/**
 * A workbook whose worksheet inflates to `inflatedMiB` MiB of spaces from about 1 KB per MiB: flushed copies of one
 * compressed MiB, then a final empty block. `lie` declares 1 MiB instead, as a file made to slip past a size check would.
 */
export function zipBomb(options: { inflatedMiB: number; lie?: boolean }): Buffer {
  const oneMiB = deflateRawSync(Buffer.alloc(MIB, 0x20), { finishFlush: constants.Z_SYNC_FLUSH });
  const data = Buffer.concat([...Array.from({ length: options.inflatedMiB }, () => oneMiB), FINAL_EMPTY_BLOCK]);
  const sheet: ZipEntry = { name: 'xl/worksheets/sheet1.xml', method: 8, data, declaredSize: options.lie ? MIB : options.inflatedMiB * MIB };
  return zipOf([...workbookParts(), sheet]);
}

/** A workbook-shaped archive of `count` small parts. */
export function manyParts(count: number): Buffer {
  return zipOf([...workbookParts(), ...Array.from({ length: count }, (_, index) => ({ ...deflated('<x/>'), name: `xl/media/part${index}.xml` }))]);
}
