// Lets codegen's documents tree-shake. Every `graphql(`…`)` call in a `*.graphql.ts` file is
// replaced at build time by the document codegen generated for it (`<Name>Document` or
// `<Name>FragmentDoc` in src/gql/graphql.ts), inlined as a literal, so each page's chunk
// carries only its own documents. Without this, `graphql()` looks documents up in a map of all
// of them and src/gql/graphql.ts lands whole in the first download (a module is never split
// between chunks). Types are unaffected: they still come from the generated files.
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Plugin } from "vite";

const CALL = /\bgraphql\(\s*`([^`]*)`\s*\)/g;
const DEFINITION = /^\s*(?:#[^\n]*\n\s*)*(query|mutation|subscription|fragment)\s+([A-Za-z_][A-Za-z0-9_]*)/;
const GENERATED = /^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*$/gm;
const LOOKUP_IMPORT = /^import\s*\{\s*graphql\s*\}\s*from\s*["'][^"']*gql(?:\/index(?:\.ts)?)?["'];?[ \t]*$/m;

export function gqlDocumentsPlugin(): Plugin {
  const generated = resolve(import.meta.dirname, "..", "src", "gql", "graphql.ts");
  let cache: { mtimeMs: number; documents: Map<string, string> } | undefined;
  const documents = () => {
    const { mtimeMs } = statSync(generated);
    if (cache?.mtimeMs !== mtimeMs) {
      const text = readFileSync(generated, "utf8");
      cache = { mtimeMs, documents: new Map([...text.matchAll(GENERATED)].map((m) => [m[1] as string, m[2] as string])) };
    }
    return cache.documents;
  };
  return {
    name: "ltvloop:gql-documents",
    enforce: "pre",
    transform(code, id) {
      if (!id.endsWith(".graphql.ts") || !code.includes("graphql(")) return null;
      const known = documents();
      const replaced = code.replace(CALL, (call, source: string) => {
        const match = DEFINITION.exec(source);
        if (!match) return call;
        const literal = known.get(`${match[2]}${match[1] === "fragment" ? "FragmentDoc" : "Document"}`);
        if (!literal) this.error(`${id}: no generated document for ${match[2]}; run \`pnpm --filter @ltvloop/admin codegen\`.`);
        return `(${literal})`;
      });
      if (replaced === code) return null;
      // With every call replaced, the lookup function (and its map of all documents) goes too.
      return { code: /\bgraphql\(/.test(replaced) ? replaced : replaced.replace(LOOKUP_IMPORT, ""), map: null };
    },
  };
}
