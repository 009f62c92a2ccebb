import { registerEnumType } from "type-graphql";

/** The separator a file was read with, as every import reports it (the HTTP upload's `summary.delimiter` has the same values in lower case). */
export enum CsvDelimiterEnum {
  COMMA = "comma",
  TAB = "tab",
}
registerEnumType(CsvDelimiterEnum, {
  name: "CsvDelimiter",
  description: "The separator an imported file was read with, taken from its header line: TAB when the header has a tab and no comma, COMMA otherwise.",
});

/** What a service returns for a CsvDelimiter field. */
export type CsvDelimiterValue = `${CsvDelimiterEnum}`;
