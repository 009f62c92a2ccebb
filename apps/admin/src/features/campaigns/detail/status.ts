import type { CampaignStatus } from "../../../gql/graphql.ts";

type TagType = "default" | "info" | "success" | "warning" | "error";

/** One colour per PDCA stage, the same on the tag, the chain and the timeline. */
export function statusTagType(status: CampaignStatus): TagType {
  switch (status) {
    case "DRAFT":
      return "default";
    case "PLANNED":
    case "RUNNING":
      return "info";
    case "MEASURING":
    case "CHECKED":
      return "warning";
    case "ACTED":
      return "success";
    case "CANCELLED":
      return "error";
  }
}
