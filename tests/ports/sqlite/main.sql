-- SQLite shell script: tables, indexes, joins, transactions, aggregates, CTEs, window functions.
.headers on
.read schema.sql
INSERT INTO dept VALUES (1, 'Engineering', 1.5e6), (2, 'Sales', 750000.5), (3, 'Research', NULL), (4, 'Empty', 0);
INSERT INTO emp(id, name, dept_id, salary, hired, manager_id) VALUES
  (1, 'Ada', 1, 185000, '2015-03-01', NULL),
  (2, 'Brian', 1, 120000, '2018-07-15', 1),
  (3, 'Chen', 1, 132000, '2017-01-09', 1),
  (4, 'Dora', 2, 98000, '2019-11-30', NULL),
  (5, 'Emil', 2, 87000, '2021-02-14', 4),
  (6, 'Fatima', 3, 143000, '2016-05-23', 1),
  (7, 'Goran', 3, 99000, '2022-08-01', 6),
  (8, 'Hana', NULL, 56000, '2023-01-02', NULL);
INSERT INTO project VALUES (1, 'Compiler', 1), (2, 'Kernel', 1), (3, 'Outreach', 2), (4, 'Quantum', 3);
INSERT INTO assignment VALUES (1, 1, 10), (1, 2, 25.5), (2, 2, 40), (3, 1, 38), (4, 3, 20),
  (5, 3, 35), (6, 4, 30), (7, 4, 12.25), (2, 1, 2);

.print -- joins
SELECT e.name, d.name AS dept FROM emp e JOIN dept d ON d.id = e.dept_id ORDER BY e.id;
SELECT e.name, coalesce(d.name, '(none)') AS dept FROM emp e LEFT JOIN dept d ON d.id = e.dept_id WHERE d.id IS NULL OR d.id = 3 ORDER BY e.name;
SELECT d.name, count(e.id) AS n FROM dept d LEFT JOIN emp e ON e.dept_id = d.id GROUP BY d.id ORDER BY n DESC, d.name;
SELECT e.name AS employee, m.name AS manager FROM emp e LEFT JOIN emp m ON m.id = e.manager_id ORDER BY e.id;
SELECT p.title, group_concat(e.name, '+') AS people, sum(a.hours) AS hours
  FROM project p JOIN assignment a ON a.project_id = p.id JOIN emp e ON e.id = a.emp_id
  GROUP BY p.id ORDER BY hours DESC;

.print -- aggregates
SELECT count(*), count(dept_id), sum(salary), avg(salary), min(salary), max(salary), total(NULL) FROM emp;
SELECT dept_id, count(*) AS n, avg(salary) AS mean, max(hired) FROM emp GROUP BY dept_id HAVING count(*) > 1 ORDER BY dept_id;
SELECT round(avg(budget), 2), sum(budget), typeof(sum(budget)), count(DISTINCT dept_id) FROM dept, emp WHERE emp.dept_id = dept.id;
SELECT substr(hired, 1, 4) AS year, count(*) FROM emp GROUP BY year ORDER BY year;

.print -- window functions and CTEs
SELECT name, dept_id, salary, rank() OVER (PARTITION BY dept_id ORDER BY salary DESC) AS r,
  sum(salary) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS running
  FROM emp ORDER BY id;
WITH RECURSIVE chain(id, name, depth, path) AS (
  SELECT id, name, 0, name FROM emp WHERE manager_id IS NULL
  UNION ALL
  SELECT e.id, e.name, c.depth + 1, c.path || ' > ' || e.name FROM emp e JOIN chain c ON e.manager_id = c.id
) SELECT depth, path FROM chain ORDER BY path;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
  SELECT count(*), sum(i), sum(i * i), group_concat(i) FILTER (WHERE i % 17 = 0) FROM n;

