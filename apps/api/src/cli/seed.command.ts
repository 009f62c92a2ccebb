import { InvalidArgumentError, type Command } from "commander";
import { withDatabase } from "./context.ts";
import { createProgress } from "./progress.ts";
import { seedDemoData } from "../modules/seed/seed.service.ts";
import { finishDemo } from "./first-snapshot.ts";

export const parsePositiveInt = (label: string, max = Number.MAX_SAFE_INTEGER) => (raw: string) => {
  const value = Number(raw.replaceAll("_", ""));
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(`${label} must be a whole number from 1 to ${max}; got "${raw}".`);
  }
  return value;
};

export const parseDateOption = (raw: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) {
    throw new InvalidArgumentError(`expected a date as YYYY-MM-DD; got "${raw}".`);
  }
  return raw;
};

/** Midnight of today's date in Tokyo, as a UTC instant. */
export function startOfTodayInTokyo(now = new Date()): Date {
  const tokyoDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(now);
  return new Date(`${tokyoDate}T00:00:00+09:00`);
}

export function register(program: Command): void {
  program
    .command("seed")
    .description(
      "Write a realistic demo data set: customers drawn from a buy-till-you-die process with their orders over the last years, and one user per role.",
    )
    .option("--seed <n>", "random seed; the same seed and --as-of give the same data", parsePositiveInt("--seed"), 42)
    .option("--customers <n>", "number of customers", parsePositiveInt("--customers", 20_000_000), 20_000)
    .option("--years <n>", "years of order history", parsePositiveInt("--years", 20), 3)
    .option("--as-of <date>", "end of the history, YYYY-MM-DD (default: today in Asia/Tokyo)", parseDateOption)
    .option("--reset", "delete all customers, orders, scores, segments and campaigns first", false)
    .option("--no-users", "do not create the demo users")
    .option("--no-campaigns", "do not plant the past demo campaigns")
    .option("--no-snapshot", "do not compute the first snapshot after seeding")
    .option("--no-loyalty", "do not run the demo points programme and stamp card (at a million customers they take most of the seed's time)")
    .action(async (opts: { seed: number; customers: number; years: number; asOf?: string; reset: boolean; users: boolean; snapshot: boolean; campaigns: boolean; loyalty: boolean }) => {
      await withDatabase(async (handle, env) => {
        const asOf = opts.asOf ? new Date(`${opts.asOf}T00:00:00+09:00`) : startOfTodayInTokyo();
        const result = await seedDemoData(handle, {
          seed: opts.seed,
          customers: opts.customers,
          years: opts.years,
          asOf,
          reset: opts.reset,
          loyalty: opts.loyalty,
          importHistory: true,
          demoPassword: opts.users ? env.demoPassword : undefined,
          progress: createProgress(),
        });
        process.stdout.write(
          `Seeded ${result.customers.toLocaleString("en-US")} customers and ${result.orders.toLocaleString("en-US")} orders in ${result.seconds.toFixed(1)} s ` +
            `(${Math.round(result.orders / result.seconds).toLocaleString("en-US")} orders/s).\n`,
        );
        await finishDemo(handle, { asOf, seed: opts.seed, campaigns: opts.campaigns, snapshot: opts.snapshot });
        if (result.users.length > 0) {
          process.stdout.write(`Demo users (password from LTVLOOP_DEMO_PASSWORD): ${result.users.map((u) => u.email).join(", ")}\n`);
        }
      });
    });
}
