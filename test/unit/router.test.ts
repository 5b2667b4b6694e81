import { describe, expect, it } from 'vitest';
import { procedureNames } from '@shared/contract';
import { AppError } from '../../src-main/app-error';
import { createRouter, type Handlers, type RouterOptions, type Session } from '../../src-main/router';

const anonymous = (): Session => ({ id: 's', operator: null });

function routerWith(overrides: Partial<Handlers> = {}, internal: unknown[] = [], onFinished?: RouterOptions['onFinished']) {
  // every procedure answers null unless a test gives it a body: these tests are about the router, not the handlers
  const handlers = {
    ...Object.fromEntries(procedureNames.map((name) => [name, () => null])),
    'readers.list': () => ({ serviceUp: true, readers: [] }),
    'card.test': () => { throw new AppError('no-card', 'no card'); },
    ...overrides,
  } as Handlers;
  return createRouter(handlers, { onInternalError: (_name, error) => internal.push(error), onFinished });
}

describe('router', () => {
  it('answers a known procedure in an ok envelope', async () => {
    expect(await routerWith().call(anonymous(), 'readers.list', {})).toEqual({ ok: true, value: { serviceUp: true, readers: [] } });
  });

  it('refuses unknown procedures, including inherited object keys', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString']) {
      expect(await routerWith().call(anonymous(), name, {})).toMatchObject({ ok: false, code: 'unknown-procedure' });
    }
  });

  it('validates input against the schema before the handler runs', async () => {
    let ran = false;
    const router = routerWith({ 'readers.list': () => ((ran = true), { serviceUp: true, readers: [] }) });
    for (const bad of [undefined, null, 'x', { extra: 1 }]) {
      expect(await router.call(anonymous(), 'readers.list', bad)).toMatchObject({ ok: false, code: 'invalid-input' });
    }
    for (const bad of [{}, { reader: '' }, { reader: 5 }, { reader: 'r', extra: 1 }]) {
      expect(await router.call(anonymous(), 'card.test', bad)).toMatchObject({ ok: false, code: 'invalid-input' });
    }
    for (const bad of [{ contentBase64: 'not base64!' }, { contentBase64: 5 }]) {
      expect(await router.call(anonymous(), 'crl.import', bad)).toMatchObject({ ok: false, code: 'invalid-input' });
    }
    expect(ran).toBe(false);
  });

  it('passes coded errors through and hides everything else behind "internal"', async () => {
    const internal: unknown[] = [];
    const coded = routerWith({ 'readers.list': () => { throw new AppError('reader-busy', 'busy'); } });
    expect(await coded.call(anonymous(), 'readers.list', {})).toEqual({ ok: false, code: 'reader-busy', message: 'busy' });
    const buggy = routerWith({ 'readers.list': () => { throw new TypeError('secret detail at /home/x'); } }, internal);
    const reply = await buggy.call(anonymous(), 'readers.list', {});
    expect(reply).toEqual({ ok: false, code: 'internal', message: 'Internal error' });
    expect(JSON.stringify(reply)).not.toContain('secret detail');
    expect(internal).toHaveLength(1);
  });

  it('reports each call that passed its checks as ok, refused or failed, and none that did not', async () => {
    const finished: { procedure: string; outcome: string }[] = [];
    const router = routerWith(
      {
        'card.test': () => {
          throw new AppError('no-card', 'none');
        },
        'crl.list': () => {
          throw new Error('bug');
        },
      },
      [],
      ({ procedure, outcome }) => void finished.push({ procedure, outcome }),
    );
    await router.call(anonymous(), 'readers.list', {});
    await router.call(anonymous(), 'card.test', { reader: 'r' });
    await router.call(anonymous(), 'crl.list', {});
    await router.call(anonymous(), 'card.test', { reader: 5 });
    await router.call(anonymous(), 'audit.verify', {});
    expect(finished).toEqual([
      { procedure: 'readers.list', outcome: 'ok' },
      { procedure: 'card.test', outcome: 'refused' },
      { procedure: 'crl.list', outcome: 'failed' },
    ]);
  });
});
