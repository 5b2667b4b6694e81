// Staff routes need a logged-in operator, as main says; with no staff at all, login leads to the first run instead; a password someone else chose is changed first.
import type { Router } from 'vue-router';
import { useAuthStore } from './stores/auth';
import { useHostStore } from './stores/host';

declare module 'vue-router' {
  interface RouteMeta {
    /** Only for logged-in staff; everyone else is sent to the lock screen. */
    staff?: boolean;
    /** Screens of the kiosk's card readers (start screen, counter home, PIN, handover, PUK route): server mode opens the administration page instead. */
    kioskOnly?: boolean;
  }
}

export function installAuthGuard(router: Router): void {
  router.beforeEach(async (to) => {
    if (to.meta.kioskOnly && (await useHostStore().load().catch(() => null)) === 'server') return { name: 'administration' };
    if (!to.meta.staff && to.name !== 'login' && to.name !== 'first-run') return true;
    const auth = useAuthStore();
    const status = await auth.refresh().catch(() => auth.status);
    if (to.name === 'first-run') return status?.firstRun ? true : { name: 'login' };
    if (status?.firstRun) return { name: 'first-run' };
    if (to.meta.staff && !status?.operator) return { name: 'login', query: { next: to.fullPath } };
    // main refuses everything else meanwhile; the screen goes where the way out is
    if (to.meta.staff && status?.operator?.mustChangePassword && to.name !== 'change-password') return { name: 'change-password' };
    return true;
  });
}
