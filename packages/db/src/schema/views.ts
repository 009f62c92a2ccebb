import { sql } from "drizzle-orm";
import { check, idColumn, pgTable, ref, text, timestamptz, uniqueIndex } from "./columns.ts";
import { users } from "./auth.ts";

export const SAVED_VIEW_LISTS = ["customers", "campaigns"] as const;
export type SavedViewList = (typeof SAVED_VIEW_LISTS)[number];

/** A user's named view of a filtered list: the list's URL query, so a view is also a shareable link. */
export const savedViews = pgTable(
  "saved_views",
  {
    id: idColumn(),
    userId: ref("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    list: text("list", { enum: SAVED_VIEW_LISTS }).notNull(),
    name: text("name").notNull(),
    /** The list's URL query string without "?", e.g. `q=田&seg=at_risk`. */
    query: text("query").notNull().default(""),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("saved_views_list_known", sql`${t.list} in ('customers', 'campaigns')`),
    check("saved_views_name_length", sql`length(trim(${t.name})) between 1 and 80`),
    check("saved_views_query_length", sql`length(${t.query}) <= 2000`),
    uniqueIndex("saved_views_user_list_name_unique").on(t.userId, t.list, t.name),
  ],
);
