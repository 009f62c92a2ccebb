import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import type { DbHandle, Query } from "@ltvloop/db/client";
import express, { type Express } from "express";
import helmet from "helmet";
import type { Context, Viewer } from "./context.ts";
import type { Env } from "./env.ts";
import { createFormatError } from "./graphql/format-error.ts";
import { LIMITS, aliasLimitRule, depthLimitRule, limitsPlugin } from "./graphql/limits.ts";
import { mountExports } from "./http/exports.ts";
import { mountAdminUi } from "./http/admin-ui.ts";
import { createDirectExecutor } from "./http/graphql-direct.ts";
import { graphqlListener, mountGraphqlFallback, staticHeaders, type ClientInfo } from "./http/graphql.ts";
import { mountImports } from "./http/imports.ts";
import { viewerFromApiKey, viewerFromSession } from "./modules/auth/auth.service.ts";
import { DEFAULT_THROTTLE, LoginThrottle } from "./modules/auth/rate-limit.ts";
import { SESSION_COOKIE, readCookie } from "./modules/auth/tokens.ts";
import { checkHealth } from "./modules/health/health.service.ts";
import { buildSchema } from "./schema.ts";
import { ServingCache } from "./serving-cache.ts";

/** API key (scripts) first, then the session cookie (people); cached when `cache` is given. */
export async function resolveViewer(
  handle: DbHandle,
  authorization: string | undefined,
  cookieHeader: string | undefined,
  cache?: ServingCache,
): Promise<Viewer | null> {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return viewerFromApiKey(handle, bearer, cache);
  const token = readCookie(cookieHeader, SESSION_COOKIE);
  return token ? viewerFromSession(handle, token, cache) : null;
}

export interface App {
  /** Everything but JSON POSTs to /graphql (those take the listener's direct path). */
  app: Express;
  /** The request listener to serve: /graphql's direct path in front of `app`. */
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** An HTTP server on `listener`. */
  listen: (port: number, host: string, ready?: () => void) => Server;
  stop: () => Promise<void>;
  /** The server's in-process caches (tests flush and inspect them). */
  cache: ServingCache;
  /** How many GraphQL POSTs the direct path answered (the rest went through Apollo). */
  directAnswers: () => number;
  /** How many of those ran a compiled operation (graphql-jit) rather than graphql-js. */
  compiledAnswers: () => number;
}

/** How long a cached read may live on the embedded database (see `createApp`). */
const EMBEDDED_CACHE_TTL_MS = 15 * 60_000;

