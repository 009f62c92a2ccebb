import { graphql } from "../../../gql/index.ts";

graphql(`
  fragment DeliveryArmFields on DeliveryArm {
    group roster contacted contactedShare reached reachedShare
    events { event customers share }
  }
`);

/** The delivery results imported so far (counted up to now), for the campaign page. */
export const CampaignDeliveriesQuery = graphql(`
  query CampaignDeliveries($id: ID!) {
    campaign(id: $id) {
      id
      deliveries {
        rows
        lastImportedAt
        reachedEvent
        arms { ...DeliveryArmFields }
        warnings { code severity customers share }
      }
    }
  }
`);

/** Exposure in the newest measurement: rates, checks and the CACE next to the ITT. */
export const CampaignDeliveryResultQuery = graphql(`
  query CampaignDeliveryResult($id: ID!) {
    campaign(id: $id) {
      id
      latestResult {
        id
        delivery {
          hasData reachedEvent rows reachedTreatment reachedControl compliance reachedAfterWindow coverageThreshold method methodCode
          arms { ...DeliveryArmFields }
          warnings { code severity customers share }
          conversion { metric itt ittCi { lower upper } estimate ci { lower upper } intervalKind verdict isSignificant critical analysis method methodCode }
          revenuePerCustomer { metric itt ittCi { lower upper } estimate ci { lower upper } intervalKind verdict isSignificant critical analysis method methodCode }
        }
      }
    }
  }
`);

export const ImportDeliveriesMutation = graphql(`
  mutation ImportDeliveries($campaignId: ID!, $csv: String!, $fileName: String!, $dryRun: Boolean!) {
    importDeliveries(campaignId: $campaignId, csv: $csv, fileName: $fileName, dryRun: $dryRun) {
      campaignId fileName isDryRun rowsRead delimiter inserted updated unchanged controlCustomers
    }
  }
`);
