// Pure rules for a change of the business time zone as the Settings page shows it. The API runs
// the change as a background job (`Settings.timeZoneChange`): the zone in force stays the old one
// until the job has recounted every customer's purchase days and committed.
import type { JobStatus } from "../../gql/graphql.ts";

export interface TimeZoneChangeLike {
  id: string;
  from: string;
  to: string;
  status: JobStatus;
  stage?: string | null;
  cancelRequested: boolean;
  startedAt?: string | null;
  finishedAt?: string | null;
  errorCode?: string | null;
}

/** How often the page asks how a change is getting on. */
export const TIME_ZONE_POLL_MS = 2_000;

/** Queued or running: the zone field waits for it. */
export const isPending = (change: TimeZoneChangeLike | null | undefined): boolean => change?.status === "QUEUED" || change?.status === "RUNNING";

/** The step a pending change is at, a key under `settings.timeZoneChange.step.*`. */
export type ChangeStep = "starting" | "waiting" | "recounting" | "saving" | "running" | "cancelling";

export type ChangeNotice =
  | { kind: "pending"; id: string; from: string; to: string; step: ChangeStep; startedAt: string | null }
  | { kind: "failed"; id: string; from: string; to: string; errorCode: string }
  | { kind: "cancelled"; id: string; from: string; to: string }
  | null;

const STAGES: readonly string[] = ["waiting", "recounting", "saving"];

/**
 * What the form says about the latest change: a pending one with its step; a failed or cancelled
 * one (until dismissed); nothing for one that succeeded (the zone shows it) or none at all.
 */
export function timeZoneChangeNotice(change: TimeZoneChangeLike | null | undefined, dismissedId: string | null = null): ChangeNotice {
  if (!change) return null;
  const { id, from, to } = change;
  if (isPending(change)) {
    // The stage is reported on PostgreSQL; on the embedded database a running change has none.
    const step: ChangeStep = change.cancelRequested ? "cancelling" : change.status === "QUEUED" ? "starting" : change.stage && STAGES.includes(change.stage) ? (change.stage as ChangeStep) : "running";
    return { kind: "pending", id, from, to, step, startedAt: change.startedAt ?? null };
  }
  if (id === dismissedId) return null;
  if (change.status === "FAILED") return { kind: "failed", id, from, to, errorCode: change.errorCode ?? "INTERNAL" };
  if (change.status === "CANCELLED") return { kind: "cancelled", id, from, to };
  return null;
}

/** The zone the field shows: the one being applied while a change is pending, else the one in force. */
export const zoneInField = (inForce: string, change: TimeZoneChangeLike | null | undefined): string => (isPending(change) && change ? change.to : inForce);

export interface BusinessInput {
  currency: string;
  defaultMargin: number;
  timeZone?: string;
}

/** The business fields to save; the zone is left out while a change is pending (the field is disabled then). */
export function businessInput(draft: { currency: string; timeZone: string; defaultMargin: number }, change: TimeZoneChangeLike | null | undefined): BusinessInput {
  const input: BusinessInput = { currency: draft.currency, defaultMargin: draft.defaultMargin };
  if (!isPending(change)) input.timeZone = draft.timeZone;
  return input;
}

/** A change that was pending and no longer is: the page reloads what the new zone changes. */
export const finished = (before: TimeZoneChangeLike | null | undefined, now: TimeZoneChangeLike | null | undefined): boolean =>
  isPending(before) && !!now && now.id === before?.id && !isPending(now);

export interface FollowStep {
  /** Ask the server again every TIME_ZONE_POLL_MS. */
  poll: boolean;
  /** A change not seen before: the job history lists it. */
  newChange: boolean;
  /** The change ended while the page watched it (or had already ended when first seen): reload the zone's readers and say how it went. */
  ended: boolean;
}

/**
 * Follows the latest change across the answers the page gets. `loaded` takes the first answer
 * (its change, or null when the zone was never changed); `next` each later change.
 */
export function changeFollower() {
  /** The change of the first answer; undefined until it arrives. */
  let known: string | null | undefined;
  let last: TimeZoneChangeLike | null = null;
  return {
    loaded(change: TimeZoneChangeLike | null): void {
      if (known === undefined) known = change?.id ?? null;
      last = change;
    },
    next(change: TimeZoneChangeLike | null): FollowStep {
      const before = last;
      last = change;
      const id = change?.id ?? null;
      const newChange = known !== undefined && id !== known;
      if (known !== undefined) known = id;
      return { poll: isPending(change), newChange, ended: !!change && (finished(before, change) || (newChange && !isPending(change))) };
    },
  };
}
