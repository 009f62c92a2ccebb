import { existsSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import type { DbHandle } from "@ltvloop/db/client";
import express, { type Express } from "express";
import helmet from "helmet";
import type { Context, Viewer } from "./context.ts";
import type { Env } from "./env.ts";
import { createFormatError } from "./graphql/format-error.ts";
import { LIMITS, aliasLimitRule, depthLimitRule, limitsPlugin } from "./graphql/limits.ts";
import { mountCampaignExports } from "./modules/campaigns/campaign-export.ts";
import { mountCustomerExport } from "./modules/customers/customer.export.ts";
import { viewerFromApiKey, viewerFromSession } from "./modules/auth/auth.service.ts";
import { SESSION_COOKIE, readCookie } from "./modules/auth/tokens.ts";
import { checkHealth } from "./modules/health/health.service.ts";
import { buildSchema } from "./schema.ts";

/** API key (scripts) first, then the session cookie (people). */
export async function resolveViewer(
  handle: DbHandle,
  authorization: string | undefined,
  cookieHeader: string | undefined,
): Promise<Viewer | null> {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return viewerFromApiKey(handle.query, bearer);
  const token = readCookie(cookieHeader, SESSION_COOKIE);
  return token ? viewerFromSession(handle.query, token) : null;
}

export interface App {
  app: Express;
  stop: () => Promise<void>;
}

export async function createApp({ handle, env }: { handle: DbHandle; env: Env }): Promise<App> {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // The admin's charts draw inline styles; scripts stay same-origin only.
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:", "blob:"],
          "worker-src": ["'self'", "blob:"],
        },
      },
    }),
  );

  app.get("/healthz", async (_req, res) => {
    try {
      res.json(await checkHealth(handle.query, handle.kind));
    } catch (error) {
      res.status(503).json({ status: "error", database: handle.kind, message: (error as Error).message });
    }
  });

  mountCampaignExports(app, handle, env);
  mountCustomerExport(app, handle, (req) => resolveViewer(handle, req.headers.authorization, req.headers.cookie));

  const apollo = new ApolloServer<Context>({
    schema: await buildSchema(),
    csrfPrevention: true,
    // On in production too (Apollo's default there is off): the admin's GraphQL explorer needs
    // the schema, and the limits plugin refuses introspection to anyone not signed in.
    introspection: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: !env.isProduction,
    parseOptions: { maxTokens: LIMITS.maxTokens },
    validationRules: [depthLimitRule(LIMITS.maxDepth), aliasLimitRule(LIMITS.maxAliases)],
    plugins: [limitsPlugin()],
    formatError: createFormatError(env.isProduction),
  });
  await apollo.start();
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<Context> => {
        const viewer = await resolveViewer(handle, req.headers.authorization, req.headers.cookie);
        const secure = req.secure;
        const sentBearer = /^Bearer\s+\S+$/i.test(req.headers.authorization ?? "");
        return {
          db: handle.db,
          query: handle.query,
          handle,
          databaseKind: handle.kind,
          env,
          viewer,
          ...(viewer === null && sentBearer ? { credentialProblem: "INVALID_API_KEY" as const } : {}),
          loaders: new Map(),
          http: {
            ip: req.ip,
            userAgent: req.headers["user-agent"],
            setSessionCookie: (token, expiresAt) =>
              res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure, expires: expiresAt, path: "/" }),
            clearSessionCookie: () => res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: "/" }),
          },
        };
      },
    }),
  );

  // The built admin UI: the API serves it so the product is one process on one port.
  const adminDist = env.adminDist;
  if (existsSync(adminDist)) {
    app.use(express.static(adminDist, { index: "index.html", maxAge: "1h" }));
    // Client-side routes: any other GET that accepts HTML gets the app shell.
    app.get(/^\/(?!graphql|export|healthz).*/, (req, res, next) => {
      if (!req.accepts("html")) return next();
      res.sendFile("index.html", { root: adminDist });
    });
  } else {
    app.get("/", (_req, res) => {
      res
        .status(503)
        .type("text")
        .send("The admin UI is not built. Run `pnpm start` (it builds the UI) or `pnpm --filter @ltvloop/admin build`.");
    });
  }

  return { app, stop: () => apollo.stop() };
}
