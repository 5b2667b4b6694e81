import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src-main/db/migrations';
import { insertCard } from '../sim/vpcd';
import { createMinimalApplet } from '../sim/minimal-applet';
import { READER_0 } from '../support/pcscd';
import { admit, startWebHostProcess, type RunningWebHost } from '../support/web-host-process';
import { webHostCommand } from '../support/cli';

describe('browser mode host', () => {
  let host: RunningWebHost;
  let kiosk: string;
  beforeAll(async () => {
    host = await startWebHostProcess();
    // the first window in is the kiosk window that started the host
    kiosk = (await admit(host))!;
  });
  afterAll(() => host.stop());

  const call = (name: string, body: unknown, cookie = kiosk) =>
    fetch(`${host.origin}/api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('listens on 127.0.0.1 only', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers with envelopes, and refuses bad JSON and a foreign Host header', async () => {
    expect(await (await call('app.info', {})).json()).toMatchObject({ ok: true, value: { host: 'web', migrations: Object.keys(migrations).length } });
    const badJson = await call('app.info', '{not json');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(await (await call('card.test', { reader: 42 })).json()).toMatchObject({ ok: false, code: 'invalid-input' });
    const rebinding = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Host: evil.example', `${host.origin}/`], { encoding: 'utf8' });
    expect(rebinding.stdout).toBe('403');
  });

  it('serves one operation per reader at a time and says when the reader is busy', async () => {
    const card = await insertCard(createMinimalApplet(), { reader: 0 });
    try {
      // the automatic test of the inserted card comes first; then two requests race for the reader
      await expect.poll(async () => ((await (await call('card.results', {})).json()) as { value: { reader: string; state: string }[] }).value.find((r) => r.reader === READER_0)?.state).toBe('done');
      const replies = await Promise.all([call('card.test', { reader: READER_0 }), call('card.test', { reader: READER_0 })].map(async (r) => (await r).json()));
      const codes = replies.map((reply) => (reply as { ok: boolean; code?: string }).ok ? 'ok' : (reply as { code: string }).code).sort();
      expect(codes).toEqual(['ok', 'reader-busy']);
      expect(replies.find((reply) => (reply as { ok: boolean }).ok)).toMatchObject({ value: { reader: READER_0, outcome: 'complete', profile: 'unknown' } });
    } finally {
      await card.remove();
    }
  });

  it('refuses a port already in use with a clear message and exit code 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const result = spawnSync(...webHostCommand(['--port', String(port), '--data', host.dataDir]), { encoding: 'utf8', timeout: 20_000 });
    blocker.close();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
  });
});
