// The renderer's only door to main: one object, one method per contract procedure, plus main's events.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { procedureNames, type KortstationBridge, type StationEvent } from '@shared/contract';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels';

const procedures = Object.fromEntries(
  procedureNames.map((name) => [name, (input: unknown) => ipcRenderer.invoke(CALL_CHANNEL, name, input)]),
) as Omit<KortstationBridge, 'onEvent'>;

const bridge = {
  ...procedures,
  onEvent(listener: (event: StationEvent) => void) {
    const forward = (_event: IpcRendererEvent, stationEvent: StationEvent): void => listener(stationEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.off(EVENT_CHANNEL, forward);
    };
  },
} satisfies KortstationBridge;

contextBridge.exposeInMainWorld('kortstation', bridge);
