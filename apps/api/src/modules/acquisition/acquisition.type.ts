import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { CsvDelimiterEnum, type CsvDelimiterValue } from "../import/delimiter.type.ts";

// Money fields are Float in the settings' currency (JPY by default, which has no minor unit).

export enum AcquisitionGroupByEnum {
  CHANNEL = "channel",
  COHORT = "cohort",
  CHANNEL_COHORT = "channel_cohort",
}
registerEnumType(AcquisitionGroupByEnum, { name: "AcquisitionGroupBy", description: "How acquired customers are grouped." });

export enum CohortUnitEnum {
  MONTH = "month",
  QUARTER = "quarter",
}
registerEnumType(CohortUnitEnum, { name: "CohortUnit", description: "Acquisition cohorts: calendar months or quarters in the business time zone." });

export enum RetentionVsAcquisitionKindEnum {
  CAMPAIGN = "campaign",
  ACQUISITION_CHANNEL = "acquisition_channel",
}
registerEnumType(RetentionVsAcquisitionKindEnum, {
  name: "RetentionVsAcquisitionKind",
  description: "A measured retention campaign, or an acquisition channel.",
});

@ObjectType({ description: "One parameter of an assumption: a name and its value as text (numbers in plain decimal)." })
export class AssumptionParameter {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  value!: string;
}

@ObjectType({ description: "An assumption behind a figure, as a code and its parameters; the UI words it in the reader's language." })
export class Assumption {
  @Field(() => String, {
    description:
      "CAMPAIGN_WINDOW_ONLY (campaign profit counts the measured outcome window only: windowDays), CAMPAIGN_MARGIN (margin, source), " +
      "CHANNEL_LTV (realised gross profit to asOf plus the snapshot's predicted CLV: horizonMonths, monthlyDiscountRate, snapshotMargin, defaultMargin), " +
      "CONSTANT_RETURNS (the next budget earns what the past spend earned: budget), INTERVAL_BOOTSTRAP (resamples, seed, level), " +
      "INTERVAL_STORED_LIFT (the stored 95% interval of the revenue lift × margin ÷ cost), UNKNOWN_COST_AS_ZERO (customers).",
  })
  code!: string;

  @Field(() => [AssumptionParameter])
  parameters!: AssumptionParameter[];
}

@ObjectType({ description: "A 95% interval." })
export class RatioInterval {
  @Field(() => Float)
  lower!: number;

  @Field(() => Float)
  upper!: number;
}

@ObjectType({ description: "One month of a payback curve: customers observed through this month since acquisition, their mean cumulative gross profit and mean CAC." })
export class PaybackPoint {
  @Field(() => Int, { description: "Months since the acquisition month (0 = the acquisition month itself), business time zone." })
  monthsSince!: number;

  @Field(() => Int, { description: "Customers whose month `monthsSince` is complete before the reference time." })
  customers!: number;

  @Field(() => Float, { description: "Mean cumulative realised gross profit per customer through this month." })
  cumulativeGrossProfitPerCustomer!: number;

  @Field(() => Float, { description: "Mean acquisition cost of the same customers." })
  cacPerCustomer!: number;
}

@ObjectType({ description: "Acquisition economics of one group of customers (a channel, a cohort, or both)." })
export class AcquisitionGroup {
  @Field(() => String, { nullable: true, description: "Acquisition channel; null for customers without one (and when grouping by cohort only)." })
  channel!: string | null;

  @Field(() => Boolean, { description: "True when the group is a channel group of customers without an acquisition channel." })
  isUnknownChannel!: boolean;

  @Field(() => String, { nullable: true, description: "Acquisition cohort, `2024-06` or `2024-Q3`; null when grouping by channel only." })
  cohort!: string | null;

  @Field(() => Int, { description: "Customers acquired (acquired_at, else the first completed order, before the reference time)." })
  customers!: number;

  @Field(() => Int, { description: "Customers with neither a per-customer cost nor channel spend for their month: counted with CAC 0." })
  customersWithoutCost!: number;

  @Field(() => Float, { description: "Total acquisition cost: per-customer costs where given, else the channel's monthly spend shared equally." })
  totalCac!: number;

  @Field(() => Float, { description: "Mean acquisition cost per customer." })
  meanCac!: number;

  @Field(() => Float, { description: "Realised gross profit to the reference time: completed orders × the order's margin (else the settings' default)." })
  realisedGrossProfit!: number;

  @Field(() => Float, {
    description:
      "Predicted residual CLV from the latest succeeded snapshot (customer_scores.predicted_clv): expected purchases over the snapshot's horizon × expected spend × the snapshot's margin × P(alive), discounted monthly at the snapshot's rate. 0 for customers the snapshot did not score.",
  })
  predictedClv!: number;

  @Field(() => Float, { description: "realisedGrossProfit + predictedClv." })
  ltv!: number;

  @Field(() => Float, { description: "ltv ÷ customers." })
  ltvPerCustomer!: number;

  @Field(() => Float, { nullable: true, description: "LTV ÷ CAC (ratio of the group's totals); null when the group's CAC is 0." })
  ltvToCac!: number | null;

