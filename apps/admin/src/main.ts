import { DefaultApolloClient } from "@vue/apollo-composable";
import { createApp } from "vue";
import { installA11yFixes } from "./a11y-fixes.ts";
import { apolloClient } from "./apollo.ts";
import App from "./App.vue";
import { i18n, loadInitialLocale } from "./i18n/index.ts";
import { router } from "./router.ts";

// The router starts the first navigation (session check, page chunk) while the language's
// messages download; the app mounts once they are in.
const app = createApp(App).provide(DefaultApolloClient, apolloClient).use(i18n).use(router);
void loadInitialLocale().then(() => {
  app.mount("#app");
  installA11yFixes();
});
