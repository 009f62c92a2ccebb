// PostGraphile v4 serving the same PostgreSQL tables as LTV Loop: the anchor `pnpm bench:api`
// compares the product with. Started by the bench as a child process:
//   DATABASE_URL=postgres://… PORT=0 node server.cjs   → prints "listening <port>"
// Its own node_modules (graphql 15) stay out of the pnpm workspace, which keeps one graphql 16.
const http = require("node:http");
const { postgraphile } = require("postgraphile");
const ConnectionFilterPlugin = require("postgraphile-plugin-connection-filter");
const { makeJSONPgSmartTagsPlugin } = require("graphile-utils");
const { Pool } = require("pg");

async function main() {
  // PostGraphile v4 exposes the partitions of customer_scores (one per snapshot, e.g.
  // allCustomerScores2S), not the partitioned table; the bench queries the latest snapshot's.
  // They keep no foreign key to customers (migration 0005): declare the relation so PostGraphile
  // joins scores and customers as the product does.
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  const { rows } = await pool.query("select relname from pg_class where relname ~ '^customer_scores_[0-9]+$' and relkind = 'r'");
  await pool.end();
  const tags = Object.fromEntries(rows.map((r) => [r.relname, { tags: { foreignKey: "(customer_id) references customers (id)" } }]));
  const RelationsPlugin = makeJSONPgSmartTagsPlugin({ version: 1, config: { class: tags } });
  serve(RelationsPlugin);
}

function serve(RelationsPlugin) {
const handler = postgraphile(process.env.DATABASE_URL, "public", {
  appendPlugins: [ConnectionFilterPlugin, RelationsPlugin],
  graphqlRoute: "/graphql",
  graphiql: false,
  disableQueryLog: true,
  enableQueryBatching: false,
  retryOnInitFail: false,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
});

const server = http.createServer(handler);
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
}

process.on("SIGTERM", () => process.exit(0));
void main();
