import type { Query } from "@ltvloop/db/client";
import type { Viewer } from "../../context.ts";

/**
 * One audit row. Call it with the same `query` as the change (inside its transaction), so the
 * change and its record land together or not at all.
 */
export async function writeAudit(
  query: Query,
  actor: Viewer | null,
  operation: string,
  targetType: string | null,
  targetId: string | number | null,
  details: Record<string, unknown>,
): Promise<void> {
  await query(
    `insert into audit_log (actor_user_id, actor_api_key_id, actor_kind, operation, target_type, target_id, details)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      actor?.userId ?? null,
      actor?.apiKeyId ?? null,
      actor ? (actor.via === "api_key" ? "api_key" : "user") : "system",
      operation,
      targetType,
      targetId === null ? null : String(targetId),
      JSON.stringify(details),
    ],
  );
}
