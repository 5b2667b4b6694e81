// Loads untrusted PSKC XML with fast-xml-parser: no DTDs, whole-document validation first, line numbers for errors.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TokenFileError } from './token-file-error';

/** An element as fast-xml-parser gives it: attributes as "@_Name", children by local name, text as "#text". */
export type XmlElement = { readonly [name: string]: unknown };

const metadataKey = XMLParser.getMetaDataSymbol() as unknown as symbol;

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY_REFERENCE = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g;

/** Exactly XML's own references, in one pass: the five predefined names and numeric ones like &#60;. */
function decodeXmlReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY_REFERENCE, (reference, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return PREDEFINED_ENTITIES[name] ?? reference;
    const codePoint = decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? '', 16);
    const isCharacter = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
    return isCharacter ? String.fromCodePoint(codePoint) : reference;
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Values stay text: serials like "0755225266" and 20-digit counters must not become numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  entityDecoder: {
    decode: decodeXmlReferences,
    // Entities declared in a DTD never reach here: any DOCTYPE is refused before parsing.
    setExternalEntities: () => undefined,
    addInputEntities: () => undefined,
    reset: () => undefined,
    setXmlVersion: () => undefined,
  },
  captureMetaData: true,
  // Path strings cost a fifth of the parse time on 10,000 keys; KeyPackage occurs only under the root anyway.
  jPath: false,
  isArray: (name) => name === 'KeyPackage',
});

const DTD_MARKUP = /<!(?:DOCTYPE|ENTITY)/i;
const ROOT_END = /(?:<\/(?:[\w.-]+:)?KeyContainer\s*>|<(?:[\w.-]+:)?KeyContainer\b[^<>]*\/>)\s*$/;
const ROOT_START = /<(?:[\w.-]+:)?KeyContainer[\s>/]/;

/** The parsed document plus a way to turn an element back into the line it started on. */
export interface PskcDocument {
  readonly container: XmlElement;
  readonly keyPackages: readonly XmlElement[];
  lineOf(element: XmlElement): number | undefined;
}

function makeLineFinder(text: string): (index: number) => number {
  let lineStarts: number[] | undefined;
  return (index) => {
    if (!lineStarts) {
      lineStarts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    }
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= index) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

function refuseBrokenXml(text: string, line: number | undefined): never {
  // A file cut off part-way still opens its KeyContainer but never closes it.
  if (ROOT_START.test(text) && !ROOT_END.test(text)) throw new TokenFileError('truncated', { line });
  throw new TokenFileError('malformed-xml', { line });
}

export function loadPskcDocument(text: string): PskcDocument {
  // Refused before any parsing: entity expansion (billion laughs) and external entities never get a chance.
  if (DTD_MARKUP.test(text)) throw new TokenFileError('doctype-forbidden');
  let parsed: unknown;
  try {
    const validation = XMLValidator.validate(text);
    if (validation !== true) refuseBrokenXml(text, validation.err.line);
    parsed = parser.parse(text);
  } catch (error) {
    // The parser's own limits (nesting depth, entity sizes) and any internal failure are the file's fault.
    if (error instanceof TokenFileError) throw error;
    refuseBrokenXml(text, undefined);
  }
  const root = parsed as Record<string, unknown>;
  const rootNames = Object.keys(root).filter((name) => !name.startsWith('?'));
  if (rootNames.length !== 1 || root['KeyContainer'] === undefined) throw new TokenFileError('not-pskc');
  const container = childElement(root, 'KeyContainer') ?? {};
  const packages = container['KeyPackage'] ?? [];
  const keyPackages = (packages as unknown[]).map((entry) => (isElement(entry) ? entry : {}));
  const lineAt = makeLineFinder(text);
  return {
    container,
    keyPackages,
    lineOf(element) {
      const metadata = (element as Record<symbol, { startIndex?: number } | undefined>)[metadataKey];
      return metadata?.startIndex === undefined ? undefined : lineAt(metadata.startIndex);
    },
  };
}

function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The one child element called `name`; a repeated element where PSKC allows one is a malformed file. */
function childOf(element: XmlElement | undefined, name: string): XmlElement | string | undefined {
  const value = element?.[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new TokenFileError('malformed-xml');
  if (typeof value === 'string' || isElement(value)) return value;
  return undefined;
}

export function childElement(element: XmlElement | undefined, name: string): XmlElement | undefined {
  const child = childOf(element, name);
  if (child === undefined) return undefined;
  // An empty element like <PRF/> comes back as "", which is an element without content.
  return typeof child === 'string' ? (child === '' ? {} : { '#text': child }) : child;
}

function textOf(value: XmlElement | string | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  const text = value['#text'];
  return typeof text === 'string' ? text : text === undefined ? '' : undefined;
}

export function childText(element: XmlElement | undefined, name: string): string | undefined {
  return textOf(childOf(element, name));
}

export function attributeOf(element: XmlElement | undefined, name: string): string | undefined {
  const value = element?.[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}
