// A staff account made the only way there is: created with an e-mail, its invitation read off a real SMTP server, the link followed through the API with the owner's own password and code.
import { generateSync } from 'otplib';
import type { Api } from './staff-session';
import { invitationTokenIn } from './invitation-mail';
import type { RunningSmtp } from './smtp';
import type { RunningWebHost } from './web-host-process';

export interface InvitedAccount {
  username: string;
  displayName: string;
  role: 'operator' | 'station-admin' | 'org-admin' | 'unit-admin';
  unitIds?: number[];
  password: string;
}

/** The environment a web host needs to send invitations to `smtp`, with links to a public address no test opens. */
export const invitationEnv = (smtp: RunningSmtp): NodeJS.ProcessEnv => ({
  KORTSTATION_PUBLIC_URL: 'https://kortstation.example.se',
  KORTSTATION_SMTP_HOST: '127.0.0.1',
  KORTSTATION_SMTP_PORT: String(smtp.port),
  KORTSTATION_MAIL_FROM: 'kortstation@example.se',
});

async function mailTo(smtp: RunningSmtp, address: string): Promise<string> {
  for (let waited = 0; waited < 15_000; waited += 100) {
    const mail = smtp.arrived.filter((arrived) => arrived.to.includes(address)).at(-1);
    if (mail) return mail.raw;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no invitation reached ${address}`);
}

/** Creates and activates the account; returns its id and one-time-code secret (log in with staffCode). */
export async function inviteAndActivate(api: Api, host: RunningWebHost, smtp: RunningSmtp, account: InvitedAccount): Promise<{ id: number; secret: string }> {
  const email = `${account.username}@example.se`;
  const { password, ...fields } = account;
  const created = await api<{ account: { id: number } }>('staff.create', { ...fields, email });
  const token = invitationTokenIn(await mailTo(smtp, email));
  const { otpauthUri } = await api<{ otpauthUri: string }>('invitation.enrol', { token });
  const secret = new URL(otpauthUri).searchParams.get('secret')!;
  // the previous step's code, still inside the station's ±1 window: the step it spends is one no later login needs
  const previousStep = Math.floor(host.now().getTime() / 30_000) - 1;
  await api('invitation.complete', { token, password, otp: generateSync({ secret, epoch: previousStep * 30 }) });
  return { id: created.account.id, secret };
}
