//go:build integration

package flashback

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
	"github.com/binlogkit/binlogkit/schema"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// mysqlRTSchema is rtSchema for MySQL, with JSON documents in a keyless
// table too and a generated column.
const mysqlRTSchema = `
CREATE DATABASE fb;
USE fb;
CREATE TABLE k (id INT PRIMARY KEY, u INT UNIQUE, name VARCHAR(40), note TEXT, amount DECIMAL(12,3),
  f FLOAT, d DOUBLE, dt DATETIME(6), ts TIMESTAMP(3) NULL, dd DATE, tm TIME(2), y YEAR, b MEDIUMBLOB, bits BIT(10),
  e ENUM('x','y','z'), s SET('p','q','r'), j JSON, big BIGINT UNSIGNED, bin VARBINARY(20),
  g INT AS (u * 2) STORED) ENGINE=InnoDB;
CREATE TABLE nokey (a INT, b VARCHAR(20), c DOUBLE, j JSON) ENGINE=InnoDB;
CREATE TABLE child (id INT AUTO_INCREMENT PRIMARY KEY, k_id INT, v VARCHAR(10)) ENGINE=InnoDB;
INSERT INTO k (id, u, name, note, amount, f, d, dt, ts, dd, tm, y, b, bits, e, s, j, big, bin) VALUES
 (1, 10, 'one', 'n1', 1.5, 1.25, 2.5, '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00.5', '2024-01-01', '10:11:12.34', 2024, x'00ff', b'1010101010', 'x', 'p,q', '{"a": 1, "long": "a value long enough to leave a hole"}', 18446744073709551615, x'0102'),
 (2, 20, 'two', NULL, -3.25, NULL, 1e100, '1999-12-31 23:59:59', NULL, '1000-01-01', '-838:59:59', 1901, NULL, b'0', 'y', '', '[1,2,{"b":null}]', 0, ''),
 (3, 30, 'three', REPEAT('t', 300), 0, 0, 0, NULL, '2038-01-19 03:14:07', NULL, NULL, NULL, REPEAT('b', 70000), NULL, NULL, NULL, NULL, 5, NULL);
INSERT INTO nokey VALUES (1,'a',1.5,'{"s": "a long string to shrink", "n": 1}'),(1,'a',1.5,'{"s": "a long string to shrink", "n": 1}'),(2,'b',NULL,'[1, 2, 3]'),(NULL,NULL,NULL,NULL);
INSERT INTO child (k_id, v) VALUES (1,'c1'),(2,'c2'),(3,'c3');
`

// mysqlRTWorkload is rtWorkload for MySQL, with JSON changed in place
// (JSON_SET, JSON_REPLACE, JSON_REMOVE: partial updates under
// binlog_row_value_options=PARTIAL_JSON, holes in the stored documents).
const mysqlRTWorkload = `
USE fb;
UPDATE k SET u = -u WHERE id IN (1,3);
UPDATE k SET u = CASE id WHEN 1 THEN 30 ELSE 10 END WHERE id IN (1,3);
UPDATE k SET j = JSON_SET(j, '$.a', 2, '$.new', 'x'), name = 'one!' WHERE id = 1;
UPDATE k SET j = JSON_REPLACE(j, '$.long', 'short') WHERE id = 1;
UPDATE k SET j = JSON_REMOVE(j, '$[2].b') WHERE id = 2;
DELETE FROM k WHERE id = 2;
INSERT INTO k (id, u, name) VALUES (2, 20, 'two again');
INSERT INTO k (id, u, name) VALUES (1, 99, 'dup') ON DUPLICATE KEY UPDATE name = 'dup-updated', amount = amount + 1;
REPLACE INTO k (id, u, name, j) VALUES (3, 33, 'replaced', '{"r":true}');
REPLACE INTO k (id, u, name) VALUES (4, 44, 'new via replace');
BEGIN;
UPDATE nokey SET c = 9.5, j = JSON_REPLACE(j, '$.s', 'x') WHERE a = 1;
UPDATE nokey SET j = JSON_SET(j, '$[0]', 10) WHERE a = 2;
DELETE FROM nokey WHERE a IS NULL;
INSERT INTO nokey VALUES (7,'z',7,'{}');
UPDATE child SET v = CONCAT(v, '!');
INSERT INTO child (k_id, v) VALUES (4, 'c4'), (4, 'c5');
DELETE FROM k WHERE id = 4;
COMMIT;
FLUSH BINARY LOGS;
SET SESSION binlog_transaction_compression = ON;
BEGIN;
INSERT INTO k (id, u, name, b) VALUES (5, 50, 'five', REPEAT('x', 100000));
UPDATE k SET note = 'changed', bits = b'1111111111', e = 'z', s = 'p,r', dt = NOW(6), j = JSON_SET(j, '$.k', 5) WHERE id < 10;
DELETE FROM child WHERE id = 2;
COMMIT;
SET SESSION binlog_transaction_compression = OFF;
DELETE FROM nokey WHERE a = 1 LIMIT 1;
UPDATE k SET id = id + 100;
DELETE FROM k;
`

