-- Second boot on the same disk: what the first boot wrote is there; change it and check the file.
PRAGMA journal_mode=MEMORY;
PRAGMA user_version;
SELECT count(*), round(sum(value), 1) FROM reading;
BEGIN;
DELETE FROM reading WHERE sensor = 's0';
UPDATE reading SET value = value * 2 WHERE sensor = 's1';
INSERT INTO reading(sensor, value, at) VALUES ('s9', 42.5, '2030-01-01 00:00:00');
COMMIT;
BEGIN;
DELETE FROM reading;
ROLLBACK;
SELECT sensor, count(*), round(avg(value), 3) FROM reading GROUP BY sensor ORDER BY sensor;
PRAGMA user_version = 2;
PRAGMA integrity_check;
