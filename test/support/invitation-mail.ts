// A raw e-mail as the SMTP server received it, quoted-printable soft breaks and escapes undone, and the invitation link (and its token) in it.
export function decodedMailText(raw: string): string {
  return Buffer.from(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1').toString('utf8');
}

/** The whole invitation link, address and token, as the person clicks it. */
export function invitationLinkIn(raw: string): string {
  const link = /\bhttps?:\/\/[^\s"<>]+#\/invitation\/[A-Za-z0-9_-]{43}/.exec(decodedMailText(raw))?.[0];
  if (!link) throw new Error('no invitation link in the mail');
  return link;
}

export const invitationTokenIn = (raw: string): string => invitationLinkIn(raw).slice(-43);
