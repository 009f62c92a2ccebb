/** Colour choices for segments: the built-in RFM palette (ColorBrewer Dark2/Set2) plus a few more. */
export const SEGMENT_SWATCHES = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#5470c6", "#0f766e", "#6b7280"];
