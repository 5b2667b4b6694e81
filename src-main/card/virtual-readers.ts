// Virtual readers (vsmartcard's vpcd, simulators) take APDUs from anyone who reaches their TCP port: a station refuses them unless told.
const VIRTUAL_READER_NAME = /\bvirtual\b/i;

/** The option that lets virtual readers in, for tests and training. */
export const ALLOW_VIRTUAL_READERS_FLAG = '--allow-virtual-readers';

export function isVirtualReader(readerName: string): boolean {
  return VIRTUAL_READER_NAME.test(readerName);
}
