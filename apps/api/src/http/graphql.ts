// The GraphQL endpoint. A JSON POST to /graphql — what the admin, scripts and BI tools send —
// is answered straight from Node's request and response objects: the body is read with a size
// limit, Apollo runs the operation, and the security headers are written from a list computed
// once at start. Express's router, helmet's eleven middlewares and body-parser cost more per
// request than `{ __typename }` itself (see the README's serving figures). Everything else sent
// to /graphql (GET, other content types) goes through Express and the same Apollo server, with
// the same context and headers.
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from "@apollo/server";
import express, { type Express, type RequestHandler } from "express";
import proxyaddr from "proxy-addr";
import type { Context } from "../context.ts";
import { plainRequest, type DirectExecutor } from "./graphql-direct.ts";
import { SESSION_COOKIE } from "../modules/auth/tokens.ts";

export const GRAPHQL_PATH = "/graphql";
const BODY_LIMIT_BYTES = 1024 * 1024;

type ContextOf = (req: IncomingMessage, res: ServerResponse, client: ClientInfo) => Promise<Context>;

/** What the request says about its sender, read the way Express reads it (trust proxy included). */
export interface ClientInfo {
  ip: string | undefined;
  secure: boolean;
  /** Session cookie writers for sign-in and sign-out. */
  setSessionCookie: (token: string, expiresAt: Date) => void;
  clearSessionCookie: () => void;
}

/** The headers helmet would set on every response, read once by running it against a recorder. */
export function staticHeaders(middleware: RequestHandler): [string, string][] {
  const recorded = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void recorded.set(name, String(value)),
    removeHeader: (name: string) => void recorded.delete(name),
    getHeader: (name: string) => recorded.get(name),
  };
  let called = false;
  middleware({ headers: {}, method: "GET", url: "/" } as never, recorder as never, () => {
    called = true;
  });
  if (!called) throw new Error("The security-header middleware did not finish synchronously; the GraphQL fast path cannot copy its headers.");
  return [...recorded.entries()];
}

/** Reads the client's address and protocol as Express does for `trust proxy`, from the app's compiled setting. */
export function clientInfo(app: Express, req: IncomingMessage, res: ServerResponse): ClientInfo {
  const trust = app.get("trust proxy fn") as (address: string, hop: number) => boolean;
  // Read when asked (sign-in and its throttle), not for every request.
  let ip: { value: string | undefined } | undefined;
  const secure = () => {
    const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
    const forwardedProto = String(req.headers["x-forwarded-proto"] ?? "").split(",")[0]?.trim();
    return encrypted || (forwardedProto === "https" && req.socket.remoteAddress !== undefined && trust(req.socket.remoteAddress, 0));
  };
  const cookie = (value: string, expires: Date) =>
    `${SESSION_COOKIE}=${value}; Path=/; Expires=${expires.toUTCString()}; HttpOnly${secure() ? "; Secure" : ""}; SameSite=Lax`;
  const append = (line: string) => {
    const previous = res.getHeader("set-cookie");
    res.setHeader("set-cookie", previous === undefined ? [line] : [...(Array.isArray(previous) ? previous : [String(previous)]), line]);
  };
  return {
    get ip() {
      ip ??= { value: req.socket.remoteAddress === undefined ? undefined : proxyaddr(req, trust) };
      return ip.value;
    },
    get secure() {
      return secure();
    },
    setSessionCookie: (token, expiresAt) => append(cookie(encodeURIComponent(token), expiresAt)),
    clearSessionCookie: () => append(cookie("", new Date(0))),
  };
}

function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

