// The documented CSV columns of each import. The CLI's --help and the README are generated
// from / copied from these lists, so the code and the docs name the same columns.

export interface ColumnDoc {
  name: string;
  isRequired: boolean;
  description: string;
}

export const CUSTOMER_COLUMNS: readonly ColumnDoc[] = [
  { name: "external_id", isRequired: true, description: "your customer id; unique, the key for re-imports" },
  { name: "name", isRequired: false, description: "display name, at most 500 characters" },
  { name: "email", isRequired: false, description: "email address (name@example.com)" },
  { name: "prefecture", isRequired: false, description: "one of the 47 prefectures, e.g. 東京都, 東京 or Tokyo; stored as the official name (東京都) in attributes.prefecture" },
  { name: "gender", isRequired: false, description: "stored in attributes.gender" },
  { name: "birth_year", isRequired: false, description: "stored in attributes.birthYear; 1900 to this year" },
  { name: "acquisition_channel", isRequired: false, description: "where the customer came from (e.g. ads, store)" },
  { name: "acquisition_cost", isRequired: false, description: "cost to acquire, ≥ 0, up to 2 decimals" },
  { name: "acquired_at", isRequired: false, description: "date (and time) the customer was acquired; not after the import time (1 hour tolerance)" },
  { name: "email_opt_in", isRequired: false, description: "true/false, 1/0, yes/no, t/f, はい/いいえ, ○/×, あり/なし or 有/無; new customers default to true" },
  { name: "line_opt_in", isRequired: false, description: "true/false, 1/0, yes/no, t/f, はい/いいえ, ○/×, あり/なし or 有/無; new customers default to false" },
  { name: "sms_opt_in", isRequired: false, description: "true/false, 1/0, yes/no, t/f, はい/いいえ, ○/×, あり/なし or 有/無; new customers default to false" },
  { name: "dm_opt_in", isRequired: false, description: "true/false, 1/0, yes/no, t/f, はい/いいえ, ○/×, あり/なし or 有/無; new customers default to true" },
];

export const ORDER_COLUMNS: readonly ColumnDoc[] = [
  { name: "external_id", isRequired: true, description: "your order id; unique, the key for re-imports" },
  { name: "customer_external_id", isRequired: true, description: "external_id of an existing customer" },
  { name: "ordered_at", isRequired: true, description: "date (and time) of the order" },
  { name: "amount", isRequired: true, description: "order value, ≥ 0, up to 2 decimals, no currency sign (1,234 accepted)" },
  { name: "currency", isRequired: false, description: "3 capital letters, default JPY" },
  { name: "gross_margin", isRequired: false, description: "ratio 0–1 (0.35); empty = the settings' default margin" },
  { name: "status", isRequired: false, description: "completed | refunded | cancelled, default completed" },
  { name: "channel", isRequired: false, description: "sales channel (e.g. web, store)" },
  { name: "items", isRequired: false, description: "number of items, whole number ≥ 0, default 1" },
];

export const ATTRIBUTE_PREFIX = "attr_";

const describe = (columns: readonly ColumnDoc[]) =>
  columns.map((c) => `  ${c.name.padEnd(22)}${c.isRequired ? "required  " : "optional  "}${c.description}`).join("\n");

const COMMON_RULES = `Rules:
  A header row is required; column order is free; header names are case-insensitive.
  Cells are separated by commas, or by tabs when the header line has tabs and no comma
  (Excel's "Text (Tab delimited)"); quoting is the same. Unnamed columns at the end of the
  header (external_id,name,,,) are ignored while their cells are empty. A line repeating the
  header mid-file (files joined together) is refused: remove it.
  Dates: YYYY-MM-DD or YYYY/MM/DD, optional time HH:mm or HH:mm:ss (after a space or T),
  optional zone Z, +09:00 or +0900. Without a zone the business time zone (settings) applies.
  Files are UTF-8 (with or without BOM) or Shift_JIS/CP932 with --encoding shift_jis; a file
  starting with a UTF-16 byte order mark (Excel's "Unicode Text") is read as UTF-16.
  A file with any invalid row imports nothing unless --skip-invalid is given.
  Re-importing a file is safe: rows are matched on external_id and unchanged rows are left alone.`;

export const CUSTOMERS_HELP = `
Columns:
${describe(CUSTOMER_COLUMNS)}
  attr_<key>            optional  any extra column named attr_… is stored in attributes.<key>

Empty cells mean "not given": new customers get the default, existing customers keep their value.

${COMMON_RULES}

Example:
  external_id,name,email,prefecture,gender,birth_year,acquisition_channel,acquired_at,line_opt_in
  C0001,山田 花子,hanako@example.com,東京都,female,1985,ads,2024-01-15,yes
`;

export const ORDERS_HELP = `
Columns (--format csv, the default):
${describe(ORDER_COLUMNS)}

Each row is the whole order: on re-import, empty optional cells reset to their defaults.

--format cdnow reads the CDNOW transaction log instead: no header, whitespace-separated
  master_id sample_id YYYYMMDD cds dollars
creating customers cdnow-<master_id> and orders cdnow-<master_id>-<YYYYMMDD>-<n> in USD.

${COMMON_RULES}

Example:
  external_id,customer_external_id,ordered_at,amount,currency,status,channel,items
  O-10001,C0001,2024-03-01 14:05,12800,JPY,completed,web,2
`;
