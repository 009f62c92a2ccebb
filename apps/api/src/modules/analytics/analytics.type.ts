import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";

// Money fields are Float in the settings' currency (JPY by default, which has no minor unit).

export enum GranularityEnum {
  DAY = "day",
  WEEK = "week",
  MONTH = "month",
  QUARTER = "quarter",
}
registerEnumType(GranularityEnum, {
  name: "Granularity",
  description: "Calendar periods in the business time zone; weeks start on Monday.",
});

@ObjectType({ description: "One cell of the RF matrix: customers with this recency and frequency score." })
export class RfCell {
  @Field(() => Int, { description: "Recency score 1–5 (5 = most recent)." })
  r!: number;

  @Field(() => Int, { description: "Frequency score 1–5 (5 = most frequent)." })
  f!: number;

  @Field(() => Int)
  customers!: number;

  @Field(() => Float, { description: "Revenue in the look-back window (the M of RFM), in the settings' currency." })
  revenue!: number;

  @Field(() => Float, { description: "This cell's share (0–1) of the matrix's revenue; 0 when the matrix has none." })
  revenueShare!: number;

  @Field(() => Float, { nullable: true, description: "Mean look-back revenue per customer, in the settings' currency; null for an empty cell." })
  meanMonetary!: number | null;

  @Field(() => String, { description: "The RFM segment this cell belongs to under the snapshot's segment map." })
  segmentKey!: string;
}

@ObjectType({ description: "RF matrix (RF分析) of one snapshot: all 25 cells, empty ones included." })
export class RfMatrix {
  @Field(() => ID)
  snapshotId!: number;

  @Field(() => GraphQLISODateTime)
  asOf!: Date;

  @Field(() => Int, { description: "Scored customers (the sum over the cells)." })
  customers!: number;

  @Field(() => Float, { description: "Look-back-window revenue of all scored customers, in the settings' currency." })
  revenue!: number;

  @Field(() => Int, { nullable: true, description: "The snapshot's look-back window in days: the cells' revenue and revenueShare cover it (segment and decile shares are of lifetime revenue)." })
  lookbackDays!: number | null;

  @Field(() => [RfCell], { description: "Ordered by r, then f (1…5 each)." })
  cells!: RfCell[];
}

@ObjectType({ description: "One revenue decile (デシル分析): a tenth of the customers ranked by lifetime revenue." })
export class DecileRow {
  @Field(() => Int, { description: "1 = the top tenth by revenue, 10 = the bottom." })
  decile!: number;

  @Field(() => Int)
  customers!: number;

  @Field(() => Int, { description: "Completed orders up to the snapshot." })
  orders!: number;

  @Field(() => Float, { description: "Lifetime revenue up to the snapshot, in the settings' currency." })
  revenue!: number;

  @Field(() => Float, { description: "Share (0–1) of all customers' revenue." })
  share!: number;

  @Field(() => Float, { description: "Share of deciles 1 through this one." })
  cumulativeShare!: number;

  @Field(() => Float, { nullable: true, description: "Revenue per order, in the settings' currency." })
  meanOrderValue!: number | null;

  @Field(() => Float, { nullable: true, description: "Revenue per customer, in the settings' currency." })
  meanRevenue!: number | null;
}

@ObjectType({ description: "Customers and revenue of one RFM segment in a snapshot." })
export class RfmSegmentSummary {
  @Field(() => String)
  segmentKey!: string;

  @Field(() => String, { description: "Japanese label; the key itself for a custom segment." })
  labelJa!: string;

  @Field(() => String, { description: "English label; the key itself for a custom segment." })
  labelEn!: string;

  @Field(() => Int)
  customers!: number;

  @Field(() => Float, { description: "Share (0–1) of the scored customers." })
  customerShare!: number;

  @Field(() => Float, { description: "Lifetime revenue up to the snapshot, in the settings' currency." })
  revenue!: number;

  @Field(() => Float, { description: "Share (0–1) of all scored customers' lifetime revenue." })
  revenueShare!: number;

  @Field(() => Float, { nullable: true, description: "Mean predicted CLV, in the settings' currency; null when no model ran." })
  meanPredictedClv!: number | null;

  @Field(() => Float, { nullable: true, description: "Mean probability of being alive (0–1); null when no model ran." })
  meanPAlive!: number | null;
}

