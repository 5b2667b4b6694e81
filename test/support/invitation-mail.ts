// The invitation link's token out of a raw e-mail as the SMTP server received it (quoted-printable soft breaks undone).
export function invitationTokenIn(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  const token = /#\/invitation\/([A-Za-z0-9_-]{43})/.exec(unfolded)?.[1];
  if (!token) throw new Error('no invitation link in the mail');
  return token;
}
