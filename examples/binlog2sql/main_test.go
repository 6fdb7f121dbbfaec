package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain runs the tests in UTC unless a test sets TZ itself: the tools'
// default zone is the local one.
func TestMain(m *testing.M) {
	os.Setenv("TZ", "UTC")
	os.Exit(m.Run())
}

func runTool(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// sqlPreamble starts the output; samplePreamble with comments, which
// begin by naming the zone of their times.
const (
	sqlPreamble    = "SET NAMES utf8mb4;\nSET time_zone='+00:00';\nSET sql_mode='NO_AUTO_VALUE_ON_ZERO';\n"
	samplePreamble = "# binlog2sql: the times in the comments are UTC\n" + sqlPreamble
)

func TestSample(t *testing.T) {
	out, errs, code := runTool(t)
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := samplePreamble +
		"BEGIN;\nINSERT INTO `binlogkit`.`nopk` (`a`,`b`) VALUES (3,'restart'); # start 351 end 567 time 2026-11-21 14:44:04 gtid 0-1-86\nCOMMIT;\n" +
		"BEGIN;\nINSERT INTO `binlogkit`.`ints` (`id`,`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`bool_`) VALUES (100,NULL,NULL,NULL,NULL,NULL,NULL,100,NULL,NULL,NULL,NULL); # start 598 end 864 time 2026-11-21 14:44:04 gtid 0-1-87\nCOMMIT;\n" +
		"BEGIN;\nUPDATE `binlogkit`.`tx` SET `v`='after restart' WHERE `id`=2; # start 895 end 1147 time 2026-11-21 14:44:04 gtid 0-1-88\nCOMMIT;\n" +
		"BEGIN;\nDELETE FROM `binlogkit`.`geo` WHERE `id`=2; # start 1178 end 1495 time 2026-11-21 14:44:04 gtid 0-1-89\nCOMMIT;\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		has  []string
		not  []string
	}{
		{[]string{"--sql-type", "delete"}, []string{"DELETE FROM `binlogkit`.`geo`"}, []string{"INSERT", "UPDATE"}},
		{[]string{"--tables", "ints,tx", "--no-comments"}, []string{"`ints`", "WHERE `id`=2;\n"}, []string{"nopk", "geo", "# start"}},
		{[]string{"--databases", "binlogkit", "--exclude-tables", "nopk"}, []string{"`ints`"}, []string{"nopk"}},
		{[]string{"--rewrite-db", "binlogkit:copy", "--replace", "--no-primary-key"}, []string{"REPLACE INTO `copy`.`ints` (`ti`,"}, []string{"`binlogkit`"}},
		{[]string{"--full-columns", "--tz", "+02:00"}, []string{"SET `id`=2, `v`='after restart'", "time 2026-11-21 16:44:04"}, nil},
		{[]string{"--start-position", "895", "--stop-position", "1178"}, []string{"UPDATE"}, []string{"INSERT", "DELETE"}},
		// A MariaDB GTID names one transaction (issue 18, finding 7).
		{[]string{"--include-gtids", "0-1-87"}, []string{"`ints`"}, []string{"nopk", "`tx`", "geo"}},
		{[]string{"--include-gtids", "0-1-86,0-1-87"}, []string{"`ints`", "nopk"}, []string{"`tx`", "geo"}},
		{[]string{"--include-gtids", "0-1-87..88"}, []string{"`ints`", "`tx`"}, []string{"nopk", "geo"}},
		{[]string{"--exclude-gtids", "0-1-88"}, []string{"geo", "nopk", "`ints`"}, []string{"`tx`"}},
		{[]string{"--start-datetime", "2030-01-01 00:00:00"}, nil, []string{"INSERT", "SET NAMES"}},
		{[]string{"--no-backslash-escapes"}, []string{"sql_mode='NO_AUTO_VALUE_ON_ZERO,NO_BACKSLASH_ESCAPES'"}, nil},
	} {
		out, errs, code := runTool(t, c.args...)
		if code != exitOK {
			t.Errorf("%v: exit %d: %s", c.args, code, errs)
			continue
		}
		for _, h := range c.has {
			if !strings.Contains(out, h) {
				t.Errorf("%v: no %q in\n%s", c.args, h, out)
			}
		}
		for _, n := range c.not {
			if strings.Contains(out, n) {
				t.Errorf("%v: %q in\n%s", c.args, n, out)
			}
		}
	}
}