export async function createApp({ handle, env }: { handle: DbHandle; env: Env }): Promise<App> {
  // The cache's expiry is a safety net for missed notifications of other processes' writes. The
  // embedded database belongs to this process alone (its data directory is locked), so every
  // write is seen as it commits and the net can be wide: a page's heavy read is then not
  // recomputed each minute while nothing changes.
  const cache = new ServingCache(handle.query, handle.kind === "embedded" ? EMBEDDED_CACHE_TTL_MS : undefined);
  await cache.listen(handle);
  const viewerOf = (req: express.Request) => resolveViewer(handle, req.headers.authorization, req.headers.cookie, cache);
  const app = express();
  app.disable("x-powered-by");
  // X-Forwarded-For is believed only from proxies named in LTVLOOP_TRUST_PROXY (none by default):
  // otherwise any client could pick the address the login throttle counts against.
  app.set("trust proxy", env.trustProxy);
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        // The admin's charts draw inline styles; scripts stay same-origin only.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "worker-src": ["'self'", "blob:"],
      },
    },
  });
  app.use(securityHeaders);

  // Status to anyone (a cheap round trip to the database); row counts only to signed-in users,
  // read from maintained counts, never by counting rows.
  app.get("/healthz", async (req, res) => {
    try {
      const viewer = await viewerOf(req);
      res.set("cache-control", "no-store").json(await checkHealth(handle.query, handle.kind, { counts: viewer !== null }));
    } catch (error) {
      res.status(503).json({ status: "error", database: handle.kind, message: (error as Error).message });
    }
  });

  mountExports(app, handle, viewerOf);
  mountImports(app, handle, viewerOf);

  const schema = await buildSchema();
  // One set of parsing, validation and formatting settings for Apollo and the direct path.
  const parseOptions = { maxTokens: LIMITS.maxTokens };
  const validationRules = [depthLimitRule(LIMITS.maxDepth), aliasLimitRule(LIMITS.maxAliases)];
  const formatError = createFormatError(env.isProduction, env.databaseUrl ? env.statementTimeoutMs : 0);
  const includeStacktraceInErrorResponses = !env.isProduction;
  const apollo = new ApolloServer<Context>({
    schema,
    csrfPrevention: true,
    // On in production too (Apollo's default there is off): the admin's GraphQL explorer needs
    // the schema, and the limits plugin refuses introspection to anyone not signed in.
    introspection: true,
    allowBatchedHttpRequests: false,
    // The serve command owns shutdown (close the HTTP server, stop Apollo, close the database).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses,
    parseOptions,
    validationRules,
    // No cache hints are used (every answer is per viewer and `no-store`): without this plugin
    // Apollo would wrap every field's resolver to collect them.
    plugins: [limitsPlugin(), ApolloServerPluginCacheControlDisabled()],
    formatError,
  });
  await apollo.start();
  // Shared through the database on PostgreSQL (several servers may serve one database); the
  // embedded database has one process, whose memory is enough.
  const loginThrottle = new LoginThrottle(DEFAULT_THROTTLE, handle.kind === "postgres" ? handle.query : undefined);
  const context = async (req: IncomingMessage, res: ServerResponse, client: ClientInfo): Promise<Context> => {
    const viewer = await resolveViewer(handle, req.headers.authorization, req.headers.cookie, cache);
    // A client that goes away before its answer is sent: its statements are cancelled on the
    // database instead of running on (PostgreSQL; the per-request statement timeout bounds the rest).
    // Set up at the request's first statement: most answers from caches never need it.
    let cancellable: Query | undefined;
    const query: Query = (text, params) => {
      if (!cancellable) {
        const gone = new AbortController();
        if (res.closed && !res.writableFinished) gone.abort();
        else
          res.once("close", () => {
            if (!res.writableFinished) gone.abort();
          });
        cancellable = handle.cancellable(gone.signal);
      }
      return cancellable(text, params);
    };
    const sentBearer = /^Bearer\s+\S+$/i.test(req.headers.authorization ?? "");
    return {
      db: handle.db,
      query,
      handle,
      databaseKind: handle.kind,
      env,
      viewer,
      cache,
      ...(viewer === null && sentBearer ? { credentialProblem: "INVALID_API_KEY" as const } : {}),
      loaders: new Map(),
      http: {
        ip: client.ip,
        userAgent: req.headers["user-agent"],
        setSessionCookie: client.setSessionCookie,
        clearSessionCookie: client.clearSessionCookie,
        loginThrottle,
      },
    };
  };
  mountGraphqlFallback(app, apollo, context);

  // The built admin UI: the API serves it so the product is one process on one port.
  const adminDist = env.adminDist;
  if (existsSync(adminDist)) {
    mountAdminUi(app, adminDist);
  } else {
    app.get("/", (_req, res) => {
      res
        .status(503)
        .type("text")
        .send("The admin UI is not built. Run `pnpm start` (it builds the UI) or `pnpm --filter @ltvloop/admin build`.");
    });
  }

  const direct = createDirectExecutor({ schema, parseOptions, validationRules, formatError, includeStacktraceInErrorResponses });
  const listener = graphqlListener({ app, apollo, context, headers: staticHeaders(securityHeaders), direct });
  return {
    app,
    listener,
    listen: (port, host, ready) => createServer(listener).listen(port, host, ready),
    cache,
    directAnswers: () => direct.answered,
    compiledAnswers: () => direct.compiled,
    stop: async () => {
      await apollo.stop();
      await cache.close();
    },
  };
}
