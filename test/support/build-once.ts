// Global set-up of vitest and Playwright: tests run the built CLI and browser mode, so build first when the sources changed.
import { ensureBuilt } from '../../scripts/built.mjs';

export default ensureBuilt;
export const setup = ensureBuilt;
