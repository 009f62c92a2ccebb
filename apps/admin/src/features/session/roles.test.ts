import { describe, expect, it } from "vitest";
import { createI18n } from "vue-i18n";
import { messages } from "../../i18n/messages.ts";
import { roleCan, rolesWith } from "./composables/use-session.ts";

describe("who may open a page", () => {
  it("names the roles that have the route's capability, not just administrators", () => {
    expect(rolesWith("import")).toEqual(["ADMIN", "OPERATOR"]);
    expect(rolesWith("settings")).toEqual(["ADMIN"]);
    expect(rolesWith("review")).toEqual(["ADMIN", "REVIEWER"]);
    expect(rolesWith("nonsense")).toBeNull();
    for (const role of rolesWith("campaign") ?? []) expect(roleCan(role, "campaign")).toBe(true);
  });

  it("the not-allowed wording takes the list of roles in both languages", () => {
    for (const [locale, list, expected] of [
      ["ja", "管理者、オペレーター", /^\/imports を開けるのは 管理者、オペレーター のロールです。/],
      ["en", "Admin and Operator", /^\/imports is for these roles: Admin and Operator\./],
    ] as const) {
      const { t } = createI18n({ legacy: false, locale, messages }).global;
      expect(new Intl.ListFormat(locale === "ja" ? "ja-JP" : "en-US", { type: "conjunction" }).format((rolesWith("import") ?? []).map((r) => t(`roles.${r}`)))).toBe(list);
      expect(t("notAllowed.body", { page: "/imports", roles: list, role: t("roles.ANALYST") })).toMatch(expected);
    }
  });
});
