import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context, Viewer } from "../../context.ts";
import { DomainError, badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { ALLOW } from "../../graphql/roles.ts";
import * as auth from "./auth.service.ts";
import { CreateUserInput, UpdateUserInput } from "./auth.input.ts";
import type { RoleEnum } from "./auth.type.ts";
import { ApiKey, CreatedApiKey, LoginPayload, Me, User } from "./auth.type.ts";

const toMe = (viewer: Viewer): Me => ({
  id: viewer.userId,
  email: viewer.email,
  role: viewer.role as RoleEnum,
  authenticatedVia: viewer.via,
});

/** Sign-in failures get a reason code, so the UI words them in its own language. */
function withLoginReason(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.detail) return error;
  if (error.code === "UNAUTHENTICATED") return new DomainError(error.code, error.message, error.problems, { reason: "WRONG_CREDENTIALS" });
  return error;
}

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, { description: "Signs in and sets the session cookie (HttpOnly, SameSite=Lax)." })
  async login(
    @Arg("email", () => String) email: string,
    @Arg("password", () => String) password: string,
    @Ctx() ctx: Context,
  ): Promise<LoginPayload> {
    const result = await auth
      .login(ctx.handle, {
        email,
        password,
        ip: ctx.http?.ip,
        userAgent: ctx.http?.userAgent,
        ttlHours: ctx.env.sessionTtlHours,
        throttle: ctx.http?.loginThrottle,
      })
      .catch((error: unknown) => {
        throw withLoginReason(error);
      });
    ctx.http?.setSessionCookie(result.token, result.expiresAt);
    ctx.viewer = result.viewer;
    return { me: toMe(result.viewer), expiresAt: result.expiresAt };
  }

  @Authorized(...ALLOW.read)
  @Mutation(() => Boolean, { description: "Ends the current session." })
  async logout(@Ctx() ctx: Context): Promise<boolean> {
    await auth.logout(ctx, ctx.viewer as Viewer);
    ctx.cache.viewersChanged();
    ctx.http?.clearSessionCookie();
    return true;
  }

  @Authorized(...ALLOW.read)
  @Query(() => Me, { description: "Who is signed in." })
  me(@Ctx() ctx: Context): Me {
    return toMe(ctx.viewer as Viewer);
  }

  @Authorized(...ALLOW.read)
  @Query(() => [ApiKey], { description: "Your API keys (secrets are never shown again)." })
  apiKeys(@Ctx() ctx: Context): Promise<ApiKey[]> {
    return auth.listApiKeys(ctx, ctx.viewer as Viewer);
  }

  @Authorized(...ALLOW.read)
  @Mutation(() => CreatedApiKey, { description: "Creates an API key with your role, for scripts. The secret is shown once." })
  createApiKey(@Arg("name", () => String) name: string, @Ctx() ctx: Context): Promise<CreatedApiKey> {
    return ctx.handle.transaction((tx) => auth.createApiKey(tx, ctx.viewer as Viewer, name));
  }

  @Authorized(...ALLOW.read)
  @Mutation(() => ApiKey, { description: "Revokes one of your API keys (admins: anyone's)." })
  async revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<ApiKey> {
    const key = await ctx.handle.transaction((tx) => auth.revokeApiKey(tx, ctx.viewer as Viewer, Number(id)));
    // Committed: the key stops working on the next request, not when a cache entry expires.
    ctx.cache.viewersChanged();
    return key;
  }

  @Authorized(...ALLOW.administer)
  @Query(() => [User])
  users(@Ctx() ctx: Context): Promise<User[]> {
    return auth.listUsers(ctx) as Promise<User[]>;
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => User, { description: "Creates a user (admins only)." })
  createUser(@Arg("input", () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: Context): Promise<User> {
    return ctx.handle.transaction((tx) => auth.createUser(tx, ctx.viewer, input)) as Promise<User>;
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => User, {
    description:
      "Changes a user's name, role or active flag (admins only). Deactivating ends their sessions and stops their API keys until reactivated. You cannot deactivate or demote yourself.",
  })
  async updateUser(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateUserInput) input: UpdateUserInput,
    @Ctx() ctx: Context,
  ): Promise<User> {
    if (!/^\d+$/.test(id)) throw badInput(`"${id}" is not a user id. List users with \`users\`.`, [fieldProblem("id", "NOT_AN_ID")], "NOT_AN_ID");
    const user = await ctx.handle.transaction((tx) => auth.updateUser(tx, ctx.viewer as Viewer, Number(id), input));
    // Committed: a deactivation or role change applies to the user's next request.
    ctx.cache.viewersChanged();
    return user as User;
  }
}
