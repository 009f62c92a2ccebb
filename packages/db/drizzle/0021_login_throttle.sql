-- Failed sign-in counters shared by every server process on this database (rate-limiter-flexible's
-- PostgreSQL store: key, points consumed, expiry in epoch milliseconds). Before, each process
-- counted in its own memory, so N servers behind a proxy allowed N times the guesses. Unlogged:
-- a crash forgets the counters, which only shortens blocks in progress.
CREATE UNLOGGED TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" bigint
);
