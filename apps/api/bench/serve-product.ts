// The product's server for `pnpm bench:api`, in a process of its own (as the PostGraphile
// anchor is), on DATABASE_URL: prints "listening <port>".
import { createDb } from "@ltvloop/db/client";
import { readEnv } from "../src/env.ts";
import { createApp } from "../src/server.ts";

const env = readEnv();
const handle = await createDb({ databaseUrl: env.databaseUrl, maxConnections: 10 });
const { listen } = await createApp({ handle, env: { ...env, isProduction: true } });
const server = listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => process.exit(0));
