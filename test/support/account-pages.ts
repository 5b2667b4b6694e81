// The staff account pages as a person uses them, alike in browser mode (a web host's launch address) and server mode (https): the login form, an invitation link, Glömt lösenord.
import { expect, type Page } from '@playwright/test';
import { generateSync } from 'otplib';

const STEP_SECONDS = 30;

/** One account's one-time codes: each from a step after any used so far (the station refuses a step's code twice), waiting while that step is more than one ahead of the station's clock. */
export class AccountCodes {
  secret = '';
  private lastStep = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  async next(): Promise<string> {
    const stepNow = (): number => Math.floor(this.now().getTime() / 1000 / STEP_SECONDS);
    const step = Math.max(stepNow(), this.lastStep + 1);
    while (stepNow() < step - 1) await new Promise((resolve) => setTimeout(resolve, 500));
    this.lastStep = step;
    return generateSync({ secret: this.secret, epoch: step * STEP_SECONDS });
  }
}

export interface PasswordLogin {
  username: string;
  password: string;
  otp: string;
  /** What the staff indicator shows once logged in. */
  displayName: string;
}

/** Opens `address` (the login page, or a page behind it) and logs in with password and code. */
export async function logInOnPage(page: Page, address: string, login: PasswordLogin): Promise<void> {
  await page.goto(address);
  // the first page of a fresh host can be slow while the renderer is served cold
  await expect(page.getByTestId('lock-view')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('login-password').click();
  await page.getByTestId('username').fill(login.username);
  await page.getByTestId('password').fill(login.password);
  await page.getByTestId('otp').fill(login.otp);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('staff-indicator')).toContainText(login.displayName);
}

export interface NewStaffAccount {
  displayName: string;
  username: string;
  email: string;
  mobile?: string;
}

/** An administrator on the staff page creates an account, which sends its invitation. */
export async function inviteOnStaffPage(page: Page, account: NewStaffAccount): Promise<void> {
  await page.getByTestId('staff-new').click();
  await page.getByTestId('staff-display-name').fill(account.displayName);
  await page.getByTestId('staff-username').fill(account.username);
  await page.getByTestId('staff-email').fill(account.email);
  if (account.mobile) await page.getByTestId('staff-mobile').fill(account.mobile);
  await page.getByTestId('staff-create').click();
  await expect(page.getByTestId('staff-message')).toContainText('inbjudan är skickad');
}

/** On an open invitation page: the owner's password, the key it then shows, a code from that key. Leaves `codes` holding the key. */
export async function acceptInvitationOnPage(page: Page, password: string, codes: AccountCodes, onKeyShown?: () => Promise<unknown>): Promise<void> {
  await page.getByTestId('invitation-password').fill(password);
  await page.getByTestId('invitation-repeat').fill(password);
  await page.getByTestId('invitation-show-key').click();
  codes.secret = (await page.getByTestId('otp-secret').textContent())!.replace(/\s/g, '');
  await onKeyShown?.();
  await page.getByTestId('invitation-otp').fill(await codes.next());
  await page.getByTestId('invitation-complete').click();
  await expect(page.getByTestId('invitation-done')).toBeVisible();
}

/** Glömt lösenord from the login page: the username, then the page that asks for the SMS code (the same answer whether or not a code was sent). */
export async function requestResetCode(page: Page, loginAddress: string, username: string): Promise<void> {
  await page.goto(loginAddress);
  await expect(page.getByTestId('lock-view')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('login-password').click();
  await page.getByTestId('forgot-password').click();
  await page.getByTestId('forgot-username').fill(username);
  await page.getByTestId('forgot-send').click();
  await expect(page.getByTestId('forgot-sent')).toBeVisible();
  await expect(page.getByTestId('forgot-servicedesk')).toContainText('Ring Servicedesk');
}

/** On the code page: the SMS code and the seeds' second choice, a new password. */
export async function submitNewPassword(page: Page, code: string, password: string): Promise<void> {
  await page.getByTestId('forgot-code').fill(code);
  await page.getByTestId('forgot-choice-new').check();
  await page.getByTestId('forgot-new-password').fill(password);
  await page.getByTestId('forgot-repeat').fill(password);
  await page.getByTestId('forgot-submit').click();
}
