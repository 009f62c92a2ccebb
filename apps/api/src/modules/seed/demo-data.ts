// The demo population: a heterogeneous buy-till-you-die process (Fader, Hardie & Lee 2005),
// so the CLV models have something real to recover. Per customer: purchase rate λ ~ Gamma(r, α),
// dropout probability after each purchase p ~ Beta(a, b), spend per order from the Gamma-Gamma
// model (ν ~ Gamma(q, γ), z ~ Gamma(p, ν)). Deterministic for a given seed.
import betaFactory from "@stdlib/random-base-beta";
import gammaFactory from "@stdlib/random-base-gamma";
import mt19937 from "@stdlib/random-base-mt19937";
import {
  ACQUISITION_CHANNELS,
  FAMILY_NAMES,
  GIVEN_NAMES_FEMALE,
  GIVEN_NAMES_MALE,
  ORDER_CHANNELS,
  PREFECTURES,
} from "./demo-names.ts";

/** The true parameters of the demo process (weeks, JPY), so tests can check the fits. */
export const DEMO_TRUTH = {
  /** BG/NBD: λ ~ Gamma(shape r, rate α) per week; p ~ Beta(a, b). */
  bgNbd: { r: 1.0, alpha: 4, a: 0.6, b: 5.5 },
  /** Gamma-Gamma spend per order: z ~ Gamma(p, ν), ν ~ Gamma(q, γ); mean p·γ/(q−1) ≈ ¥6,000. */
  gammaGamma: { p: 4, q: 3.5, gamma: 3750 },
  refundRate: 0.03,
  cancelRate: 0.015,
} as const;

export interface DemoOptions {
  seed: number;
  customers: number;
  /** Length of the history before `asOf`. */
  years: number;
  /** End of the history (exclusive); orders fall before it. */
  asOf: Date;
}

export interface DemoOrder {
  externalId: string;
  orderedAt: Date;
  amount: number;
  status: "completed" | "refunded" | "cancelled";
  channel: string;
  items: number;
}

export interface DemoCustomer {
  externalId: string;
  name: string;
  email: string;
  attributes: { prefecture: string; gender: string; birthYear: number };
  acquisitionChannel: string;
  acquisitionCost: number;
  acquiredAt: Date;
  emailOptIn: boolean;
  lineOptIn: boolean;
  smsOptIn: boolean;
  dmOptIn: boolean;
  orders: DemoOrder[];
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const JST_OFFSET_MS = 9 * 3_600_000;
/** Share of orders by hour of day in Japan: quiet at night, peaks at lunch and in the evening. */
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2.2, 2.8, 3.2, 3.6, 4.2, 3.8, 3.3, 3.2, 3.3, 3.6, 4.0, 4.6, 5.2, 5.4, 4.4, 2.4];

function cumulative(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return weights.map((w) => (acc += w / total));
}

