-- The single settings row, with the defaults of a Japanese retailer: Asia/Tokyo, JPY,
-- 30% gross margin, RFM by operator thresholds (days since last purchase; purchase days;
-- revenue in the currency's unit).
INSERT INTO "settings" ("id", "rfm_thresholds")
VALUES (1, '{"recencyDays":[30,60,90,180],"frequency":[1,2,4,9],"monetary":[5000,15000,40000,100000]}'::jsonb)
ON CONFLICT ("id") DO NOTHING;
