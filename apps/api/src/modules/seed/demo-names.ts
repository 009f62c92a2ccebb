// Vocabulary for fictitious demo customers. Common Japanese family and given names combined at
// random describe no real person; e-mail addresses are all @example.com (RFC 2606).
import { PREFECTURES as OFFICIAL_PREFECTURES } from "../customers/prefectures.ts";

export const FAMILY_NAMES = [
  "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
  "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水",
  "山崎", "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川",
  "前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本",
] as const;

export const GIVEN_NAMES_FEMALE = [
  "陽葵", "凛", "結菜", "葵", "美咲", "さくら", "優奈", "愛", "七海", "花",
  "由美", "恵子", "直美", "真由美", "久美子", "明美", "裕子", "智子", "彩", "舞",
] as const;

export const GIVEN_NAMES_MALE = [
  "蓮", "湊", "陽翔", "樹", "大和", "悠真", "翔", "健太", "大輔", "拓也",
  "誠", "浩", "修", "隆", "剛", "直樹", "和也", "亮", "翼", "航",
] as const;

/** Prefectures weighted roughly by population (millions), so Tokyo and Osaka dominate as in life. */
/** Share of Japan's population per prefecture (percent), in the official order of `PREFECTURES`. */
const PREFECTURE_SHARES = [
  5.1, 1.2, 1.2, 2.3, 0.9, 1.0, 1.8, 2.8, 1.9, 1.9, 7.3, 6.3, 14.0, 9.2, 2.1, 1.0, 1.1, 0.8, 0.8, 2.0, 1.9, 3.6, 7.5, 1.7,
  1.4, 2.5, 8.8, 5.4, 1.3, 0.9, 0.5, 0.7, 1.9, 2.7, 1.3, 0.7, 0.9, 1.3, 0.7, 5.1, 0.8, 1.3, 1.7, 1.1, 1.1, 1.6, 1.5,
];
export const PREFECTURES: readonly (readonly [string, number])[] = OFFICIAL_PREFECTURES.map((p, i) => [p.name, PREFECTURE_SHARES[i] ?? 0] as const);

/**
 * Acquisition channels: share of new customers, cost per acquisition (JPY), a multiplier on the
 * purchase rate, one on the chance of dropping out after each purchase, and a floor under that
 * chance. They differ enough for the acquisition page to tell a story: social brings cheap
 * customers who mostly buy once and never return (their gross profit does not cover their
 * cost); the store's customers cost the most but buy often, stay and pay back; referrals are
 * cheap and loyal; paid search and affiliates sit in between. The cost of paid search
 * (`isMonthlySpend`) is known only as monthly spend, as ad platforms report it: the seed stores
 * its cost per month in channel_spend and none per customer.
 */
export const ACQUISITION_CHANNELS: readonly {
  key: string;
  share: number;
  cost: number;
  rateMultiplier: number;
  dropoutMultiplier: number;
  /** The least chance of dropping out after a purchase (social's one-off buyers). */
  dropoutFloor: number;
  isMonthlySpend: boolean;
}[] = [
  { key: "organic_search", share: 0.26, cost: 0, rateMultiplier: 1.0, dropoutMultiplier: 1, dropoutFloor: 0, isMonthlySpend: false },
  { key: "paid_search", share: 0.22, cost: 5500, rateMultiplier: 0.85, dropoutMultiplier: 1, dropoutFloor: 0, isMonthlySpend: true },
  { key: "social", share: 0.16, cost: 2500, rateMultiplier: 0.6, dropoutMultiplier: 1, dropoutFloor: 0.75, isMonthlySpend: false },
  { key: "affiliate", share: 0.1, cost: 4500, rateMultiplier: 0.8, dropoutMultiplier: 1.2, dropoutFloor: 0, isMonthlySpend: false },
  { key: "referral", share: 0.08, cost: 2000, rateMultiplier: 1.3, dropoutMultiplier: 0.8, dropoutFloor: 0, isMonthlySpend: false },
  { key: "store", share: 0.18, cost: 9000, rateMultiplier: 1.15, dropoutMultiplier: 0.6, dropoutFloor: 0, isMonthlySpend: false },
];

/** Order channels and their shares. */
export const ORDER_CHANNELS: readonly (readonly [string, number])[] = [
  ["online", 0.55],
  ["app", 0.25],
  ["store", 0.2],
];
