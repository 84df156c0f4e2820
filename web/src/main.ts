import { createApp } from 'vue';
import App from './App.vue';
import { pinia } from './store';
import { router } from './router';
import { i18n } from './locales';
import { installDirectives } from './directive';
import { configureRequest } from './utils/request';
import { useUserStore } from './store/modules/user';
import './assets/base.css';

const app = createApp(App);
app.use(pinia);
app.use(i18n);
app.use(router);
installDirectives(app);

const user = useUserStore();
configureRequest({
  csrf: () => user.csrf,
  onUnauthorized: () => {
    // The session ended (idle timeout, signed out elsewhere): forget it; pages that need a session
    // go to sign-in, public pages stay where they are.
    user.clear();
    const route = router.currentRoute.value;
    if (route.matched.some((r) => r.meta.staff || r.meta.auth)) {
      void router.push({ name: route.matched.some((r) => r.meta.staff) ? 'staffLogin' : 'login', query: { redirect: route.fullPath } });
    }
  },
});

app.mount('#app');
