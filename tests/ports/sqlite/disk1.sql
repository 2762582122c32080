-- First boot on the --disk device: create and fill (journal in memory: no -journal file can live next to /dev/vda).
PRAGMA journal_mode=MEMORY;
CREATE TABLE reading(id INTEGER PRIMARY KEY, sensor TEXT, value REAL, at TEXT);
CREATE INDEX reading_sensor ON reading(sensor, at);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
  INSERT INTO reading(sensor, value, at)
  SELECT 's' || (i % 5), round((i * 37 % 1000) / 10.0, 1), datetime(1700000000 + i * 60, 'unixepoch') FROM n;
COMMIT;
SELECT sensor, count(*), round(avg(value), 3), min(at), max(at) FROM reading GROUP BY sensor ORDER BY sensor;
PRAGMA user_version = 1;
