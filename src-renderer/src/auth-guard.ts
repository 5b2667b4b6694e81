// Staff routes need a logged-in operator, as main says; with no staff at all, login leads to the first run instead; a password someone else chose is changed first.
import type { Router } from 'vue-router';
import { useAuthStore } from './stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    /** Only for logged-in staff; everyone else is sent to the lock screen. */
    staff?: boolean;
  }
}

export function installAuthGuard(router: Router): void {
  router.beforeEach(async (to) => {
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
