//go:build integration

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// hiresSetup creates, on a server started with
// --mysql56-temporal-format=OFF, a table in MariaDB's older ("hires")
// temporal formats (TESTCASES #35), fills it, and changes two precisions
// with ALTER TABLE: all of it is in the binlog before the workload.
const hiresSetup = `
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = '+00:00';
CREATE DATABASE hr;
USE hr;
CREATE TABLE h (
  id INT NOT NULL PRIMARY KEY,
  t3 TIME(3), t6 TIME(6), d2 DATETIME(2), d6 DATETIME(6), s3 TIMESTAMP(3) NULL, s6 TIMESTAMP(6) NULL,
  d0 DATETIME, t0 TIME(0), s0 TIMESTAMP NULL, note VARCHAR(20)
) ENGINE=InnoDB;
INSERT INTO h VALUES
  (1, '838:59:59.999', '-838:59:59.999999', '9999-12-31 23:59:59.99', '1000-01-01 00:00:00.000001', '2038-01-19 03:14:07.999', '1970-01-01 00:00:01.000001', '0000-00-00 00:00:00', '-00:00:01', NULL, 'one'),
  (2, '-00:00:00.001', '100:08:04.010123', '0000-00-00 00:00:00.00', '2013-00-00 12:34:56.789012', '1970-01-01 00:00:00.5', '2001-09-09 01:46:40.123456', '2024-02-29 23:59:59', '838:59:59', '2001-09-09 01:46:40', 'two');
ALTER TABLE h MODIFY t3 TIME(4), MODIFY d2 DATETIME(1);
INSERT INTO h VALUES (3, '-507:48:27.6543', '00:00:00.000001', '2024-01-02 03:04:05.6', '9999-12-31 23:59:59.999999', '0000-00-00 00:00:00', NULL, '1000-01-01 00:00:00', '00:00:00', '0000-00-00 00:00:00', 'three');
`

// hiresWork changes the table: inserts (several rows to an event), a
// multi-row update, deletes, every boundary again.
const hiresWork = `
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = '+00:00';
USE hr;
INSERT INTO h VALUES
  (10, '-838:59:59.9999', '838:59:59.999999', '1000-01-01 00:00:00.0', '0000-03-21 00:00:00.000001', '1970-01-01 00:00:01.001', '2038-01-19 03:14:07.999999', '9999-12-31 23:59:59', '-838:59:59', '2038-01-19 03:14:07', 'ten'),
  (11, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (12, '24:00:00.0001', '-16:08:04.010123', '1989-00-21 01:02:03.4', '2024-02-29 23:59:59.500000', '1970-01-01 00:00:00.9', '2020-02-02 02:02:02.000002', '2013-00-00 00:00:00', '100:08:04', '1970-01-01 00:00:01', 'twelve');
UPDATE h SET t3 = '-00:00:00.5', t6 = '00:00:00.000001', d2 = '2000-01-01 00:00:00.9', d6 = '2000-01-01 00:00:00.999999',
  s3 = '2000-01-01 00:00:00.001', s6 = NULL, t0 = '-00:00:00', note = CONCAT(note, '+') WHERE id IN (1, 2, 12);
UPDATE h SET s0 = '2001-01-01 00:00:00', d0 = '0000-00-00 00:00:00' WHERE id = 3;
DELETE FROM h WHERE id IN (2, 11);
BEGIN;
INSERT INTO h (id, t3, note) VALUES (13, '00:00:00.0001', 'in a transaction');
DELETE FROM h WHERE id = 10;
COMMIT;
`

func hiresChecksum(t *testing.T, srv *mariadbtest.Server) string {
	t.Helper()
	return srv.Query(t, "CHECKSUM TABLE hr.h EXTENDED")
}

func hiresTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// binlog2sql runs the tool and returns its SQL; it fails the test unless
// the tool succeeds.
func binlog2sql(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"--quiet"}, args...), nil, &out, &errb); code != exitOK {
		t.Fatalf("binlog2sql %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// TestIntegrationHiresRoundTrip is the journey of TESTCASES #35 on a real
// MariaDB started with --mysql56-temporal-format=OFF: a table of TIME(n),
// DATETIME(n) and TIMESTAMP(n) in the older formats, created and altered in
// the binlog, then changed. Forward SQL of the binlogs (column names from
// the Table_maps' FULL metadata, precisions from the stream's CREATE and
// ALTER TABLE) replayed into a fresh server reproduces CHECKSUM TABLE; so
// does the forward SQL of the workload's file alone with the precisions
// from the server (--schema-dsn). Rollback SQL (--flashback, from a
// --start-datetime, the definitions from the DDL before it; and with
// --schema-dsn) and a rollback binlog (examples/flashback, replayed with
// mariadb-binlog | mariadb) bring CHECKSUM TABLE back to its value before
// the workload. On today's main every one of these stopped at the first
// row with "… out of range" on a misaligned column.
func TestIntegrationHiresRoundTrip(t *testing.T) {
	off := mariadbtest.WithArgs("--mysql56-temporal-format=OFF")
	a := mariadbtest.Start(t, off)
	a.ExecFile(t, hiresTemp(t, "setup.sql", hiresSetup))
	if typ := a.Query(t, "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='hr' AND COLUMN_NAME='t3'"); typ != "time(4) /* mariadb-5.3 */" {
		t.Fatalf("t3 is %q: not MariaDB's older format", typ)
	}
	before := hiresChecksum(t, a)
	a.FlushLogs(t)
	// The workload starts a second after the setup: --start-datetime
	// separates them.
	time.Sleep(1100 * time.Millisecond)
	start := a.Query(t, "SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')")
	a.ExecFile(t, hiresTemp(t, "work.sql", hiresWork))
	after := hiresChecksum(t, a)
	if after == before {
		t.Fatal("the workload changed nothing")
	}
	t.Logf("CHECKSUM TABLE before the workload %q, after %q", before, after)
	a.FlushLogs(t)
	all := a.BinlogFiles(t)
	files := all[:len(all)-1]
	work := files[len(files)-1] // the workload's file: rows only, no DDL

	// Forward SQL, precisions from the stream's DDL.
	b := mariadbtest.Start(t, off)
	b.ExecFile(t, hiresTemp(t, "forward.sql", binlog2sql(t, append([]string{"--ddl"}, files...)...)))
	if got := hiresChecksum(t, b); got != after {
		t.Fatalf("forward SQL (stream DDL) replayed: %s, want %s", got, after)
	}

	// Forward SQL of the workload's file alone, precisions from the server.
	c := mariadbtest.Start(t, off)
	c.ExecFile(t, hiresTemp(t, "setup.sql", hiresSetup))
	c.ExecFile(t, hiresTemp(t, "forward2.sql", binlog2sql(t, "--schema-dsn", a.DSN(), work)))
	if got := hiresChecksum(t, c); got != after {
		t.Fatalf("forward SQL (--schema-dsn) replayed: %s, want %s", got, after)
	}
	// Without a definition the run stops, naming the table and the ways.
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"--quiet", work}, nil, &out, &errb); code != exitBadInput ||
		!strings.Contains(errb.String(), "hr.h") || !strings.Contains(errb.String(), "--schema-dsn") {
		t.Fatalf("without a definition: exit %d: %s", code, errb.String())
	}

	// Rollback SQL from --start-datetime, definitions from the DDL before
	// the range, onto the server itself.
	rb := binlog2sql(t, append([]string{"--flashback", "--tz", "UTC", "--start-datetime", start}, files...)...)
	if !strings.Contains(rb, "'838:59:59.999999'") {
		t.Errorf("rollback SQL without the workload's values:\n%s", rb)
	}
	a.ExecFile(t, hiresTemp(t, "rollback.sql", rb))
	if got := hiresChecksum(t, a); got != before {
		t.Fatalf("rollback SQL (stream DDL) applied: %s, want %s", got, before)
	}
	// Rollback SQL of the workload's file, definitions from the server.
	c.ExecFile(t, hiresTemp(t, "rollback2.sql", binlog2sql(t, "--flashback", "--schema-dsn", a.DSN(), work)))
	if got := hiresChecksum(t, c); got != before {
		t.Fatalf("rollback SQL (--schema-dsn) applied: %s, want %s", got, before)
	}

	// A rollback binlog (examples/flashback), replayed by mariadb-binlog.
	tool := filepath.Join(t.TempDir(), "flashback")
	if out, err := exec.Command("go", "build", "-o", tool, "../flashback").CombinedOutput(); err != nil {
		t.Fatalf("building examples/flashback: %v\n%s", err, out)
	}
	rbin := filepath.Join(t.TempDir(), "rollback.bin")
	args := append([]string{"--out", rbin, "--tz", "UTC", "--start-datetime", start}, files...)
	if out, err := exec.Command(tool, args...).CombinedOutput(); err != nil {
		t.Fatalf("flashback %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	text, err := exec.Command("mariadb-binlog", "--no-defaults", rbin).Output()
	if err != nil {
		t.Fatalf("mariadb-binlog %s: %v", rbin, err)
	}
	b.ExecFile(t, hiresTemp(t, "replay.sql", string(text)))
	if got := hiresChecksum(t, b); got != before {
		t.Fatalf("rollback binlog replayed: %s, want %s", got, before)
	}
}
