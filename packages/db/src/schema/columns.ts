// Column helpers shared by the schema files, so every table spells times and ids the same way.
import { bigint, timestamp } from "drizzle-orm/pg-core";

export {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** Every time is a `timestamptz`, read as a JS Date. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Surrogate keys are `bigint generated always as identity`, read as JS numbers (safe below 2^53). */
export const idColumn = () => bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity();

/** A foreign key column to a bigint id. */
export const ref = (name: string) => bigint(name, { mode: "number" });
