// Staff accounts the way an organisation administrator makes them now: created with an e-mail, the invitation mailed to a real SMTP server, the link followed through the router.
import { generateSync } from 'otplib';
import type { Envelope, ProcedureInput, ProcedureName, ProcedureOutput } from '@shared/contract';
import { createMailSender, type MailSender } from '../../src-main/mail/outbox';
import type { Session } from '../../src-main/router';
import type { Station } from '../../src-main/station';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';
import { invitationTokenIn } from './invitation-mail';
import { startSmtp, type RunningSmtp } from './smtp';

export const PUBLIC_URL = 'https://kortstation.example.se';

export interface InviteKit {
  smtp: RunningSmtp;
  mail: MailSender;
  /** Sends what is queued and returns the token of the newest invitation to `email`. */
  invitationToken(email: string): Promise<string>;
  /** Follows the link: the page's key, a code from it, the owner's password; returns the account's one-time-code secret. */
  accept(token: string, password: string | undefined): Promise<string>;
  stop(): Promise<void>;
}

export async function startInviteKit(station: Station, dataDir: string, now: () => Date): Promise<InviteKit> {
  const smtp = await startSmtp();
  const mail = createMailSender({ db: station.database, transport: { host: '127.0.0.1', port: smtp.port, secure: false }, from: 'kortstation@example.se', dataKey: keyFileDataKeySource(dataDir), now });
  const call = async <N extends ProcedureName>(name: N, input: ProcedureInput<N>): Promise<ProcedureOutput<N>> => {
    const reply = (await station.router.call({ id: 'invitation-page', operator: null } satisfies Session, name, input)) as Envelope<ProcedureOutput<N>>;
    if (!reply.ok) throw Object.assign(new Error(`${name}: ${reply.code} ${reply.message}`), { code: reply.code });
    return reply.value;
  };
  return {
    smtp,
    mail,
    async invitationToken(email) {
      await mail.deliverQueuedNow();
      const mine = smtp.arrived.filter((arrived) => arrived.to.includes(email));
      if (mine.length === 0) throw new Error(`no mail to ${email}`);
      return invitationTokenIn(mine.at(-1)!.raw);
    },
    async accept(token, password) {
      const { otpauthUri } = await call('invitation.enrol', { token });
      const secret = new URL(otpauthUri).searchParams.get('secret')!;
      const otp = generateSync({ secret, epoch: Math.floor(now().getTime() / 1000) });
      await call('invitation.complete', { token, otp, ...(password === undefined ? {} : { password }) });
      return secret;
    },
    async stop() {
      mail.stop();
      await smtp.stop();
    },
  };
}
