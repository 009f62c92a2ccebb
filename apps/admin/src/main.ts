import { DefaultApolloClient } from "@vue/apollo-composable";
import { createApp } from "vue";
import { installA11yFixes } from "./a11y-fixes.ts";
import { apolloClient } from "./apollo.ts";
import App from "./App.vue";
import { i18n } from "./i18n/index.ts";
import { router } from "./router.ts";

createApp(App).provide(DefaultApolloClient, apolloClient).use(i18n).use(router).mount("#app");
installA11yFixes();