function pick<T>(items: readonly T[], cdf: readonly number[], u: number): T {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < (cdf[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return items[lo] as T;
}

/** Yields demo customers with their orders, one at a time, so memory stays flat at any size. */
export function* generateDemoCustomers(options: DemoOptions): Generator<DemoCustomer> {
  const prng = mt19937.factory({ seed: options.seed >>> 0 });
  const uniform = (prng as unknown as { normalized: () => number }).normalized;
  const gamma = gammaFactory.factory({ prng: uniform });
  const beta = betaFactory.factory({ prng: uniform });
  const { bgNbd, gammaGamma } = DEMO_TRUTH;

  const prefectureCdf = cumulative(PREFECTURES.map(([, w]) => w));
  const prefectureNames = PREFECTURES.map(([name]) => name);
  const channelCdf = cumulative(ACQUISITION_CHANNELS.map((c) => c.share));
  const orderChannelCdf = cumulative(ORDER_CHANNELS.map(([, w]) => w));
  const orderChannels = ORDER_CHANNELS.map(([name]) => name);
  const hourCdf = cumulative(HOUR_WEIGHTS);
  const hours = HOUR_WEIGHTS.map((_, h) => h);

  const end = options.asOf.getTime();
  const start = end - Math.round(options.years * 365.25) * DAY_MS;
  const width = end - start;
  const digits = Math.max(6, String(options.customers).length);

  /** A time on the JST calendar day containing `t`, at an hour drawn from HOUR_WEIGHTS. */
  const atTimeOfDay = (t: number): number => {
    const jstDay = Math.floor((t + JST_OFFSET_MS) / DAY_MS) * DAY_MS - JST_OFFSET_MS;
    const hour = pick(hours, hourCdf, uniform());
    return jstDay + hour * 3_600_000 + Math.floor(uniform() * 3_600_000);
  };

  /** Acquisition time: cohorts grow over the years, with December and July gift-season peaks. */
  const acquisitionTime = (): number => {
    for (;;) {
      const frac = uniform();
      const t = start + frac * width;
      const month = new Date(t + JST_OFFSET_MS).getUTCMonth();
      const weight = (0.55 + 0.45 * frac) * (month === 11 ? 1.35 : month === 6 ? 1.15 : 1);
      if (uniform() * 1.35 < weight) return t;
    }
  };

  for (let i = 1; i <= options.customers; i++) {
    const externalId = `C${String(i).padStart(digits, "0")}`;
    const isFemale = uniform() < 0.56;
    const family = FAMILY_NAMES[Math.floor(uniform() * FAMILY_NAMES.length)] as string;
    const givenList = isFemale ? GIVEN_NAMES_FEMALE : GIVEN_NAMES_MALE;
    const given = givenList[Math.floor(uniform() * givenList.length)] as string;
    const genderDraw = uniform();
    const gender = genderDraw < 0.03 ? "unspecified" : isFemale ? "female" : "male";
    const birthYear = Math.min(2007, Math.max(1940, Math.round(1982 + 13 * (uniform() + uniform() + uniform() - 1.5) * 1.4)));
    const channel = pick(ACQUISITION_CHANNELS, channelCdf, uniform());
    const acquiredAt = atTimeOfDay(acquisitionTime());

    // BG/NBD: rate per week and the chance of dropping out after each purchase.
    const lambda = gamma(bgNbd.r, bgNbd.alpha) * channel.rateMultiplier;
    const dropout = Math.max(channel.dropoutFloor, Math.min(0.95, beta(bgNbd.a, bgNbd.b) * channel.dropoutMultiplier));
    // Gamma-Gamma: this customer's spend scale.
    const nu = gamma(gammaGamma.q, gammaGamma.gamma);

    const orders: DemoOrder[] = [];
    let t = acquiredAt;
    for (let n = 1; t < end; n++) {
      const draw = uniform();
      const status = draw < DEMO_TRUTH.cancelRate ? "cancelled" : draw < DEMO_TRUTH.cancelRate + DEMO_TRUTH.refundRate ? "refunded" : "completed";
      const amount = Math.max(100, Math.round(gamma(gammaGamma.p, nu)));
      let items = 1;
      while (uniform() < 0.35 && items < 12) items++;
      orders.push({
        externalId: `${externalId}-${String(n).padStart(4, "0")}`,
        orderedAt: new Date(t),
        amount,
        status,
        channel: pick(orderChannels, orderChannelCdf, uniform()),
        items,
      });
      if (uniform() < dropout || lambda <= 0) break;
      // Exponential waiting time to the next purchase, in weeks.
      const wait = -Math.log(1 - uniform()) / lambda;
      t = atTimeOfDay(t + wait * WEEK_MS);
      if (t <= (orders[orders.length - 1] as DemoOrder).orderedAt.getTime()) t += DAY_MS;
    }

    yield {
      externalId,
      name: `${family} ${given}`,
      email: `customer${String(i).padStart(digits, "0")}@example.com`,
      attributes: { prefecture: pick(prefectureNames, prefectureCdf, uniform()), gender, birthYear },
      acquisitionChannel: channel.key,
      acquisitionCost: channel.cost,
      acquiredAt: new Date(acquiredAt),
      emailOptIn: uniform() < 0.82,
      lineOptIn: uniform() < 0.45,
      smsOptIn: uniform() < 0.15,
      dmOptIn: uniform() < 0.6,
      orders,
    };
  }
}
