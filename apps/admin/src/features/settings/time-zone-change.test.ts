import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createI18n } from "vue-i18n";
import { jobKindKey } from "./job-kinds.ts";
import { businessInput, changeFollower, finished, isPending, timeZoneChangeNotice, zoneInField, type TimeZoneChangeLike } from "./time-zone-change.ts";

const change = (over: Partial<TimeZoneChangeLike> = {}): TimeZoneChangeLike => ({
  id: "7",
  from: "Asia/Tokyo",
  to: "America/New_York",
  status: "RUNNING",
  stage: "recounting",
  cancelRequested: false,
  startedAt: "2026-12-05T12:00:00Z",
  finishedAt: null,
  errorCode: null,
  ...over,
});

/** The two lookups the job history makes (JobSchedule.vue). */
interface Lookup {
  global: { te: (key: string) => boolean; t: (key: string) => string };
}
const messages = (lang: string, file: string) => JSON.parse(readFileSync(join(import.meta.dirname, "../../i18n/locales", lang, file), "utf8")) as Record<string, unknown>;
const at = (tree: unknown, key: string): unknown => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);

describe("a time-zone change while it is pending", () => {
  it("is pending while queued or running, with the step it is at", () => {
    expect(timeZoneChangeNotice(change({ status: "QUEUED", stage: null, startedAt: null }))).toEqual({
      kind: "pending", id: "7", from: "Asia/Tokyo", to: "America/New_York", step: "starting", startedAt: null,
    });
    expect(timeZoneChangeNotice(change())).toMatchObject({ kind: "pending", step: "recounting", startedAt: "2026-12-05T12:00:00Z" });
    expect(timeZoneChangeNotice(change({ stage: "waiting" }))).toMatchObject({ step: "waiting" });
    // The embedded database reports no stage while the job runs.
    expect(timeZoneChangeNotice(change({ stage: null }))).toMatchObject({ kind: "pending", step: "running" });
    expect(timeZoneChangeNotice(change({ cancelRequested: true }))).toMatchObject({ kind: "pending", step: "cancelling" });
    // A dismissed failure does not hide a pending change.
    expect(timeZoneChangeNotice(change(), "7")).toMatchObject({ kind: "pending" });
  });

  it("shows the zone being applied in the disabled field, and leaves the zone out of what the form saves", () => {
    expect(isPending(change())).toBe(true);
    expect(zoneInField("Asia/Tokyo", change())).toBe("America/New_York");
    expect(businessInput({ currency: "JPY", timeZone: "America/New_York", defaultMargin: 0.3 }, change())).toEqual({ currency: "JPY", defaultMargin: 0.3 });
    const done = change({ status: "SUCCEEDED", stage: null, finishedAt: "2026-12-05T12:05:00Z" });
    expect(zoneInField("America/New_York", done)).toBe("America/New_York");
    expect(businessInput({ currency: "JPY", timeZone: "Europe/Paris", defaultMargin: 0.3 }, done)).toEqual({ currency: "JPY", defaultMargin: 0.3, timeZone: "Europe/Paris" });
    expect(businessInput({ currency: "JPY", timeZone: "Europe/Paris", defaultMargin: 0.3 }, null)).toMatchObject({ timeZone: "Europe/Paris" });
  });

  it("ends: a success needs no notice, a failure and a cancel say so until dismissed, and the page reloads once", () => {
    const done = change({ status: "SUCCEEDED", stage: null });
    expect(timeZoneChangeNotice(done)).toBeNull();
    const failed = change({ status: "FAILED", stage: null, errorCode: "STATEMENT_TIMEOUT" });
    expect(timeZoneChangeNotice(failed)).toEqual({ kind: "failed", id: "7", from: "Asia/Tokyo", to: "America/New_York", errorCode: "STATEMENT_TIMEOUT" });
    expect(timeZoneChangeNotice(failed, "7")).toBeNull();
    expect(timeZoneChangeNotice(change({ status: "CANCELLED" }))).toMatchObject({ kind: "cancelled" });
    expect(timeZoneChangeNotice(null)).toBeNull();
    expect(finished(change(), done)).toBe(true);
    expect(finished(done, done)).toBe(false);
    expect(finished(change({ status: "QUEUED" }), change())).toBe(false);
    expect(finished(change(), change({ id: "8", status: "FAILED" }))).toBe(false);
  });

  it("is followed from the page: polled while pending, the history told of a new change, the end noticed once", () => {
    // The zone never changed before: the first change, already over by the time the page asks
    // (a short recount on a small database), still counts as ended.
    const first = changeFollower();
    first.loaded(null);
    expect(first.next(null)).toEqual({ poll: false, newChange: false, ended: false });
    expect(first.next(change({ id: "1", status: "SUCCEEDED", stage: null }))).toEqual({ poll: false, newChange: true, ended: true });
    expect(first.next(change({ id: "1", status: "SUCCEEDED", stage: null }))).toEqual({ poll: false, newChange: false, ended: false });

    // A change queued from the page after an older one: polled through its stages, ended once.
    const page = changeFollower();
    page.loaded(change({ id: "1", status: "FAILED", stage: null, errorCode: "STATEMENT_TIMEOUT" }));
    expect(page.next(change({ id: "2", status: "QUEUED", stage: null }))).toEqual({ poll: true, newChange: true, ended: false });
    expect(page.next(change({ id: "2", stage: "waiting" }))).toEqual({ poll: true, newChange: false, ended: false });
    expect(page.next(change({ id: "2", stage: "recounting" }))).toEqual({ poll: true, newChange: false, ended: false });
    expect(page.next(change({ id: "2", status: "FAILED", stage: null, errorCode: "ABANDONED" }))).toEqual({ poll: false, newChange: false, ended: true });

    // Opened while another admin's change runs: polled from the first answer, ended when it ends.
    const opened = changeFollower();
    opened.loaded(change({ id: "3" }));
    expect(opened.next(change({ id: "3", status: "SUCCEEDED", stage: null }))).toEqual({ poll: false, newChange: false, ended: true });
  });

  it("has every message it shows in both languages, and the job history words the kind", () => {
    for (const lang of ["en", "ja"]) {
      const settings = messages(lang, "settings.json");
      for (const step of ["starting", "waiting", "recounting", "saving", "running", "cancelling"]) {
        expect(typeof at(settings, `settings.timeZoneChange.step.${step}`), `${lang} ${step}`).toBe("string");
      }
      for (const key of ["pendingTitle", "pending", "startedAt", "cancel", "cancelAsked", "locked", "failedTitle", "failed", "unknownError", "cancelled", "done"]) {
        expect(typeof at(settings, `settings.timeZoneChange.${key}`), `${lang} ${key}`).toBe("string");
      }
      for (const code of ["STATEMENT_TIMEOUT", "ABANDONED", "CANCELLED"]) expect(typeof at(messages(lang, "jobs.json"), `jobs.error.${code}`)).toBe("string");
    }
  });

  it("is named in the job history in both languages, as are the other (dotted) kinds", () => {
    const words: Record<string, string[]> = {};
    for (const lang of ["en", "ja"]) {
      const { global } = createI18n({ legacy: false, locale: lang, missing: () => undefined, messages: { [lang]: messages(lang, "jobs.json") } } as never) as unknown as Lookup;
      words[lang] = ["snapshot", "snapshot.nightly", "campaign.measure", "settings.time-zone"].map((kind) => (global.te(`jobs.kind.${jobKindKey(kind)}`) ? global.t(`jobs.kind.${jobKindKey(kind)}`) : kind));
    }
    expect(words).toEqual({
      en: ["Snapshot", "Nightly snapshot", "Final measurement", "Time-zone change"],
      ja: ["スナップショット", "毎晩のスナップショット", "最終測定", "タイムゾーンの変更"],
    });
  });
});
