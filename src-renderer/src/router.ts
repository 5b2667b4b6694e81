// The kiosk's screens; hash history so the same build works from file:// in Electron and from the web host.
import { createRouter, createWebHashHistory } from 'vue-router';
import CrlView from './views/CrlView.vue';
import PinView from './views/PinView.vue';
import StartView from './views/StartView.vue';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'start', component: StartView },
    { path: '/crl', name: 'crl', component: CrlView },
    { path: '/pin/:reader', name: 'pin', component: PinView },
  ],
});
