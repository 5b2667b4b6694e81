/** Builds out/ with electron-vite (no type check) unless it is newer than every source file. */
export function ensureBuilt(): void;
