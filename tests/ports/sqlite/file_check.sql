-- Run after the shell reopened file.sql's database: the data, indexes and integrity survived.
.print -- reopened
SELECT count(*), sum(salary), min(hired), max(hired) FROM emp;
SELECT d.name, count(*), avg(e.salary) FROM emp e JOIN dept d ON d.id = e.dept_id GROUP BY d.id ORDER BY d.id;
SELECT name, salary FROM emp WHERE salary > 119000 ORDER BY salary DESC, id LIMIT 5;
CREATE INDEX emp_hired ON emp(hired);
SELECT count(*) FROM emp WHERE hired BETWEEN '2005-01-01' AND '2005-12-31';
PRAGMA integrity_check;
PRAGMA journal_mode;
VACUUM;
SELECT count(*) FROM emp;
.tables
