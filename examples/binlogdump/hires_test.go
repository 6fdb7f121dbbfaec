package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The recorded hires workload (testdata/hires.sql): .000001 holds the
// CREATE TABLE of hires.h and the rows of hires.m56, the same table in
// MySQL 5.6's formats given the same statements; .000002 holds h's rows in
// MariaDB's older ("hires") formats, which mariadb-binlog stops at.
const (
	hiresDefs = "../../testdata/recorded/mariadb-10_11-hires.000001"
	hiresRows = "../../testdata/recorded/mariadb-10_11-hires.000002"
)

// tableLines returns the ### lines of the rows of table (`db`.`t`) without
// their type comments and with the table named T.
func tableLines(text, table string) []string {
	var out []string
	in := false
	for _, l := range hashLines(text) {
		for _, head := range []string{"### INSERT INTO ", "### UPDATE ", "### DELETE FROM "} {
			if rest, ok := strings.CutPrefix(l, head); ok {
				in = rest == table
				l = head + "T"
			}
		}
		if in {
			l, _, _ = strings.Cut(l, " /* ")
			out = append(out, strings.TrimRight(l, " "))
		}
	}
	return out
}

// TestVerboseHires: `binlogdump -v` prints the rows of MariaDB's older
// temporal formats (TESTCASES #35) with the precisions from the stream's
// CREATE TABLE or from --schema, each value as mariadb-binlog prints the
// same statement's values on the MySQL 5.6-format twin; where
// mariadb-binlog stops (the first such rows event) the lines before are
// the same as its. Without a definition the run stops at the first such
// event naming the file, the byte offset, the table, its columns and the
// ways to give a definition; --exclude-table lets the rest of the file
// through.
func TestVerboseHires(t *testing.T) {
	ref, err := os.ReadFile(hiresDefs + ".mariadb-binlog.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := tableLines(string(ref), "`hires`.`m56`")
	if len(want) < 500 {
		t.Fatalf("%d reference lines", len(want))
	}

	// The definition from the stream's DDL.
	code, out, stderr := dump(t, nil, "-v", hiresDefs, hiresRows)
	checkOK(t, code, stderr)
	got := tableLines(out, "`hires`.`h`")
	// h's rows after ALTER TABLE turned it into MySQL 5.6's formats have
	// no counterpart in m56.
	if len(got) < len(want) {
		t.Fatalf("%d lines for h, %d for m56", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("line %d: h %q, mariadb-binlog's m56 %q", i, got[i], want[i])
		}
	}
	for _, line := range []string{
		"###   @4='838:59:59.999' /* TIME(3) meta=0 nullable=1 is_null=0 */",
		"###   @13='9999-12-31 23:59:59.999999' /* DATETIME(6) meta=0 nullable=1 is_null=0 */",
		"###   @14=0.5 /* TIMESTAMP(1) meta=0 nullable=1 is_null=0 */",
		"###   @22='9999-12-31 23:59:59' /* DATETIME meta=0 nullable=1 is_null=0 */",
	} {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("no line %q", line)
		}
	}

	// The definition from a schema file, for .000002 alone; the lines
	// before mariadb-binlog gave up are its.
	schemaFile := filepath.Join(t.TempDir(), "schema.sql")
	os.WriteFile(schemaFile, []byte("CREATE DATABASE hires;\nUSE hires;\nCREATE TABLE `h` (\n  `id` int(11) NOT NULL,\n"+
		"  `t1` time(1) /* mariadb-5.3 */, `t2` time(2) /* mariadb-5.3 */, `t3` time(3) /* mariadb-5.3 */, `t4` time(4) /* mariadb-5.3 */,"+
		" `t5` time(5) /* mariadb-5.3 */, `t6` time(6) /* mariadb-5.3 */,\n"+
		"  `d1` datetime(1), `d2` datetime(2), `d3` datetime(3), `d4` datetime(4), `d5` datetime(5), `d6` datetime(6),\n"+
		"  `s1` timestamp(1) NULL, `s2` timestamp(2) NULL, `s3` timestamp(3) NULL, `s4` timestamp(4) NULL, `s5` timestamp(5) NULL, `s6` timestamp(6) NULL,\n"+
		"  `t0` time, `d0` datetime, `s0` timestamp NULL, `note` varchar(20),\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n"), 0o644)
	code, out2, stderr := dump(t, nil, "-v", "--schema", schemaFile, hiresRows)
	checkOK(t, code, stderr)
	if g := tableLines(out2, "`hires`.`h`"); strings.Join(g, "\n") != strings.Join(got, "\n") {
		t.Errorf("--schema: %d lines differ from those with the stream's DDL (%d)", len(g), len(got))
	}
	theirs, err := os.ReadFile(hiresRows + ".mariadb-binlog.txt")
	if err != nil {
		t.Fatal(err)
	}
	compareHeaders(t, out2, string(theirs))
	if n := len(hashLines(string(theirs))); n != 0 {
		t.Errorf("mariadb-binlog printed %d ### lines of .000002: the reference changed", n)
	}

	// No definition: a positioned, named error, nothing misread.
	code, out3, stderr := dump(t, nil, "-v", hiresRows)
	if code != exitBadInput {
		t.Fatalf("without a definition: exit %d", code)
	}
	for _, w := range []string{"mariadb-10_11-hires.000002: at byte 1099 (WRITE_ROWS_EVENT_V1)", "hires.h", "column 2 (t1 TIME)", "--schema FILE", "--schema-dsn DSN", "CREATE TABLE"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q: %s", w, stderr)
		}
	}
	if strings.Contains(out3, "### INSERT INTO `hires`.`h`") {
		t.Error("rows of h printed without their precisions")
	}
	// --exclude-table: the table's rows are dropped before they are
	// decoded; every other event is printed.
	code, out4, stderr := dump(t, nil, "-v", "--exclude-table", "hires.h", hiresRows)
	checkOK(t, code, stderr)
	if strings.Contains(out4, "`hires`.`h`") || !strings.Contains(out4, "# at ") || !strings.Contains(out4, "Xid = ") {
		t.Errorf("--exclude-table hires.h:\n%s", out4)
	}
}
