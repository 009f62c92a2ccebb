-- The single settings row, with the defaults of a Japanese retailer: Asia/Tokyo, JPY,
-- 30% gross margin, RFM by operator thresholds (R: upper bounds in days for scores 5..2;
-- F and M: lower bounds in purchase days and currency units for scores 2..5).
INSERT INTO "settings" ("id", "rfm_thresholds")
VALUES (1, '{"recencyDays":[30,60,90,180],"frequency":[2,3,5,10],"monetary":[10000,30000,50000,100000]}'::jsonb)
ON CONFLICT ("id") DO NOTHING;
