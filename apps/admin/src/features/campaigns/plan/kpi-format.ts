// KPI values and changes in the units an operator reads them in: conversion as a percentage
// (changes in percentage points), revenue per customer in the settings' currency, orders per
// customer with two decimals. Pure, so the planner and the comparison format alike.
import type { CampaignKpi } from "../../../gql/graphql.ts";

const DASH = "—";

export interface NumberContext {
  /** BCP 47 tag, e.g. ja-JP. */
  locale: string;
  /** ISO 4217, e.g. JPY. */
  currency: string;
  /** Words a formatted number of percentage points ("+5.4" → "+5.4 ポイント"); default "+5.4 pt". */
  points?: (formatted: string) => string;
}

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/** A level of the KPI: 12.3%, ¥4,500, 1.66. */
export function formatKpiLevel(kpi: CampaignKpi, value: number | null | undefined, ctx: NumberContext): string {
  if (!finite(value)) return DASH;
  if (kpi === "CONVERSION") return new Intl.NumberFormat(ctx.locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  if (kpi === "REVENUE_PER_CUSTOMER") return new Intl.NumberFormat(ctx.locale, { style: "currency", currency: ctx.currency }).format(value);
  return new Intl.NumberFormat(ctx.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/** A difference of the KPI: +5.4 pt, +¥1,301, +0.23; `signed` adds the plus sign. */
export function formatKpiChange(kpi: CampaignKpi, value: number | null | undefined, ctx: NumberContext, signed = true): string {
  if (!finite(value)) return DASH;
  const signDisplay = signed ? "exceptZero" : "auto";
  if (kpi === "CONVERSION") {
    const formatted = new Intl.NumberFormat(ctx.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay }).format(value * 100);
    return ctx.points ? ctx.points(formatted) : `${formatted} pt`;
  }
  if (kpi === "REVENUE_PER_CUSTOMER") return new Intl.NumberFormat(ctx.locale, { style: "currency", currency: ctx.currency, signDisplay }).format(value);
  return new Intl.NumberFormat(ctx.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay }).format(value);
}

/** A relative change: +12.3% (signed) or 12.3%. */
export function formatRelative(value: number | null | undefined, ctx: NumberContext, signed = true, digits = 1): string {
  if (!finite(value)) return DASH;
  return new Intl.NumberFormat(ctx.locale, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: signed ? "exceptZero" : "auto" }).format(value);
}

/**
 * A value with its interval: "+44.4% [+17.5%, +82.3%]". Without a value just the dash (not
 * "— —" for a lift that cannot be computed), without an interval the value alone.
 */
export function formatWithInterval(value: number | null | undefined, ci: { lower: number; upper: number } | null | undefined, format: (v: number) => string): string {
  if (!finite(value)) return DASH;
  return ci ? `${format(value)} ${formatInterval(ci, format)}` : format(value);
}

export function formatInterval(ci: { lower: number; upper: number } | null | undefined, format: (v: number) => string): string {
  if (!ci) return DASH;
  return `[${format(ci.lower)}, ${format(ci.upper)}]`;
}

export function formatSignedMoney(value: number | null | undefined, ctx: NumberContext): string {
  return formatKpiChange("REVENUE_PER_CUSTOMER", value, ctx);
}

/** The locale tag the app's formatters use for a UI language. */
export const localeTag = (language: string): string => (language === "ja" ? "ja-JP" : "en-US");