.print -- transactions
BEGIN;
UPDATE emp SET salary = salary * 2 WHERE dept_id = 2;
SELECT name, salary FROM emp WHERE dept_id = 2 ORDER BY id;
ROLLBACK;
SELECT name, salary FROM emp WHERE dept_id = 2 ORDER BY id;
BEGIN;
INSERT INTO dept VALUES (5, 'Legal', 1000);
SAVEPOINT sp1;
DELETE FROM dept WHERE id = 4;
SELECT count(*) FROM dept;
ROLLBACK TO sp1;
RELEASE sp1;
COMMIT;
SELECT id, name FROM dept ORDER BY id;
INSERT INTO emp(id, name, salary) VALUES (9, 'Bad', -1);
SELECT count(*) FROM emp;
INSERT OR REPLACE INTO dept VALUES (5, 'Legal & Compliance', 2000);
INSERT INTO dept VALUES (5, 'Duplicate', 1) ON CONFLICT(id) DO UPDATE SET budget = budget + excluded.budget;
SELECT * FROM dept WHERE id = 5;

.print -- indexes
EXPLAIN QUERY PLAN SELECT name FROM emp WHERE dept_id = 1;
EXPLAIN QUERY PLAN SELECT name FROM emp ORDER BY salary DESC, name;
SELECT name FROM emp WHERE dept_id = 1 ORDER BY name;
CREATE UNIQUE INDEX emp_name ON emp(name);
INSERT INTO emp(id, name, salary) VALUES (10, 'Ada', 1);
SELECT name, type, tbl_name FROM sqlite_schema WHERE type = 'index' ORDER BY name;
DROP INDEX emp_name;

.print -- types, functions, NULLs
SELECT 1 / 2, 1 / 2.0, 7 % 3, -7 / 2, 2147483647 * 2, 9223372036854775807 + 0, typeof(9223372036854775807 + 1);
SELECT 0.1 + 0.2, 1e308 * 10, -0.0, round(2.5), round(-2.5), round(3.14159, 3), abs(-5), sqrt(2), pow(2, 10), ln(10);
SELECT upper('straße'), lower('ÀB'), length('héllo'), length(x'00ff'), hex('abc'), quote('it''s'), quote(x'0102'), quote(NULL);
SELECT substr('abcdef', -3, 2), instr('hello', 'll'), replace('aaa', 'a', 'bb'), trim('  x  '), ltrim('xxy', 'x'), printf('%5.2f|%-4s|%04d|%x', 3.14159, 'ab', 42, 255);
SELECT NULL = NULL, NULL IS NULL, coalesce(NULL, NULL, 3), nullif(1, 1), ifnull(NULL, 'd'), iif(1 > 2, 'yes', 'no'), 1 IN (NULL, 1), 2 IN (NULL, 1);
SELECT date('2024-02-28', '+1 day'), date('2023-02-28', '+1 day'), strftime('%Y-%j %H:%M', '2024-12-31 23:59:59'), julianday('2000-01-01'), datetime(0, 'unixepoch');
SELECT json_object('a', 1, 'b', json_array(1, 2.5, 'x')), json_extract('{"k":[10,20]}', '$.k[1]'), 'abc' LIKE 'A%', 'abc' GLOB 'A*', 'a_c' LIKE 'a\_c' ESCAPE '\';
SELECT CAST('12abc' AS INTEGER), CAST(3.99 AS INTEGER), CAST(10 AS TEXT) || 'x', typeof(CAST('1.5' AS NUMERIC)), '10' + 5, '3' = 3;
SELECT total_changes() > 0, changes();
SELECT sum(value) FROM json_each('[1,2,3,4]');

.print -- output modes
.mode column
SELECT id, name, budget FROM dept ORDER BY id;
.mode csv
SELECT name, 'comma, quote"' AS odd, NULL AS empty FROM dept WHERE id < 3 ORDER BY id;
.mode json
SELECT id, name, budget FROM dept WHERE id <= 2 ORDER BY id;
.mode box
SELECT name, salary FROM emp ORDER BY salary DESC LIMIT 3;
.mode insert emp_copy
SELECT id, name, salary FROM emp WHERE id < 3;
.mode list
.headers off
SELECT 'done', count(*) FROM emp, dept;
