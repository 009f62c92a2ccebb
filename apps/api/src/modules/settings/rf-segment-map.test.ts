// The RF segment map is editable by admins: validated (every cell one known segment), audited,
// and used by the next snapshot's parameters; a reset returns to the default.
import { DEFAULT_RF_SEGMENT_MAP } from "@ltvloop/scoring/rfm";
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { resolveParameters } from "../snapshots/snapshot.service.ts";
import { rfSegmentMapProblems } from "./settings.service.ts";

const UPDATE = `mutation($input: UpdateSettingsInput!) { updateSettings(input: $input) { rfmSegmentMap effectiveRfmSegmentMap } }`;

describe("rfSegmentMapProblems", () => {
  it("accepts the default and names each bad cell", () => {
    expect(rfSegmentMapProblems(DEFAULT_RF_SEGMENT_MAP)).toEqual([]);
    const map = DEFAULT_RF_SEGMENT_MAP.map((row) => [...row]) as string[][];
    (map[0] as string[])[4] = "vip";
    expect(rfSegmentMapProblems(map)).toEqual([expect.objectContaining({ path: "rfmSegmentMap.R1F5", reason: "RF_MAP_UNKNOWN_SEGMENT" })]);
    expect(rfSegmentMapProblems([...DEFAULT_RF_SEGMENT_MAP.slice(0, 4), ["lost"]])).toEqual([expect.objectContaining({ path: "rfmSegmentMap.R5" })]);
    expect(rfSegmentMapProblems(map.slice(0, 3))).toEqual([expect.objectContaining({ reason: "RF_MAP_SHAPE" })]);
  });
});

describe.each(testDatabaseKinds())("RF segment map on %s", (kind) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(kind);
  });
  afterAll(async () => {
    await api.close();
  });

  it("saves a valid map for admins, audits it with the map it replaced, and the next snapshot uses it", async () => {
    const admin = await api.loginAs("admin");
    const map = DEFAULT_RF_SEGMENT_MAP.map((row) => [...row]);
    (map[4] as string[])[0] = "promising";
    const res = await api.gql<{ updateSettings: { effectiveRfmSegmentMap: string[][] } }>(UPDATE, { input: { rfmSegmentMap: map } }, { cookie: admin });
    expect(res.errors).toBeUndefined();
    expect(res.data?.updateSettings.effectiveRfmSegmentMap[4]?.[0]).toBe("promising");
    const params = await resolveParameters(api.db.query, {});
    expect(params.rfSegmentMap[4]?.[0]).toBe("promising");
    const [audit] = await api.db.query<{ details: { rfmSegmentMap: string[][]; rfmSegmentMapBefore: unknown } }>(
      "select details from audit_log where operation = 'settings.update' order by id desc limit 1",
    );
    expect(audit?.details.rfmSegmentMap[4]?.[0]).toBe("promising");
    expect(audit?.details.rfmSegmentMapBefore).toBeNull();

    const reset = await api.gql<{ updateSettings: { rfmSegmentMap: unknown; effectiveRfmSegmentMap: string[][] } }>(UPDATE, { input: { resetRfmSegmentMap: true } }, { cookie: admin });
    expect(reset.data?.updateSettings.rfmSegmentMap).toBeNull();
    expect(reset.data?.updateSettings.effectiveRfmSegmentMap[4]?.[0]).toBe("new");
  });

  it("refuses a map with an unknown segment or a missing cell, and non-admins", async () => {
    const admin = await api.loginAs("admin");
    const bad = DEFAULT_RF_SEGMENT_MAP.map((row) => [...row]);
    (bad[2] as string[])[1] = "vip";
    (bad[3] as string[]).pop();
    const res = await api.gql(UPDATE, { input: { rfmSegmentMap: bad } }, { cookie: admin });
    expect((res.errors?.[0]?.extensions?.problems ?? []).map((p) => p.path)).toEqual(["rfmSegmentMap.R3F2", "rfmSegmentMap.R4"]);
    const [row] = await api.db.query<{ rfm_segment_map: unknown }>("select rfm_segment_map from settings");
    expect(row?.rfm_segment_map).toBeNull();
    const operator = await api.loginAs("operator");
    const refused = await api.gql(UPDATE, { input: { rfmSegmentMap: DEFAULT_RF_SEGMENT_MAP } }, { cookie: operator });
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
