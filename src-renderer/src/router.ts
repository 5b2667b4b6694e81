// The kiosk's screens; hash history so the same build works from file:// in Electron and from the web host.
import { createRouter, createWebHashHistory } from 'vue-router';
import { installAuthGuard } from './auth-guard';
import CrlView from './views/CrlView.vue';
import FirstRunView from './views/FirstRunView.vue';
import LockView from './views/LockView.vue';
import PeopleImportView from './views/PeopleImportView.vue';
import PeopleView from './views/PeopleView.vue';
import PersonView from './views/PersonView.vue';
import PinView from './views/PinView.vue';
import StartView from './views/StartView.vue';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'start', component: StartView },
    { path: '/crl', name: 'crl', component: CrlView },
    { path: '/people', name: 'people', component: PeopleView },
    { path: '/people/import', name: 'people-import', component: PeopleImportView },
    { path: '/people/:id(\\d+)', name: 'person', component: PersonView },
    { path: '/pin/:reader', name: 'pin', component: PinView },
    { path: '/login', name: 'login', component: LockView },
    { path: '/first-run', name: 'first-run', component: FirstRunView },
  ],
});
installAuthGuard(router);