async function send(res: ServerResponse, response: HTTPGraphQLResponse, fixed: [string, string][]): Promise<void> {
  if (response.body.kind === "complete") {
    write(res, response.status ?? 200, fixed, [...response.headers], response.body.string);
    return;
  }
  for (const [name, value] of fixed) res.setHeader(name, value);
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * Writes a complete answer: the fixed headers, then the response's own (which win), in one
 * `writeHead`. Headers set earlier on `res` (a sign-in's cookie) are kept: Node merges them.
 */
function write(res: ServerResponse, status: number, fixed: [string, string][], headers: [string, string][], body: string): void {
  let flat: string[];
  if (headers.length === 1 && headers[0]?.[0] === "content-type") {
    // The usual answer: the fixed headers as flattened once, and its content type.
    flat = [...flatten(fixed), "content-type", headers[0][1]];
  } else {
    flat = [];
    const own = new Set(headers.map(([name]) => name.toLowerCase()));
    for (const [name, value] of fixed) if (!own.has(name.toLowerCase())) flat.push(name, value);
    for (const [name, value] of headers) flat.push(name, value);
  }
  flat.push("content-length", String(Buffer.byteLength(body)));
  res.writeHead(status, flat);
  res.end(body);
}

const flattened = new WeakMap<[string, string][], string[]>();
/** `[[name, value], …]` as `[name, value, …]`, computed once per list (the fixed headers never change). */
function flatten(headers: [string, string][]): string[] {
  let flat = flattened.get(headers);
  if (!flat) {
    flat = headers.filter(([name]) => name.toLowerCase() !== "content-type").flat();
    flattened.set(headers, flat);
  }
  return flat;
}

function fail(res: ServerResponse, fixed: [string, string][], status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  for (const [name, value] of fixed) res.setHeader(name, value);
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(body));
  res.end(body);
}

/** The request body as text, or null once it passes the size limit (the rest is left unread). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        req.off("data", onData);
        req.off("end", onEnd);
        req.off("error", reject);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      req.off("error", reject);
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", reject);
  });
}

function isJsonPost(req: IncomingMessage): boolean {
  if (req.method !== "POST") return false;
  const url = req.url ?? "";
  const path = url.includes("?") ? url.slice(0, url.indexOf("?")) : url;
  if (path !== GRAPHQL_PATH) return false;
  const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json";
}

/**
 * A Node request listener: JSON POSTs to /graphql are served here, everything else by `app`.
 */
export function graphqlListener(options: {
  app: Express;
  apollo: ApolloServer<Context>;
  context: ContextOf;
  headers: [string, string][];
  /** Runs plain requests without Apollo's pipeline (graphql-direct.ts); absent: Apollo answers all. */
  direct?: DirectExecutor;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { app, apollo, context, direct } = options;
  const fixed: [string, string][] = [...options.headers, ["cache-control", "no-store"]];
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > BODY_LIMIT_BYTES) {
      req.resume();
      return fail(res, fixed, 413, "PAYLOAD_TOO_LARGE", "The request body is larger than 1 MB. Send smaller operations (or page through results).");
    }
    const text = await readBody(req);
    if (text === null) {
      return fail(res, fixed, 413, "PAYLOAD_TOO_LARGE", "The request body is larger than 1 MB. Send smaller operations (or page through results).");
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return fail(res, fixed, 400, "BAD_REQUEST", `The request body is not valid JSON (${(error as Error).message}). Send {"query": "…", "variables": {…}}.`);
    }
    // The context is made once: the direct path runs with it, or hands it to Apollo.
    let contextValue: Context | undefined;
    let contextError: unknown;
    try {
      contextValue = await context(req, res, clientInfo(app, req, res));
    } catch (error) {
      contextError = error;
    }
    const plain = contextValue && direct ? plainRequest(body) : null;
    if (plain && contextValue && direct) {
      const answer = await direct(plain, req.headers.accept, contextValue);
      if (answer) return write(res, answer.status, fixed, answer.headers, answer.body);
    }
    const url = req.url ?? "";
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: "POST", headers: headerMap(req), search: url.includes("?") ? url.slice(url.indexOf("?")) : "", body },
      context: () => (contextValue ? Promise.resolve(contextValue) : Promise.reject(contextError)),
    });
    await send(res, response, fixed);
  };
  return (req, res) => {
    if (!isJsonPost(req)) {
      app(req, res);
      return;
    }
    serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) fail(res, fixed, 500, "INTERNAL_SERVER_ERROR", "The server could not answer this request.");
      else res.destroy(error as Error);
    });
  };
}

/** The same endpoint through Express, for GET and non-JSON requests (Apollo answers or refuses them). */
export function mountGraphqlFallback(app: Express, apollo: ApolloServer<Context>, context: ContextOf): void {
  app.use(GRAPHQL_PATH, express.json({ limit: BODY_LIMIT_BYTES }), async (req, res, next) => {
    try {
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: req.method.toUpperCase(),
          headers: headerMap(req),
          search: req.url.includes("?") ? req.url.slice(req.url.indexOf("?")) : "",
          body: req.body ?? {},
        },
        context: () => context(req, res, clientInfo(app, req, res)),
      });
      await send(res, response, [["cache-control", "no-store"]]);
    } catch (error) {
      next(error);
    }
  });
}
