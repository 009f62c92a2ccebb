import { graphql } from "../../gql/index.ts";

export const AcquisitionEconomicsQuery = graphql(`
  query AcquisitionEconomics($groupBy: AcquisitionGroupBy!, $cohortUnit: CohortUnit!) {
    acquisitionEconomics(groupBy: $groupBy, cohortUnit: $cohortUnit) {
      asOf
      snapshotId
      horizonMonths
      monthlyDiscountRate
      snapshotMargin
      defaultMargin
      groups {
        channel
        isUnknownChannel
        cohort
        customers
        customersWithoutCost
        totalCac
        meanCac
        realisedGrossProfit
        predictedClv
        ltv
        ltvPerCustomer
        ltvToCac
        ltvToCacInterval { lower upper }
        paybackMonth
        projectedPaybackMonth
        repeatRate
        retention12m
        curve { monthsSince customers cumulativeGrossProfitPerCustomer cacPerCustomer }
      }
    }
  }
`);

export const RetentionVsAcquisitionQuery = graphql(`
  query RetentionVsAcquisition($budget: Float) {
    retentionVsAcquisition(budget: $budget) {
      budget
      asOf
      rows {
        kind
        key
        label
        spend
        grossProfit
        grossProfitPerYen
        interval { lower upper }
        grossProfitForBudget
        customers
        assumptions { code parameters { key value } }
      }
    }
  }
`);
