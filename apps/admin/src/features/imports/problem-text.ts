// Import problems in the page's language. The API reports each problem of a file as a code
// (IMPORT_PROBLEM_CODES in apps/api/src/modules/import/problems.ts) with parameters, a line and a
// column; the wording of every code lives in the catalogue (importProblems.codes.<CODE>). The
// API's English `message` is never shown: a code the UI does not know yet gets a neutral line
// in the page's language that names the code.

export type ProblemParams = Record<string, string | number>;

/** One problem of an imported file, as the upload answer and GraphQL errors carry it. */
export interface ImportProblemView {
  line: number | null;
  column: string | null;
  code: string | null;
  params: ProblemParams;
}

interface Translator {
  t: (key: string, params?: Record<string, unknown>) => string;
  te: (key: string) => boolean;
}

/** Codes worded per value of one parameter (`importProblems.codes.<CODE>.<value>`, else `.other`). */
export const PROBLEM_VARIANTS: Record<string, string> = { BAD_ENCODING: "encoding", WIDE_ENCODING: "declare", FIELD_COUNT: "separator", TOO_MANY_COLUMNS: "separator" };

/** Parameters that are instants (ISO 8601): shown in the page's language and the business time zone. */
const INSTANT_PARAMS: Record<string, string[]> = {
  FUTURE_ORDER: ["value", "importTime"],
  FUTURE_ACQUISITION: ["value", "importTime"],
  FUTURE_DELIVERY: ["value", "importTime"],
  BEFORE_LAUNCH: ["value", "launchedAt"],
};

/** The catalogue key of a code (with its variant), or null when the UI has no wording for it. */
export function problemKey(i18n: Pick<Translator, "te">, code: string | null, params: ProblemParams = {}): string | null {
  if (!code || !/^[A-Z][A-Z0-9_]*$/.test(code)) return null;
  const base = `importProblems.codes.${code}`;
  const variant = PROBLEM_VARIANTS[code];
  if (variant) {
    const value = String(params[variant] ?? "");
    if (/^[a-z0-9_]+$/.test(value) && i18n.te(`${base}.${value}`)) return `${base}.${value}`;
    return i18n.te(`${base}.other`) ? `${base}.other` : null;
  }
  return i18n.te(base) ? base : null;
}

/**
 * A second sentence for an unknown column, from the hint the API found: another separator than
 * the comma (`separator`: the whole header was read as one column), or the accepted column it
 * likely means (`suggestion`).
 */
function unknownColumnHint(i18n: Translator, params: ProblemParams): string | null {
  const separator = params["separator"];
  if (typeof separator === "string" && i18n.te(`importProblems.hints.separators.${separator}`)) {
    return i18n.t("importProblems.hints.separator", { separator: i18n.t(`importProblems.hints.separators.${separator}`) });
  }
  const suggestion = params["suggestion"];
  return typeof suggestion === "string" && suggestion ? i18n.t("importProblems.hints.didYouMean", { column: suggestion }) : null;
}

/** The prefecture the API found nearest to a misspelt one (Tokio → 東京都). */
function prefectureHint(i18n: Translator, params: ProblemParams): string | null {
  const suggestion = params["suggestion"];
  return typeof suggestion === "string" && suggestion ? i18n.t("importProblems.hints.prefecture", { prefecture: suggestion }) : null;
}

/** What is wrong, in the page's language (without where: see problemLocation). */
export function problemText(i18n: Translator, problem: Pick<ImportProblemView, "code" | "params">, formatInstant?: (iso: string) => string): string {
  const key = problemKey(i18n, problem.code, problem.params);
  if (!key) return i18n.t("importProblems.unknown", { code: problem.code ?? "?" });
  const params: ProblemParams = { ...problem.params };
  if (formatInstant && problem.code) {
    for (const name of INSTANT_PARAMS[problem.code] ?? []) {
      const value = params[name];
      if (typeof value === "string" && !Number.isNaN(Date.parse(value))) params[name] = formatInstant(value);
    }
  }
  const text = i18n.t(key, params);
  const hint = problem.code === "UNKNOWN_COLUMN" ? unknownColumnHint(i18n, params) : problem.code === "BAD_PREFECTURE" ? prefectureHint(i18n, params) : null;
  if (!hint) return text;
  // Some messages end with a list ("Columns: a, b, c"): the hint then needs its own full stop first.
  return i18n.t(/[.。!?！？）)]$/.test(text) ? "importProblems.hints.join" : "importProblems.hints.joinAfterList", { text, hint });
}

/** Where the problem is: 「3 行目 order_date 列」, "Line 3, column order_date"; "" when the file as a whole. */
export function problemLocation(i18n: Translator, problem: Pick<ImportProblemView, "line" | "column">): string {
  if (problem.line === null) return "";
  return problem.column ? i18n.t("importProblems.at.lineColumn", { line: problem.line, column: problem.column }) : i18n.t("importProblems.at.line", { line: problem.line });
}

/** Where and what in one line, for lists: 「3 行目 order_date 列: 日付として読めません…」. */
export function problemSentence(i18n: Translator, problem: ImportProblemView, formatInstant?: (iso: string) => string): string {
  const text = problemText(i18n, problem, formatInstant);
  const at = problemLocation(i18n, problem);
  return at ? i18n.t("importProblems.withLocation", { at, text }) : text;
}