func TestUsage(t *testing.T) {
	out, _, code := runTool(t, "--help")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	// -h is the server's host, as in binlog2sql and the mysql client.
	if _, errs, code := runTool(t, "-h"); code != exitUsage || !strings.Contains(errs, "--help") {
		t.Errorf("-h without a host: exit %d: %s", code, errs)
	}
	for _, f := range []string{"--start-position", "--stop-position", "--start-datetime", "--stop-datetime", "--tz", "--databases", "--tables", "--exclude-tables", "--sql-type", "--include-gtids", "--exclude-gtids", "--no-primary-key", "--full-columns", "--no-comments", "--rewrite-db", "--ddl", "--schema", "--schema-dsn", "--replace", "--batch", "--no-backslash-escapes", "-h", "-P", "-u", "-p", "--socket", "--start-file", "--stop-never", "Examples:"} {
		if !strings.Contains(out, f) {
			t.Errorf("-h does not show %s", f)
		}
	}
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--no-such-flag"},
		{"--sql-type", "MERGE"},
		{"--rewrite-db", "nocolon"},
		{"--tz", "Mars/Olympus"},
		{"--start-datetime", "yesterday"},
		{"--include-gtids", "not a gtid"},
		{"--start-position", "2"},
		{"--schema", "a.sql", "--schema-dsn", "x"},
	} {
		_, errs, code := runTool(t, args...)
		if code != exitUsage || !strings.Contains(errs, "binlog2sql --help") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
}

func TestBadInput(t *testing.T) {
	_, errs, code := runTool(t, "no-such-file.000001")
	if code != exitBadInput || !strings.Contains(errs, "no-such-file") {
		t.Errorf("missing file: exit %d, %q", code, errs)
	}
	trunc := t.TempDir() + "/trunc.000001"
	os.WriteFile(trunc, sampleBinlog[:700], 0o644)
	_, errs, code = runTool(t, trunc)
	if code != exitBadInput || !strings.Contains(errs, "trunc.000001") {
		t.Errorf("truncated file: exit %d, %q", code, errs)
	}
}

// A table without logged names and no schema: the message names the three
// ways to give names, and exit status 1.
func TestUnknownNames(t *testing.T) {
	const f = "../../../shared/testdata/binlogs/write-full-row.binlog"
	if _, err := os.Stat(f); err != nil {
		t.Skip("shared corpus absent")
	}
	_, errs, code := runTool(t, f)
	if code != exitBadInput {
		t.Fatalf("exit %d", code)
	}
	for _, w := range []string{"binlog_row_metadata=FULL", "--schema FILE", "--schema-dsn DSN", "position 275"} {
		if !strings.Contains(errs, w) {
			t.Errorf("no %q in %q", w, errs)
		}
	}
	out, _, code := runTool(t, "--positional", f)
	if code != exitOK || !strings.Contains(out, "# INSERT INTO `mysql`.`ndb_apply_status` (@1,") {
		t.Errorf("--positional: exit %d\n%s", code, out)
	}
}

// TestIncompleteTransaction is finding 2 of the recovery journey: a binlog
// cut inside a transaction (a crash, head -c, a .partial file) must not
// replay that transaction's first statements as committed. The sample cut
// just before the third transaction's XID: the first two are written
// whole, the third is left out with a warning naming it and exit status 1,
// or written as comments with --allow-incomplete; the same with --workers.
func TestIncompleteTransaction(t *testing.T) {
	cut := filepath.Join(t.TempDir(), "cut.bin")
	if err := os.WriteFile(cut, sampleBinlog[:1147], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, extra := range [][]string{nil, {"--workers", "2"}} {
		out, errs, code := runTool(t, append([]string{"--no-comments", cut}, extra...)...)
		if code != exitBadInput || !strings.Contains(errs, "starts at 895 (gtid 0-1-88)") {
			t.Errorf("%v: exit %d: %s", extra, code, errs)
		}
		if strings.Contains(out, "UPDATE") || strings.Count(out, "BEGIN;") != 2 || strings.Count(out, "COMMIT;") != 2 {
			t.Errorf("%v: output\n%s", extra, out)
		}
		out, errs, code = runTool(t, append([]string{"--no-comments", "--allow-incomplete", cut}, extra...)...)
		if code != exitOK || !strings.Contains(out, "-- UPDATE `binlogkit`.`tx`") || strings.Count(out, "\nCOMMIT;") != 2 {
			t.Errorf("%v --allow-incomplete: exit %d: %s\n%s", extra, code, errs, out)
		}
	}
}
