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
