import { describe, expect, it } from 'vitest';
import { DEFAULT_MAIL_TEMPLATES, MAIL_TEMPLATE_NAMES, MAIL_TEMPLATE_VARIABLES, renderTemplate, templateProblems } from '@shared/domain/mail-templates';
import { MailConfigError, mailConfigFromEnv } from '../../src-main/mail/config';
import { retryDelayMs } from '../../src-main/mail/outbox';

describe('mail templates', () => {
  it('ships defaults that pass their own check', () => {
    for (const name of MAIL_TEMPLATE_NAMES) {
      const { subject, body } = DEFAULT_MAIL_TEMPLATES[name];
      expect([...templateProblems(subject, MAIL_TEMPLATE_VARIABLES[name]), ...templateProblems(body, MAIL_TEMPLATE_VARIABLES[name])], name).toEqual([]);
    }
  });

  it('refuses unknown variables and braces that do not pair up', () => {
    const allowed = ['namn', 'station'];
    expect(templateProblems('Hej {{ namn }} på {{station}}', allowed)).toEqual([]);
    expect(templateProblems('Hej {{namnn}}', allowed)).toEqual([{ kind: 'unknown-variable', name: 'namnn' }]);
    expect(templateProblems('Hej {{namn}', allowed)).toEqual([{ kind: 'unbalanced', at: 4 }]);
    expect(templateProblems('Hej {namn}}', allowed)).toMatchObject([{ kind: 'unbalanced' }]);
    expect(templateProblems('Hej }}namn{{', allowed)).toMatchObject([{ kind: 'unbalanced' }]);
    expect(templateProblems('{{}}', allowed)).toEqual([{ kind: 'unknown-variable', name: '' }]);
    expect(templateProblems('{{{namn}}}', allowed)).toMatchObject([{ kind: 'unbalanced' }]);
  });

  it('fills placeholders, spaces inside the braces allowed', () => {
    expect(renderTemplate('Hej {{ namn }}, välkommen till {{station}}.', { namn: 'Anna Berg', station: 'Akademiska' })).toBe('Hej Anna Berg, välkommen till Akademiska.');
  });
});

describe('retries', () => {
  it('doubles the wait after each failure up to a cap', () => {
    expect([1, 2, 3, 4, 10].map((attempts) => retryDelayMs(attempts, 1000, 5000))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});

describe('the SMTP relay from the environment', () => {
  it('is off without a host and sender, and reads port, TLS mode and login', () => {
    expect(mailConfigFromEnv({})).toBeUndefined();
    expect(mailConfigFromEnv({ KORTSTATION_SMTP_HOST: 'smtp.region.se', KORTSTATION_MAIL_FROM: 'kort@region.se' })).toEqual({
      from: 'kort@region.se',
      transport: { host: 'smtp.region.se', port: 587, secure: false, requireStartTls: false, auth: undefined },
    });
    expect(
      mailConfigFromEnv({ KORTSTATION_SMTP_HOST: 'smtp.region.se', KORTSTATION_MAIL_FROM: 'kort@region.se', KORTSTATION_SMTP_SECURE: 'true', KORTSTATION_SMTP_USER: 'kiosk', KORTSTATION_SMTP_PASSWORD: 'x' })?.transport,
    ).toEqual({ host: 'smtp.region.se', port: 465, secure: true, requireStartTls: false, auth: { user: 'kiosk', pass: 'x' } });
    expect(() => mailConfigFromEnv({ KORTSTATION_SMTP_HOST: 'h', KORTSTATION_MAIL_FROM: 'f', KORTSTATION_SMTP_PORT: '70000' })).toThrow(RangeError);
  });

  it('refuses a login over a connection that is not required to be encrypted', () => {
    const withLogin = { KORTSTATION_SMTP_HOST: 'smtp.region.se', KORTSTATION_MAIL_FROM: 'kort@region.se', KORTSTATION_SMTP_USER: 'kiosk', KORTSTATION_SMTP_PASSWORD: 'x' };
    expect(() => mailConfigFromEnv(withLogin)).toThrow(MailConfigError);
    expect(() => mailConfigFromEnv({ ...withLogin, KORTSTATION_SMTP_STARTTLS: 'opportunistic' })).toThrow(/KORTSTATION_SMTP_STARTTLS=required/);
    expect(mailConfigFromEnv({ ...withLogin, KORTSTATION_SMTP_STARTTLS: 'required' })?.transport).toMatchObject({ port: 587, secure: false, requireStartTls: true, auth: { user: 'kiosk' } });
  });
});
