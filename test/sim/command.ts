// Command APDU decoding for the virtual card applets (short and extended forms, ISO 7816-4 cases 1–4).

export interface Command {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** Expected response length; undefined when the command carries no Le. */
  le: number | undefined;
  extended: boolean;
}

/** null when the bytes are not a well-formed command; the applet then answers 6700. */
export function parseCommand(bytes: Uint8Array): Command | null {
  if (bytes.length < 4) return null;
  const [cla = 0, ins = 0, p1 = 0, p2 = 0] = bytes;
  const base = { cla, ins, p1, p2 };
  const body = bytes.subarray(4);
  if (body.length === 0) return { ...base, data: new Uint8Array(0), le: undefined, extended: false };
  const first = body[0] ?? 0;
  if (body.length === 1) return { ...base, data: new Uint8Array(0), le: first === 0 ? 256 : first, extended: false };
  if (first !== 0 || body.length < 3) {
    const lc = first;
    if (body.length === 1 + lc) return { ...base, data: body.slice(1), le: undefined, extended: false };
    if (body.length === 2 + lc && lc > 0) {
      const le = body[1 + lc] ?? 0;
      return { ...base, data: body.slice(1, 1 + lc), le: le === 0 ? 256 : le, extended: false };
    }
    return null;
  }
  const n = ((body[1] ?? 0) << 8) | (body[2] ?? 0);
  if (body.length === 3) return { ...base, data: new Uint8Array(0), le: n === 0 ? 65536 : n, extended: true };
  if (n === 0) return null;
  if (body.length === 3 + n) return { ...base, data: body.slice(3), le: undefined, extended: true };
  if (body.length === 5 + n) {
    const le = ((body[3 + n] ?? 0) << 8) | (body[4 + n] ?? 0);
    return { ...base, data: body.slice(3, 3 + n), le: le === 0 ? 65536 : le, extended: true };
  }
  return null;
}
