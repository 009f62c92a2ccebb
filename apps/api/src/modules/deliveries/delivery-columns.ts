// The documented columns of a delivery results file (CLI --help, README and the GraphQL
// description name the same ones).
import { DELIVERY_EVENTS } from "@ltvloop/db/schema";
import type { ColumnDoc } from "../import/columns.ts";

export const DELIVERY_COLUMNS: readonly ColumnDoc[] = [
  { name: "customer_external_id", isRequired: true, description: "external_id of a customer on the campaign's roster" },
  { name: "event", isRequired: true, description: DELIVERY_EVENTS.join(" | ") },
  { name: "occurred_at", isRequired: true, description: "date and time of the event, at or after the launch, not in the future" },
  { name: "channel", isRequired: false, description: "the sending tool's channel (e.g. line, email, dm)" },
];

export const DELIVERIES_HELP = `
Columns:
${DELIVERY_COLUMNS.map((c) => `  ${c.name.padEnd(22)}${c.isRequired ? "required  " : "optional  "}${c.description}`).join("\n")}

One row per customer and event, as the sending tool (LINE, e-mail, DM) exports them; a customer
may have several rows (sent, then delivered, then opened …). "delivered" is what counts as
reached in the complier effect (CACE). Rows for control customers are accepted and reported as
contamination. A row is identified by customer, event and occurred_at: importing the same file
again changes nothing, and the same row twice in one file is an error.

Rules:
  A header row is required; column order is free; header names are case-insensitive.
  Dates: YYYY-MM-DD or YYYY/MM/DD with HH:mm[:ss], optional zone Z or +09:00 (default: the
  business time zone). Files are UTF-8 (with or without BOM) or Shift_JIS with --encoding shift_jis.
  A file with any invalid row imports nothing unless --skip-invalid is given.

Example:
  customer_external_id,event,occurred_at,channel
  C0001,sent,2025-06-02 10:00,line
  C0001,delivered,2025-06-02 10:00:05,line
  C0001,opened,2025-06-02 12:31,line
`;
