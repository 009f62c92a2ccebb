// Saved views: a user's named filters of a list (the customer list, the campaign board). A view
// stores the list's URL query, so applying it is opening that URL and it stays a shareable link.
import type { Database } from "@ltvloop/db/client";
import { SAVED_VIEW_LISTS, savedViews, type SavedViewList } from "@ltvloop/db/schema";
import { and, asc, eq } from "drizzle-orm";
import type { Viewer } from "../../context.ts";
import { DomainError, badInput, notFound, type FieldProblem } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";

export const MAX_VIEW_NAME = 80;
export const MAX_VIEW_QUERY = 2000;
/** Views per user and list: enough for daily use, few enough to list without paging. */
export const MAX_VIEWS_PER_LIST = 50;

export interface SavedView {
  id: number;
  list: SavedViewList;
  name: string;
  query: string;
  updatedAt: Date;
}

const signedIn = (viewer: Viewer | null): Viewer => {
  if (!viewer) throw new DomainError("UNAUTHENTICATED", "Sign in first.", [], { reason: "SIGN_IN_REQUIRED" });
  return viewer;
};

const isList = (list: string): list is SavedViewList => (SAVED_VIEW_LISTS as readonly string[]).includes(list);

/** A URL query string ("a=1&b=2", no "?"): parsed and re-serialised so only plain pairs are kept. */
function normaliseQuery(raw: string): string {
  const text = raw.startsWith("?") ? raw.slice(1) : raw;
  return new URLSearchParams(text).toString();
}

export async function listSavedViews(db: Database, viewer: Viewer | null, list: string): Promise<SavedView[]> {
  const me = signedIn(viewer);
  if (!isList(list)) throw badInput(`"${list}" is not a list with saved views: use ${SAVED_VIEW_LISTS.join(" or ")}.`, [fieldProblem("list", "UNKNOWN_LIST", { allowed: SAVED_VIEW_LISTS.join(", ") })]);
  const rows = await db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.userId, me.userId), eq(savedViews.list, list)))
    .orderBy(asc(savedViews.name));
  return rows.map((r) => ({ id: r.id, list: r.list, name: r.name, query: r.query, updatedAt: r.updatedAt }));
}

/** Saves (or, under a name the user already has for this list, replaces) a view. */
export async function saveView(db: Database, viewer: Viewer | null, input: { list: string; name: string; query: string }): Promise<SavedView> {
  const me = signedIn(viewer);
  const problems: FieldProblem[] = [];
  const name = input.name.trim();
  if (!isList(input.list)) problems.push(fieldProblem("list", "UNKNOWN_LIST", { allowed: SAVED_VIEW_LISTS.join(", ") }));
  if (name.length === 0) problems.push(fieldProblem("name", "REQUIRED"));
  if (name.length > MAX_VIEW_NAME) problems.push(fieldProblem("name", "TOO_LONG", { max: MAX_VIEW_NAME }));
  const query = normaliseQuery(input.query);
  if (query.length > MAX_VIEW_QUERY) problems.push(fieldProblem("query", "TOO_LONG", { max: MAX_VIEW_QUERY }));
  if (problems.length > 0 || !isList(input.list)) throw badInput("The view was not saved; fix the fields listed.", problems);
  const list = input.list;
  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: savedViews.id, name: savedViews.name }).from(savedViews).where(and(eq(savedViews.userId, me.userId), eq(savedViews.list, list)));
    const same = existing.find((e) => e.name === name);
    if (!same && existing.length >= MAX_VIEWS_PER_LIST) {
      throw badInput(`You already have ${MAX_VIEWS_PER_LIST} saved views of this list; delete one first.`, [
        fieldProblem("name", "TOO_MANY_VIEWS", { max: MAX_VIEWS_PER_LIST }),
      ], "TOO_MANY_VIEWS", { max: MAX_VIEWS_PER_LIST });
    }
    const [row] = same
      ? await tx.update(savedViews).set({ query, updatedAt: new Date() }).where(eq(savedViews.id, same.id)).returning()
      : await tx.insert(savedViews).values({ userId: me.userId, list, name, query }).returning();
    if (!row) throw new Error("saving the view returned no row");
    return { id: row.id, list: row.list, name: row.name, query: row.query, updatedAt: row.updatedAt };
  });
}

/** Deletes one of the viewer's own views; another user's view is "not found", never deleted. */
export async function deleteSavedView(db: Database, viewer: Viewer | null, id: number): Promise<number> {
  const me = signedIn(viewer);
  const deleted = await db
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.userId, me.userId)))
    .returning({ id: savedViews.id });
  if (deleted.length === 0) throw notFound(`You have no saved view ${id}.`, "SAVED_VIEW_NOT_FOUND", { id });
  return id;
}
