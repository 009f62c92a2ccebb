// Every page of the admin, with what shows it is ready; ids are looked up on the demo data.
import type { Page } from "playwright-core";
import { BASE } from "./harness.ts";

export interface PageSpec {
  name: string;
  path: string;
  ready: string;
  /** Pages whose figures take the embedded database seconds on a busy machine wait longer. */
  timeout?: number;
}

export async function allPages(page: Page): Promise<PageSpec[]> {
  const campaignId = await page.evaluate(async (base) => {
    const res = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ campaigns(first: 50) { nodes { id status } } }" }),
    });
    const body = (await res.json()) as { data: { campaigns: { nodes: { id: string; status: string }[] } } };
    const nodes = body.data.campaigns.nodes;
    return (nodes.find((n) => n.status === "ACTED") ?? nodes[0])?.id ?? "1";
  }, BASE);
  // E2E_PAGES=acquisition,imports limits the page suites to the pages named (a quicker re-run).
  const only = process.env["E2E_PAGES"]?.split(",").map((n) => n.trim()).filter(Boolean);
  const pages: PageSpec[] = [
    { name: "dashboard", path: "/", ready: "kpi-cards" },
    { name: "customers", path: "/customers", ready: "customer-row" },
    { name: "customer-detail", path: "/customers/1", ready: "customer-detail" },
    { name: "segments", path: "/segments", ready: "rf-matrix" },
    { name: "campaigns", path: "/campaigns", ready: "campaign-board" },
    { name: "campaign-detail", path: `/campaigns/${campaignId}`, ready: "campaign-detail" },
    { name: "campaign-new", path: "/campaigns/new", ready: "plan-step-power" },
    { name: "clv", path: "/clv", ready: "clv-model" },
    { name: "loyalty", path: "/loyalty", ready: "loyalty-segment-table" },
    { name: "acquisition", path: "/acquisition", ready: "acquisition", timeout: 60_000 },
    { name: "imports", path: "/imports", ready: "import-history" },
    { name: "glossary", path: "/glossary", ready: "glossary" },
    { name: "search", path: "/search?q=%E7%94%B0", ready: "search-results" },
    { name: "account", path: "/account", ready: "password-change" },
    { name: "settings", path: "/settings", ready: "settings" },
    { name: "explorer", path: "/explorer", ready: "graphql-explorer" },
  ];
  return only?.length ? pages.filter((p) => only.includes(p.name)) : pages;
}

export async function show(page: Page, spec: PageSpec): Promise<void> {
  await page.goto(`${BASE}${spec.path}`);
  await page.getByTestId(spec.ready).first().waitFor({ timeout: spec.timeout ?? 20_000 });
  await page.waitForLoadState("networkidle", spec.timeout ? { timeout: spec.timeout } : {});
  await page.waitForTimeout(500);
}
