// Keeps a virtual card's PINs and counters in a file, so a change survives removal and a later insert.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { CardApplet } from './applet';
import type { CardMutableState, CardModel } from './card-model';

export function readCardState(file: string): CardMutableState | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CardMutableState) : undefined;
}

/** Wraps an applet so every command that changed the card's state is written to `file` before the answer goes out. */
export function persistCardState(applet: CardApplet, model: CardModel, file: string): CardApplet {
  let saved = JSON.stringify(model.toJSON());
  return {
    atr: applet.atr,
    reset: () => applet.reset(),
    process(command) {
      const response = applet.process(command);
      const now = JSON.stringify(model.toJSON());
      if (now !== saved) {
        // written aside and renamed: a reader never sees half a file
        writeFileSync(`${file}.tmp`, now);
        renameSync(`${file}.tmp`, file);
        saved = now;
      }
      return response;
    },
  };
}
