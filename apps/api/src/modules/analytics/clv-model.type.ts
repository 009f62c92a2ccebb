// GraphQL types of a snapshot's CLV models: the BG/NBD, Pareto/NBD and Gamma-Gamma fits, their
// holdout diagnostics and how the predictions are distributed.
import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";
import { BtydModelEnum } from "../snapshots/snapshot.type.ts";

@ObjectType({ description: "BG/NBD fit (Fader, Hardie & Lee 2005); rates in the snapshot's time unit. Fields are null when the fit failed." })
export class BgNbdFit {
  @Field(() => Float, { nullable: true })
  r!: number | null;

  @Field(() => Float, { nullable: true })
  alpha!: number | null;

  @Field(() => Float, { nullable: true })
  a!: number | null;

  @Field(() => Float, { nullable: true })
  b!: number | null;

  @Field(() => Float, { nullable: true })
  logLikelihood!: number | null;

  @Field(() => Boolean, { nullable: true })
  converged!: boolean | null;

  @Field(() => Int, { nullable: true })
  iterations!: number | null;

  @Field(() => String, { nullable: true, description: "Why the fit failed; null when it succeeded." })
  error!: string | null;
}

@ObjectType({ description: "Pareto/NBD fit (Schmittlein, Morrison & Colombo 1987). Fields are null when the fit failed." })
export class ParetoNbdFit {
  @Field(() => Float, { nullable: true })
  r!: number | null;

  @Field(() => Float, { nullable: true })
  alpha!: number | null;

  @Field(() => Float, { nullable: true })
  s!: number | null;

  @Field(() => Float, { nullable: true })
  beta!: number | null;

  @Field(() => Float, { nullable: true })
  logLikelihood!: number | null;

  @Field(() => Boolean, { nullable: true })
  converged!: boolean | null;

  @Field(() => Int, { nullable: true })
  iterations!: number | null;

  @Field(() => String, { nullable: true, description: "Why the fit failed; null when it succeeded." })
  error!: string | null;
}

@ObjectType({ description: "Gamma-Gamma spend model (Fader, Hardie & Lee 2005). Fields are null when the fit failed." })
export class GammaGammaFit {
  @Field(() => Float, { nullable: true })
  p!: number | null;

  @Field(() => Float, { nullable: true })
  q!: number | null;

  @Field(() => Float, { nullable: true })
  gamma!: number | null;

  @Field(() => Float, { nullable: true })
  logLikelihood!: number | null;

  @Field(() => Boolean, { nullable: true })
  converged!: boolean | null;

  @Field(() => Int, { nullable: true, description: "Repeat buyers the fit used." })
  customers!: number | null;

  @Field(() => String, { nullable: true, description: "Why the fit failed; null when it succeeded." })
  error!: string | null;
}

@ObjectType({ description: "Customers with this many repeat purchases in the calibration period." })
export class HoldoutFrequencyBucket {
  @Field(() => Int)
  frequency!: number;

  @Field(() => Boolean, { description: "The last bucket holds this frequency and above." })
  isOpenEnded!: boolean;

  @Field(() => Int)
  customers!: number;

  @Field(() => Float, { description: "Mean purchases in the holdout period, observed." })
  actualMean!: number;

  @Field(() => Float, { description: "Mean purchases in the holdout period, predicted." })
  predictedMean!: number;
}

@ObjectType({ description: "Cumulative repeat purchases by week of the holdout period." })
export class HoldoutTrackingPoint {
  @Field(() => Int)
  week!: number;

  @Field(() => Float)
  actual!: number;

  @Field(() => Float)
  predicted!: number;
}

@ObjectType({ description: "The model fitted on a calibration period and checked against the holdout period after it." })
export class HoldoutDiagnostics {
  @Field(() => String, { nullable: true, description: "Last calendar day (YYYY-MM-DD) of the calibration period." })
  calibrationEnd!: string | null;

  @Field(() => Int, { nullable: true })
  holdoutDays!: number | null;

  @Field(() => Int, { nullable: true, description: "Customers with a purchase in the calibration period." })
  customers!: number | null;

  @Field(() => Float, { nullable: true })
  totalActual!: number | null;

  @Field(() => Float, { nullable: true })
  totalPredicted!: number | null;

  @Field(() => [HoldoutFrequencyBucket])
  byFrequency!: HoldoutFrequencyBucket[];

  @Field(() => [HoldoutTrackingPoint])
  tracking!: HoldoutTrackingPoint[];

  @Field(() => String, { nullable: true, description: "Why the diagnostics failed; null when they ran." })
  error!: string | null;
}

@ObjectType({ description: "Customers whose value lies in [from, to); the last bin of a histogram includes its upper bound or is open." })
export class ScoreHistogramBin {
  @Field(() => Float)
  from!: number;

  @Field(() => Float, { nullable: true, description: "Null for an open last bin." })
  to!: number | null;

  @Field(() => Int)
  customers!: number;
}

@ObjectType({ description: "The customer lifetime value models of one snapshot and how their predictions are distributed." })
export class ClvModel {
  @Field(() => ID)
  snapshotId!: number;

  @Field(() => GraphQLISODateTime)
  asOf!: Date;

  @Field(() => String, { description: "`week` or `day`: the unit of BG/NBD and Pareto/NBD rates." })
  timeUnit!: string;

  @Field(() => Int, { description: "Customers the models were fitted on." })
  customers!: number;

  @Field(() => Int, { description: "Distinct (x, t_x, T) triples the fits ran on." })
  uniqueTriples!: number;

  @Field(() => Int, {
    description:
      "Customers the likelihoods were maximised on: every customer up to 50,000, else a deterministic random sample of about 50,000 (log-likelihoods are then the sample's, scaled to every customer).",
  })
  fitCustomers!: number;

  @Field(() => BtydModelEnum, { description: "The model behind P(alive), expected purchases and predicted CLV." })
  drivingModel!: BtydModelEnum;

  @Field(() => BgNbdFit)
  bgNbd!: BgNbdFit;

  @Field(() => ParetoNbdFit)
  paretoNbd!: ParetoNbdFit;

  @Field(() => GammaGammaFit)
  gammaGamma!: GammaGammaFit;

  @Field(() => HoldoutDiagnostics, { nullable: true, description: "Null when too few customers had a calibration period." })
  holdout!: HoldoutDiagnostics | null;

  @Field(() => [ScoreHistogramBin], { description: "P(alive) in 10 bins of 0.1 over [0, 1]." })
  pAliveHistogram!: ScoreHistogramBin[];

  @Field(() => [ScoreHistogramBin], {
    description: "Predicted CLV (settings' currency) in 20 equal bins from 0 to its 99th percentile, plus an open bin above it.",
  })
  clvHistogram!: ScoreHistogramBin[];

  @Field(() => Int, { description: "Predicted CLV horizon in 30-day months." })
  horizonMonths!: number;

  @Field(() => Float, { description: "Monthly discount rate of the predicted CLV." })
  monthlyDiscountRate!: number;

  @Field(() => Float, { description: "Gross margin applied to the predicted CLV." })
  margin!: number;
}
