// Japan's 47 prefectures in their official order (JIS X 0401 codes 01–47), with the romanised
// names shops export. A customer's prefecture is stored as the official name (東京都), so a filter
// or segment rule on 東京都 finds customers whose file said 東京, Tokyo, TOKYO-TO or Tōkyō.

export const PREFECTURES: readonly { name: string; romaji: string }[] = [
  { name: "北海道", romaji: "hokkaido" }, { name: "青森県", romaji: "aomori" }, { name: "岩手県", romaji: "iwate" },
  { name: "宮城県", romaji: "miyagi" }, { name: "秋田県", romaji: "akita" }, { name: "山形県", romaji: "yamagata" },
  { name: "福島県", romaji: "fukushima" }, { name: "茨城県", romaji: "ibaraki" }, { name: "栃木県", romaji: "tochigi" },
  { name: "群馬県", romaji: "gunma" }, { name: "埼玉県", romaji: "saitama" }, { name: "千葉県", romaji: "chiba" },
  { name: "東京都", romaji: "tokyo" }, { name: "神奈川県", romaji: "kanagawa" }, { name: "新潟県", romaji: "niigata" },
  { name: "富山県", romaji: "toyama" }, { name: "石川県", romaji: "ishikawa" }, { name: "福井県", romaji: "fukui" },
  { name: "山梨県", romaji: "yamanashi" }, { name: "長野県", romaji: "nagano" }, { name: "岐阜県", romaji: "gifu" },
  { name: "静岡県", romaji: "shizuoka" }, { name: "愛知県", romaji: "aichi" }, { name: "三重県", romaji: "mie" },
  { name: "滋賀県", romaji: "shiga" }, { name: "京都府", romaji: "kyoto" }, { name: "大阪府", romaji: "osaka" },
  { name: "兵庫県", romaji: "hyogo" }, { name: "奈良県", romaji: "nara" }, { name: "和歌山県", romaji: "wakayama" },
  { name: "鳥取県", romaji: "tottori" }, { name: "島根県", romaji: "shimane" }, { name: "岡山県", romaji: "okayama" },
  { name: "広島県", romaji: "hiroshima" }, { name: "山口県", romaji: "yamaguchi" }, { name: "徳島県", romaji: "tokushima" },
  { name: "香川県", romaji: "kagawa" }, { name: "愛媛県", romaji: "ehime" }, { name: "高知県", romaji: "kochi" },
  { name: "福岡県", romaji: "fukuoka" }, { name: "佐賀県", romaji: "saga" }, { name: "長崎県", romaji: "nagasaki" },
  { name: "熊本県", romaji: "kumamoto" }, { name: "大分県", romaji: "oita" }, { name: "宮崎県", romaji: "miyazaki" },
  { name: "鹿児島県", romaji: "kagoshima" }, { name: "沖縄県", romaji: "okinawa" },
];

const OFFICIAL = new Set(PREFECTURES.map((p) => p.name));
const BY_SPELLING = new Map<string, string>();
for (const { name, romaji } of PREFECTURES) {
  BY_SPELLING.set(name, name);
  // 東京 for 東京都, 大阪 for 大阪府, 神奈川 for 神奈川県 (北海道 has no shorter form).
  if (name !== "北海道") BY_SPELLING.set(name.slice(0, -1), name);
  BY_SPELLING.set(romaji, name);
}

/** Lower case, no accents or long-vowel marks (Tōkyō → tokyo), no suffix (-to, -fu, -ken, -do, prefecture). */
function romanKey(raw: string): string {
  return raw
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s*(prefecture|pref\.?)$/, "")
    .replace(/[\s-]*(to|fu|ken|do)$/, (suffix, _s, offset: number, whole: string) => (BY_SPELLING.has(whole.slice(0, offset)) ? "" : suffix))
    .replace(/[\s-]+/g, "");
}

export type PrefectureReading = { ok: true; value: string } | { ok: false; suggestion?: string };

/** The official name for a cell that names a prefecture (東京都, 東京, Tokyo, Tokyo-to, Tōkyō), or the closest one as a suggestion. */
export function readPrefecture(raw: string): PrefectureReading {
  const cell = raw.normalize("NFKC").trim();
  if (OFFICIAL.has(cell)) return { ok: true, value: cell };
  const key = romanKey(cell);
  const found = BY_SPELLING.get(cell) ?? BY_SPELLING.get(key);
  if (found) return { ok: true, value: found };
  return { ok: false, suggestion: closest(key) };
}

/** True when the cell is already an official name (the import's fast lane takes only those). */
export const isOfficialPrefecture = (cell: string): boolean => OFFICIAL.has(cell);

/** The prefecture whose romanised name is within two edits of `key` (Tokio → 東京都), if exactly one is nearest. */
function closest(key: string): string | undefined {
  if (key.length < 3) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  let tie = false;
  for (const { name, romaji } of PREFECTURES) {
    const d = editDistance(key, romaji);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  return tie ? undefined : best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
