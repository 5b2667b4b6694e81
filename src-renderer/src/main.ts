// Renderer entry: Vue, Pinia, the router and i18n.
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import './styles.css';
import './counter-touch.css';

// a kiosk: no browser context menu over the station's screens
window.addEventListener('contextmenu', (event) => event.preventDefault());

createApp(App).use(createPinia()).use(router).use(i18n).mount('#app');

// vue-router follows the address only once the first screen is decided, which may wait for main (which host, who is
// logged in), and then writes that first screen's address back: an address changed meanwhile (a link, a typed
// #/people) is remembered here and followed, not lost
let addressMeanwhile: string | null = null;
const remember = (): void => void (addressMeanwhile = window.location.hash.slice(1) || '/');
window.addEventListener('hashchange', remember);
void router.isReady().then(() => {
  window.removeEventListener('hashchange', remember);
  if (addressMeanwhile !== null && addressMeanwhile !== router.currentRoute.value.fullPath) void router.replace(addressMeanwhile);
});
