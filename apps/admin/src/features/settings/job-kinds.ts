// Job kinds are dotted (`snapshot.nightly`, `settings.time-zone`), and vue-i18n reads every dot of
// a key as a level of nesting, so `jobs.kind.snapshot.nightly` found nothing and the history showed
// the raw kind. The messages spell each kind with `_` for its dots (`jobs.kind.snapshot_nightly`).

/** The segment under `jobs.kind.*` that words a job kind. */
export const jobKindKey = (kind: string): string => kind.replaceAll(".", "_");
