import { describe, expect, it } from 'vitest';
import { SmsConfigError, smsConfigFromEnv } from '../../src-main/mail/sms';

describe('the SMS gateway from the environment', () => {
  it('is off without KORTSTATION_SMS_URL: codes wait in the outbox', () => {
    expect(smsConfigFromEnv({})).toBeUndefined();
  });

  it('takes a bearer token before user and password', () => {
    expect(smsConfigFromEnv({ KORTSTATION_SMS_URL: 'https://sms.example.se/send', KORTSTATION_SMS_TOKEN: 't0k', KORTSTATION_SMS_USER: 'u' })).toEqual({
      url: 'https://sms.example.se/send',
      auth: { kind: 'bearer', token: 't0k' },
    });
    expect(smsConfigFromEnv({ KORTSTATION_SMS_URL: 'https://sms.example.se/send', KORTSTATION_SMS_USER: 'station', KORTSTATION_SMS_PASSWORD: 'p' })).toEqual({
      url: 'https://sms.example.se/send',
      auth: { kind: 'basic', user: 'station', password: 'p' },
    });
  });

  it('refuses plain http except to a gateway on the same machine, so no code crosses the network in clear', () => {
    expect(() => smsConfigFromEnv({ KORTSTATION_SMS_URL: 'http://sms.example.se/send' })).toThrow(SmsConfigError);
    expect(smsConfigFromEnv({ KORTSTATION_SMS_URL: 'http://127.0.0.1:8080/sms' })).toEqual({ url: 'http://127.0.0.1:8080/sms' });
    expect(() => smsConfigFromEnv({ KORTSTATION_SMS_URL: 'inte en adress' })).toThrow(/KORTSTATION_SMS_URL/);
  });
});
