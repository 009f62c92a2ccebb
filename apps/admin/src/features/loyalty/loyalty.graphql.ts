import { graphql } from "../../gql/index.ts";

export const LoyaltySettingsQuery = graphql(`
  query LoyaltySettings {
    loyaltySettings {
      pointsProgramme { id name }
      stampProgramme { id name }
      pointRules {
        id
        effectiveFrom
        earnRate
        channelMultipliers { key multiplier }
        tierMultipliers { key multiplier }
        rounding
        minOrderAmount
        expiryMode
        expiryDays
        expiryDate
        pointValue
        isCurrent
      }
      stampRules { id effectiveFrom thresholdAmount per cardSize rewardLabel rewardValue cardExpiryDays isCurrent }
    }
  }
`);

export const LoyaltyAnalysisQuery = graphql(`
  query LoyaltyAnalysis {
    loyaltyAnalysis {
      asOf
      snapshotId
      pointValue
      currency
      maxCardSize
      activityVsRepeatLabel
      totals { ...LoyaltyGroupFields }
      segments { ...LoyaltyGroupFields }
      cells { ...LoyaltyGroupFields }
      liabilityOverTime { month outstandingPoints pointValue liability earned redeemed expired }
      activityVsRepeat { activity customers repeatRate meanOrders meanRevenue }
    }
  }
  fragment LoyaltyGroupFields on LoyaltyGroupRow {
    key
    rScore
    fScore
    customers
    members
    membersWithBalance
    meanBalance
    pointsEarned
    pointsRedeemed
    pointsExpired
    outstandingPoints
    earnRate
    redemptionRate
    breakageRate
    liability
    openCards
    rewardCompletions
    stampsToReward
  }
`);

export const AddLoyaltyPointRuleMutation = graphql(`
  mutation AddLoyaltyPointRule($input: LoyaltyPointRuleInput!) {
    addLoyaltyPointRule(input: $input) { pointRules { id isCurrent } }
  }
`);

export const CustomerLoyaltyQuery = graphql(`
  query CustomerLoyalty($customerId: ID!) {
    customerLoyalty(customerId: $customerId, limit: 100) {
      balance
      pointsExpiringIn30Days
      entries { id kind points occurredAt expiresAt sourceOrderExternalId note balanceAfter }
      cards { cardNo stamps cardSize startedAt completedAt expiresAt status rewardLabel }
    }
  }
`);

export const RecordLoyaltyEntryMutation = graphql(`
  mutation RecordLoyaltyEntry($input: LoyaltyEntryInput!) {
    recordLoyaltyEntry(input: $input) { points balance isReplay }
  }
`);