func mysqlRTChecksums(t *testing.T, s *mysqltest.Server) string {
	t.Helper()
	return s.Query(t, "CHECKSUM TABLE fb.k, fb.nokey, fb.child EXTENDED")
}

// mysqlRecord sets up the tables, records their checksums, runs the
// workload and returns the binlog files holding only the workload.
func mysqlRecord(t *testing.T, s *mysqltest.Server) (want string, files []string) {
	t.Helper()
	s.Exec(t, "DROP DATABASE IF EXISTS fb")
	s.ExecFile(t, writeTemp(t, "schema.sql", mysqlRTSchema))
	s.FlushLogs(t)
	first := s.BinlogFiles(t)
	want = mysqlRTChecksums(t, s)
	s.ExecFile(t, writeTemp(t, "workload.sql", mysqlRTWorkload))
	if mysqlRTChecksums(t, s) == want {
		t.Fatal("workload changed nothing")
	}
	s.FlushLogs(t)
	all := s.BinlogFiles(t)
	return want, all[len(first)-1 : len(all)-1]
}

// TestIntegrationMySQLRoundTrip undoes the workload on a private MySQL 9.7
// (gtid_mode=ON), with binlog_row_value_options empty and PARTIAL_JSON:
// the rollback SQL (names and generated columns from the schema's DDL)
// and the rollback binlog (replayed with plain mysqlbinlog | mysql) each
// give back CHECKSUM TABLE of before the workload, JSON changed in place in
// a keyless table included.
func TestIntegrationMySQLRoundTrip(t *testing.T) {
	s := mysqltest.Start(t)
	for _, opts := range []string{"", "PARTIAL_JSON"} {
		name := opts
		if name == "" {
			name = "FullJSON"
		}
		t.Run(name, func(t *testing.T) {
			s.Exec(t, "SET GLOBAL binlog_row_value_options = '"+opts+"'")
			cat, err := schema.Parse(strings.NewReader(mysqlRTSchema))
			if err != nil {
				t.Fatal(err)
			}
			// Rollback SQL.
			want, files := mysqlRecord(t, s)
			partial := 0
			for ev, err := range binlog.NewReader(binlog.OpenFiles(files...)).Events(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				if ev.Header.Type == event.PartialUpdateRowsEvent {
					partial++
				}
			}
			if (opts == "PARTIAL_JSON") != (partial > 0) {
				t.Fatalf("binlog_row_value_options=%q: %d PARTIAL_UPDATE_ROWS events", opts, partial)
			}
			fb := flashbackFiles(t, files, Options{TempDir: t.TempDir()})
			var out bytes.Buffer
			if err := fb.WriteSQL(&out, sqlgen.New(nil, sqlgen.Options{}), SQLOptions{}); err == nil || out.Len() != 0 {
				t.Fatalf("rollback SQL without the tables' definitions: %v, %d bytes", err, out.Len())
			}
			g := sqlgen.New(cat, sqlgen.Options{})
			out.Write(g.Preamble(nil))
			if err := fb.WriteSQL(&out, g, SQLOptions{}); err != nil {
				t.Fatal(err)
			}
			s.ExecFile(t, writeTemp(t, "rollback.sql", out.String()))
			if got := mysqlRTChecksums(t, s); got != want {
				t.Fatalf("after rollback SQL:\n%s\nwant\n%s\nSQL:\n%s", got, want, out.String())
			}
			t.Logf("rollback SQL: %d transactions, %d PARTIAL_UPDATE_ROWS events undone, 3 tables equal", fb.Summary().Transactions, partial)

			// Rollback binlog.
			want, files = mysqlRecord(t, s)
			fb = flashbackFiles(t, files, Options{TempDir: t.TempDir()})
			rb := writeTemp(t, "rollback.bin", "")
			names, err := fb.WriteBinlogFiles(rb, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := fb.CheckBinlog(context.Background(), binlog.OpenFiles(names...)); err != nil {
				t.Fatal(err)
			}
			dump := s.Install().Command("mysqlbinlog", append([]string{"--no-defaults"}, names...)...)
			text, err := dump.Output()
			if err != nil {
				t.Fatalf("mysqlbinlog: %v", err)
			}
			apply := s.Client("mysql")
			apply.Stdin = bytes.NewReader(text)
			if msg, err := apply.CombinedOutput(); err != nil {
				t.Fatalf("mysqlbinlog %s | mysql: %v\n%s", rb, err, msg)
			}
			if got := mysqlRTChecksums(t, s); got != want {
				t.Fatalf("after the rollback binlog:\n%s\nwant\n%s", got, want)
			}
			t.Logf("rollback binlog: %d transactions applied with mysqlbinlog | mysql, 3 tables equal", fb.Summary().Transactions)
		})
	}
}
