-- Tables and indexes shared by main.sql (in-memory and /tmp databases).
CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, budget REAL);
CREATE TABLE emp(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  dept_id INTEGER REFERENCES dept(id),
  salary INTEGER CHECK (salary > 0),
  hired TEXT,
  manager_id INTEGER REFERENCES emp(id)
);
CREATE INDEX emp_dept ON emp(dept_id);
CREATE INDEX emp_salary ON emp(salary DESC, name);
CREATE TABLE project(id INTEGER PRIMARY KEY, title TEXT, dept_id INTEGER);
CREATE TABLE assignment(emp_id INTEGER, project_id INTEGER, hours REAL,
  PRIMARY KEY (emp_id, project_id)) WITHOUT ROWID;
