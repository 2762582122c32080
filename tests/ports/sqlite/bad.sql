-- A script with a mistake: the shell reports it (with -bail it stops there) and exits 1.
CREATE TABLE t(x);
INSERT INTO t VALUES (1);
SELECT x FROM t;
SELEC x FROM t;
SELECT 'not reached with -bail';
SELECT nosuchcolumn FROM t;
