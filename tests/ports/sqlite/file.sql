-- A file database (in /tmp in the guest): rollback journal next to it, reopened and checked.
.read schema.sql
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
  INSERT INTO emp(id, name, dept_id, salary, hired)
  SELECT i, 'emp' || i, i % 7, 30000 + (i * 7919) % 90000, date('2000-01-01', '+' || (i % 8000) || ' days') FROM n;
INSERT INTO dept(id, name, budget) SELECT DISTINCT dept_id, 'dept' || dept_id, dept_id * 1000.5 FROM emp;
COMMIT;
BEGIN;
DELETE FROM emp WHERE id % 3 = 0;
ROLLBACK;
BEGIN;
UPDATE emp SET salary = salary + 1000 WHERE dept_id = 3;
DELETE FROM emp WHERE id % 10 = 0;
COMMIT;
