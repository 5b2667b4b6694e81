// A raw e-mail as the SMTP server received it, quoted-printable soft breaks and escapes undone, and the invitation link's token in it.
export function decodedMailText(raw: string): string {
  return Buffer.from(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1').toString('utf8');
}

export function invitationTokenIn(raw: string): string {
  const token = /#\/invitation\/([A-Za-z0-9_-]{43})/.exec(decodedMailText(raw))?.[1];
  if (!token) throw new Error('no invitation link in the mail');
  return token;
}