@ObjectType({ description: "KPIs of one period (or of the whole range, for `totals`). Only completed orders count." })
export class KpiPeriod {
  @Field(() => GraphQLISODateTime, { description: "Inclusive; the first period starts at `from` even mid-period." })
  periodStart!: Date;

  @Field(() => GraphQLISODateTime, { description: "Exclusive; the last period ends at `to` even mid-period." })
  periodEnd!: Date;

  @Field(() => Int, { description: "Customers acquired before the period end (first completed order before it)." })
  customers!: number;

  @Field(() => Int, { description: "Customers whose first completed order falls in the period." })
  newCustomers!: number;

  @Field(() => Int, { description: "Customers with at least one completed order in the period." })
  activeCustomers!: number;

  @Field(() => Int, { description: "Active customers who had purchased before the period started." })
  repeatCustomers!: number;

  @Field(() => Float, { nullable: true, description: "repeatCustomers / activeCustomers; null without active customers." })
  repeatRate!: number | null;

  @Field(() => Int)
  orders!: number;

  @Field(() => Float, { description: "In the settings' currency." })
  revenue!: number;

  @Field(() => Float, { nullable: true, description: "revenue / orders, in the settings' currency; null without orders." })
  averageOrderValue!: number | null;

  @Field(() => Float, { nullable: true, description: "orders / activeCustomers; null without active customers." })
  purchaseFrequency!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Share of the previous period's active customers who are active again; null for the first period, for totals, and after a period without active customers.",
  })
  retentionRate!: number | null;

  @Field(() => Float, { nullable: true, description: "1 − retentionRate; null likewise." })
  churnRate!: number | null;
}

@ObjectType({ description: "Business KPIs over a time range, per calendar period in the business time zone." })
export class KpiOverview {
  @Field(() => GranularityEnum)
  granularity!: GranularityEnum;

  @Field(() => String, { description: "The business time zone the periods are cut in." })
  timeZone!: string;

  @Field(() => String, { description: "The currency of the money fields (ISO 4217)." })
  currency!: string;

  @Field(() => [KpiPeriod])
  periods!: KpiPeriod[];

  @Field(() => KpiPeriod, { description: "The same KPIs over the whole range (repeat = purchased before `from`)." })
  totals!: KpiPeriod;

  @Field(() => Float, { nullable: true, description: "Mean predicted CLV of the latest snapshot, in the settings' currency; null before the first snapshot." })
  meanClv!: number | null;

  @Field(() => ID, { nullable: true, description: "The snapshot meanClv comes from." })
  snapshotId!: number | null;
}

@ObjectType()
export class CohortCell {
  @Field(() => Int, { description: "Calendar months since the acquisition month (0 = that month)." })
  monthsSince!: number;

  @Field(() => Int, { description: "Cohort customers with a completed order in that month." })
  activeCustomers!: number;

  @Field(() => Float, { description: "activeCustomers / cohort size." })
  retention!: number;

  @Field(() => Float, { description: "The cohort's revenue in that month, in the settings' currency." })
  revenue!: number;
}

@ObjectType({ description: "Customers whose first completed order fell in one calendar month." })
export class Cohort {
  @Field(() => String, { description: "Acquisition month, YYYY-MM in the business time zone." })
  cohortMonth!: string;

  @Field(() => Int)
  size!: number;

  @Field(() => [CohortCell], { description: "Months 0…maxMonths, up to the month of the latest completed order (later months are not yet observed)." })
  cells!: CohortCell[];
}

@ObjectType({ description: "Monthly acquisition cohorts and their retention (コホート分析)." })
export class CohortRetention {
  @Field(() => GraphQLISODateTime, { description: "Customers first purchasing from this instant on are included." })
  from!: Date;

  @Field(() => GraphQLISODateTime, { description: "…and before this one." })
  to!: Date;

  @Field(() => Int)
  maxMonths!: number;

  @Field(() => String, { nullable: true, description: "The latest business day with a completed order (YYYY-MM-DD); null without orders." })
  dataThrough!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The month (YYYY-MM) still in progress: the data ends before its last day, so the cells of that calendar month count only part of it and are not comparable with full months. Null when the latest month is complete.",
  })
  partialMonth!: string | null;

  @Field(() => [Cohort], { description: "Oldest cohort first." })
  cohorts!: Cohort[];
}
