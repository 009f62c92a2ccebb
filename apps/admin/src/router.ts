import { createRouter, createWebHistory } from "vue-router";
import { setUnauthenticatedHandler } from "./apollo.ts";
import { forgetSession, loadSession, roleCan, type Capability } from "./features/session/composables/use-session.ts";
import { claimReload, isStaleChunkError } from "./features/shared/stale-build.ts";
import { loadNamespaces } from "./i18n/index.ts";
import { routeNamespaces } from "./i18n/namespaces.ts";

declare module "vue-router" {
  interface RouteMeta {
    isPublic?: boolean;
    capability?: Capability;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: "/login", name: "login", component: () => import("./pages/login.vue"), meta: { isPublic: true } },
    { path: "/", name: "dashboard", component: () => import("./pages/home.vue") },
    { path: "/customers", name: "customers", component: () => import("./pages/customers.vue") },
    { path: "/customers/:id", name: "customer", component: () => import("./pages/customer-detail.vue"), props: true },
    { path: "/segments", name: "segments", component: () => import("./pages/segments.vue") },
    { path: "/campaigns", name: "campaigns", component: () => import("./pages/campaigns.vue") },
    { path: "/campaigns/new", name: "campaign-new", component: () => import("./pages/campaign-new.vue"), meta: { capability: "campaign" } },
    { path: "/campaigns/compare", name: "campaign-compare", component: () => import("./pages/campaign-compare.vue") },
    { path: "/campaigns/:id", name: "campaign", component: () => import("./pages/campaign-detail.vue"), props: true },
    { path: "/clv", name: "clv", component: () => import("./pages/clv.vue") },
    { path: "/acquisition", name: "acquisition", component: () => import("./pages/acquisition.vue") },
    { path: "/loyalty", name: "loyalty", component: () => import("./pages/loyalty.vue") },
    { path: "/imports", name: "imports", component: () => import("./pages/imports.vue"), meta: { capability: "import" } },
    { path: "/explorer", name: "explorer", component: () => import("./pages/explorer.vue") },
    { path: "/settings", name: "settings", component: () => import("./pages/settings.vue"), meta: { capability: "settings" } },
    { path: "/account", name: "account", component: () => import("./pages/account.vue") },
    { path: "/search", name: "search", component: () => import("./pages/search.vue") },
    { path: "/glossary", name: "glossary", component: () => import("./pages/glossary.vue") },
    { path: "/not-allowed", name: "not-allowed", component: () => import("./pages/not-allowed.vue") },
    { path: "/:rest(.*)", name: "not-found", component: () => import("./pages/not-found.vue") },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.isPublic) return true;
  const me = await loadSession();
  if (!me) return { name: "login", query: { redirect: to.fullPath } };
  // Said plainly rather than a silent redirect: the page exists, this role may not open it.
  if (to.meta.capability && !roleCan(me.role, to.meta.capability)) return { name: "not-allowed", query: { page: to.path, need: to.meta.capability } };
  return true;
});

// A page's messages (i18n/namespaces.ts) download beside its chunk, from when the page may be
// entered, and the page is shown once they are in: no one sees a raw key or a flash of other text.
// A file that fails to load fails the navigation like a missing page chunk (router.onError below).
router.beforeEach((to) => {
  loadNamespaces(routeNamespaces(to.name)).catch(() => {});
  return true;
});
router.beforeResolve((to) => loadNamespaces(routeNamespaces(to.name)));

// After a rebuild, an open tab's next page chunk is gone from the server: load the page the user
// asked for afresh (once; see stale-build.ts) rather than leave it blank.
let pendingPath: string | null = null;
router.beforeEach((to) => {
  pendingPath = to.fullPath;
});
router.afterEach(() => {
  pendingPath = null;
});
router.onError((error, to) => {
  pendingPath = null;
  if (isStaleChunkError(error) && claimReload(sessionStorage, to.fullPath, Date.now())) window.location.assign(to.fullPath);
});
// Chunks fetched outside a navigation (a chart's code as it scrolls into view): reload the page
// on screen. During a navigation the failure reaches router.onError above, which knows the target.
window.addEventListener("vite:preloadError", (event) => {
  if (pendingPath !== null) return;
  const here = window.location.pathname + window.location.search + window.location.hash;
  if (claimReload(sessionStorage, here, Date.now())) {
    event.preventDefault();
    window.location.reload();
  }
});

setUnauthenticatedHandler(() => {
  forgetSession();
  const current = router.currentRoute.value;
  if (!current.meta.isPublic) void router.replace({ name: "login", query: { redirect: current.fullPath } });
});
