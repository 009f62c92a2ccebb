// The glossary's terms: each has a name, a one-line definition (tooltips) and a longer
// explanation (the glossary page), in both languages under `glossary.terms.<key>`.
export const GLOSSARY_TERMS = [
  "activeCustomers",
  "repeatRate",
  "retentionRate",
  "churnRate",
  "averageOrderValue",
  "purchaseFrequency",
  "revenue",
  "cohortRetention",
  "rfm",
  "decile",
  "pAlive",
  "predictedClv",
  "historicalClv",
  "bgNbd",
  "paretoNbd",
  "gammaGamma",
  "snapshot",
  "holdout",
  "lift",
  "confidenceInterval",
  "pValue",
  "mde",
  "power",
  "cuped",
  "did",
  "bh",
  "srm",
  "roi",
] as const;

export type GlossaryTerm = (typeof GLOSSARY_TERMS)[number];
