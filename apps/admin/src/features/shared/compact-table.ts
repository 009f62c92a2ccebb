/**
 * naive-ui's small data tables with 6 px instead of 8 px between a cell's text and its side
 * edges (the rows keep their 8 px above and below): the customer list and the segment lists,
 * whose columns must hold a ten-digit amount (「￥1,234,567,890」, 116 px) beside their other
 * columns within a 1280 px window's card. Pass as the table's `theme-overrides`.
 */
export const COMPACT_TABLE = { thPaddingSmall: "8px 6px", tdPaddingSmall: "8px 6px" } as const;

