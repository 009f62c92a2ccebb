// The explorer's lazily loaded chunk: React, GraphiQL (Monaco editors, doc explorer, history)
// and its styles. Only `components/GraphqlExplorer.vue` imports this file, through import(),
// so none of it is in the initial bundle. No JSX: the admin is a Vue app.
import "graphiql/setup-workers/vite";
import "@graphiql/react/style.css";
import "@graphiql/plugin-doc-explorer/style.css";
import "@graphiql/plugin-history/style.css";
import "graphiql/graphiql.css";
import "./graphiql-theme.css";
import { useGraphiQL, useGraphiQLActions, type GraphiQLPlugin } from "@graphiql/react";
import { GraphiQL, HISTORY_PLUGIN } from "graphiql";
import type { ExecutionResult } from "graphql";
import { createElement as h, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { ExampleTab } from "./explorer-examples.ts";
import type { ExplorerRequest, ExplorerResult } from "./explorer-fetcher.ts";

export interface ExplorerExampleItem {
  id: string;
  title: string;
  description: string;
  tab: ExampleTab;
}

export interface MountOptions {
  fetcher: (request: ExplorerRequest, opts?: { headers?: Record<string, unknown> }) => Promise<ExplorerResult>;
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void; clear(): void; length: number };
  examples: ExplorerExampleItem[];
  /** Tabs for a user who has none saved yet. */
  starterTabs: ExampleTab[];
  labels: { examples: string; examplesHint: string; logo: string };
}

function ExamplesIcon() {
  return h(
    "svg",
    { viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 1.5, "aria-hidden": true },
    h("path", { d: "M4 5h16M4 12h16M4 19h10", strokeLinecap: "round" }),
  );
}

/** A sidebar panel that opens an example query in a new tab (GraphiQL plugin API). */
function examplesPlugin(examples: ExplorerExampleItem[], labels: MountOptions["labels"]): GraphiQLPlugin {
  function ExamplesPanel() {
    const queryEditor = useGraphiQL((s) => s.queryEditor);
    const variableEditor = useGraphiQL((s) => s.variableEditor);
    const { addTab } = useGraphiQLActions();
    const open = (tab: ExampleTab) => {
      addTab();
      queryEditor?.setValue(tab.query);
      variableEditor?.setValue(tab.variables ?? "");
    };
    return h(
      "section",
      { className: "ltv-examples", "data-testid": "explorer-examples" },
      h("div", { className: "graphiql-doc-explorer-title" }, labels.examples),
      h("p", { className: "ltv-examples-hint" }, labels.examplesHint),
      h(
        "ul",
        null,
        examples.map((ex) =>
          h(
            "li",
            { key: ex.id },
            h(
              "button",
              { type: "button", className: "ltv-example", "data-testid": `explorer-example-${ex.id}`, onClick: () => open(ex.tab) },
              h("strong", null, ex.title),
              h("span", null, ex.description),
            ),
          ),
        ),
      ),
    );
  }
  return { title: labels.examples, icon: ExamplesIcon, content: ExamplesPanel };
}

/** Renders GraphiQL into `element`; returns the function that unmounts it. */
export function mountExplorer(element: HTMLElement, options: MountOptions): () => void {
  const root = createRoot(element);
  root.render(
    h(
      StrictMode,
      null,
      h(
        GraphiQL,
        {
          // The server's JSON errors are plain objects, not GraphQLError instances; GraphiQL only reads them.
          fetcher: (params, opts) => options.fetcher(params, opts) as unknown as Promise<ExecutionResult>,
          storage: options.storage,
          defaultTabs: options.starterTabs,
          plugins: [examplesPlugin(options.examples, options.labels), HISTORY_PLUGIN],
          forcedTheme: "light",
          shouldPersistHeaders: false,
          defaultEditorToolsVisibility: false,
        },
        h(GraphiQL.Logo, null, options.labels.logo),
      ),
    ),
  );
  return () => root.unmount();
}