  @Field(() => RatioInterval, {
    nullable: true,
    description: "95% interval of ltvToCac: percentile bootstrap over the group's customers (1,000 resamples, fixed seed, so repeatable); null with fewer than 2 customers or CAC 0.",
  })
  ltvToCacInterval!: RatioInterval | null;

  @Field(() => Int, {
    nullable: true,
    description: "First month since acquisition (0 = the acquisition month) in which mean cumulative gross profit per customer exceeds mean CAC; null = not yet.",
  })
  paybackMonth!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "When not yet paid back: the projected payback month, continuing the curve at the model's mean monthly gross profit per customer (snapshot expected purchases ÷ horizon × expected spend × margin); null when paid back, or not within 120 months.",
  })
  projectedPaybackMonth!: number | null;

  @Field(() => Float, { description: "Share (0–1) of the customers with two or more completed orders." })
  repeatRate!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Share (0–1) of the customers whose month 12 since acquisition is complete who bought in that month; null when none is.",
  })
  retention12m!: number | null;

  @Field(() => [PaybackPoint], { description: "The payback curve, months 0… while any customer of the group is observed (at most 60)." })
  curve!: PaybackPoint[];
}

@ObjectType({ description: "Acquisition economics: per group, what customers cost, what they earned and are predicted to earn, and how fast they pay back." })
export class AcquisitionEconomics {
  @Field(() => AcquisitionGroupByEnum)
  groupBy!: AcquisitionGroupByEnum;

  @Field(() => CohortUnitEnum)
  cohortUnit!: CohortUnitEnum;

  @Field(() => GraphQLISODateTime, { description: "Realised figures count orders before this: the latest succeeded snapshot's as-of, else now." })
  asOf!: Date;

  @Field(() => ID, { nullable: true, description: "The snapshot predictions come from; null when there is none (predictions are then 0)." })
  snapshotId!: number | null;

  @Field(() => Int, { nullable: true, description: "The snapshot's predicted CLV horizon in months." })
  horizonMonths!: number | null;

  @Field(() => Float, { nullable: true, description: "The snapshot's monthly discount rate of predicted CLV." })
  monthlyDiscountRate!: number | null;

  @Field(() => Float, { nullable: true, description: "The margin the snapshot applied to predicted CLV." })
  snapshotMargin!: number | null;

  @Field(() => Float, { description: "The settings' default margin, applied to orders without their own." })
  defaultMargin!: number;

  @Field(() => String, { description: "Business time zone the cohorts and months are in." })
  timeZone!: string;

  @Field(() => [AcquisitionGroup], { description: "Ordered by channel (unknown last), then cohort." })
  groups!: AcquisitionGroup[];
}

@ObjectType({ description: "One option for the next yen: a measured retention campaign or an acquisition channel." })
export class RetentionVsAcquisitionRow {
  @Field(() => RetentionVsAcquisitionKindEnum)
  kind!: RetentionVsAcquisitionKindEnum;

  @Field(() => String, { description: "The campaign id, or the acquisition channel (empty for customers without one)." })
  key!: string;

  @Field(() => String, { description: "The campaign's name, or the channel." })
  label!: string;

  @Field(() => Float, { description: "What was spent: the campaign's cost, or the channel's total CAC." })
  spend!: number;

  @Field(() => Float, { description: "Gross profit it brought: the campaign's incremental gross profit, or the channel's LTV." })
  grossProfit!: number;

  @Field(() => Float, { nullable: true, description: "grossProfit ÷ spend; null when nothing was spent." })
  grossProfitPerYen!: number | null;

  @Field(() => RatioInterval, { nullable: true, description: "95% interval of grossProfitPerYen (see the row's assumptions for how)." })
  interval!: RatioInterval | null;

  @Field(() => Float, { nullable: true, description: "budget × grossProfitPerYen, when a budget was given." })
  grossProfitForBudget!: number | null;

  @Field(() => Int, { description: "Customers behind the figure: treated customers, or customers acquired." })
  customers!: number;

  @Field(() => [Assumption])
  assumptions!: Assumption[];
}

@ObjectType({ description: "Retention against acquisition: gross profit per yen of the measured campaigns and of each acquisition channel." })
export class RetentionVsAcquisition {
  @Field(() => Float, { nullable: true })
  budget!: number | null;

  @Field(() => GraphQLISODateTime)
  asOf!: Date;

  @Field(() => [RetentionVsAcquisitionRow], { description: "Highest gross profit per yen first; rows without a ratio last." })
  rows!: RetentionVsAcquisitionRow[];
}

@ObjectType({ description: "One month's acquisition spend of a channel." })
export class ChannelSpendRow {
  @Field(() => String)
  channel!: string;

  @Field(() => String, { description: "YYYY-MM, business time zone." })
  month!: string;

  @Field(() => Float)
  amount!: number;

  @Field(() => String)
  currency!: string;
}

@ObjectType({ description: "What a channel spend import wrote." })
export class ChannelSpendImportResult {
  @Field(() => Int)
  rowsRead!: number;

  @Field(() => CsvDelimiterEnum, { description: "The separator the file was read with (from its header line)." })
  delimiter!: CsvDelimiterValue;

  @Field(() => Int)
  inserted!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int)
  unchanged!: number;
}
