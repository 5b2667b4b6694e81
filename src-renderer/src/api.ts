// The typed client of the contract: window.kortstation in Electron, fetch + server-sent events in browser mode.
import {
  procedureNames,
  type ErrorCode,
  type KortstationBridge,
  type ProcedureInput,
  type ProcedureName,
  type ProcedureOutput,
  type StationEvent,
} from '@shared/contract';

/** Events the client adds: whether the host itself can be reached (browser mode only). */
export type ClientEvent = StationEvent | { type: 'host-connection'; up: boolean };

export class ApiError extends Error {
  constructor(readonly code: ErrorCode | 'network', message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

declare global {
  interface Window {
    kortstation?: KortstationBridge;
  }
}

const LAUNCH_PARAMETER = 'launch';
/** Server mode: the page sends its session's CSRF token, got from SESSION_PATH, with every call. */
const SESSION_PATH = '/api/session';
const CSRF_HEADER = 'x-kortstation-csrf';

/** Server mode's CSRF token (the GET also gives a new browser its session cookie); null from browser mode, which has none. */
async function csrfToken(): Promise<string | null> {
  const response = await fetch(SESSION_PATH, { credentials: 'same-origin' }).catch(() => null);
  if (!response?.ok) return null;
  return ((await response.json()) as { csrfToken?: string }).csrfToken ?? null;
}

/** Trades a one-time launch token in the address for the host's session cookie, and takes it out of the address bar. */
async function admit(): Promise<void> {
  const url = new URL(window.location.href);
  const token = url.searchParams.get(LAUNCH_PARAMETER);
  if (!token) return;
  url.searchParams.delete(LAUNCH_PARAMETER);
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  // a used token is refused; a window that already had its cookie simply keeps it
  await fetch('/api/launch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) }).catch(() => undefined);
}

function createWebBridge(): { bridge: KortstationBridge; onHostConnection(listener: (up: boolean) => void): () => void } {
  const admitted = admit();
  let csrf = admitted.then(csrfToken);
  const post = async (name: ProcedureName, input: unknown): Promise<Response> => {
    const token = await csrf;
    return fetch(`/api/call/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { [CSRF_HEADER]: token } : {}) },
      body: JSON.stringify(input),
    });
  };
  const call = async (name: ProcedureName, input: unknown): Promise<never> => {
    await admitted;
    let response = await post(name, input);
    // server mode: a session dropped after idle gets a new one, and the call is made once more
    if (response.status === 401 && (await csrf) !== null) {
      csrf = csrfToken();
      response = await post(name, input);
    }
    // server mode answers a rate limit with an envelope the views can word
    if (response.status === 429) return (await response.json()) as never;
    if (!response.ok) throw new ApiError('network', `${name}: HTTP ${response.status}`);
    return (await response.json()) as never;
  };
  const listeners = new Set<(event: StationEvent) => void>();
  const hostListeners = new Set<(up: boolean) => void>();
  const listenToHost = (source: EventSource): void => {
    source.onmessage = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as StationEvent;
      for (const listener of listeners) listener(event);
    };
    source.onopen = () => hostListeners.forEach((listener) => listener(true));
    source.onerror = () => hostListeners.forEach((listener) => listener(false));
  };
  // the event stream needs the session cookie, which the launch token may only now have won
  void csrf.then(() => listenToHost(new EventSource('/api/events')));
  const methods = Object.fromEntries(procedureNames.map((name) => [name, (input: unknown) => call(name, input)])) as unknown as Omit<KortstationBridge, 'onEvent'>;
  const bridge = {
    ...methods,
    onEvent(listener: (event: StationEvent) => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  } satisfies KortstationBridge;
  return {
    bridge,
    onHostConnection(listener) {
      hostListeners.add(listener);
      return () => {
        hostListeners.delete(listener);
      };
    },
  };
}

const web = window.kortstation ? null : createWebBridge();
const bridge: KortstationBridge = window.kortstation ?? web!.bridge;

/** Calls a procedure; failures arrive as ApiError with the contract's code. */
export async function call<N extends ProcedureName>(name: N, input: ProcedureInput<N>): Promise<ProcedureOutput<N>> {
  let envelope;
  try {
    envelope = await (bridge[name] as (input: ProcedureInput<N>) => ReturnType<KortstationBridge[N]>)(input);
  } catch (error) {
    throw error instanceof ApiError ? error : new ApiError('network', String(error));
  }
  if (!envelope.ok) throw new ApiError(envelope.code, envelope.message);
  return envelope.value as ProcedureOutput<N>;
}

export function onEvent(listener: (event: ClientEvent) => void): () => void {
  const stopHost = web?.onHostConnection((up) => listener({ type: 'host-connection', up }));
  const stopStation = bridge.onEvent(listener);
  return () => {
    stopHost?.();
    stopStation();
  };
}
