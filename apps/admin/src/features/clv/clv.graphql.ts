import { graphql } from "../../gql/index.ts";

export const ClvModelQuery = graphql(`
  query ClvModel {
    clvModel {
      asOf
      timeUnit
      drivingModel
      customers
      fitCustomers
      horizonMonths
      monthlyDiscountRate
      margin
      bgNbd { r alpha a b logLikelihood converged error }
      paretoNbd { r alpha s beta logLikelihood converged error }
      gammaGamma { p q gamma logLikelihood converged error }
      holdout { calibrationEnd holdoutDays totalActual totalPredicted byFrequency { frequency customers actualMean predictedMean isOpenEnded } error }
      pAliveHistogram { from to customers }
    }
  }
`);
