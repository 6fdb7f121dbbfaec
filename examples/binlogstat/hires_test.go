package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHires: binlogstat counts the rows of MariaDB's older temporal formats
// (TESTCASES #35: TIME(n)/DATETIME(n)/TIMESTAMP(n) logged with the old type
// codes and no precision) with the precisions from the stream's CREATE
// TABLE, or from --schema. The recorded hires workload gives table h the
// statements its MySQL 5.6-format twin m56 gets (whose counts come from
// mariadb-binlog's text), then one UPDATE and one DELETE more. Without a
// definition the run stops naming the file, the byte offset, the table, its
// columns and the ways to give one; --exclude-table lets the rest through.
func TestHires(t *testing.T) {
	defs := filepath.Join(recordedDir, "mariadb-10_11-hires.000001")
	rows := filepath.Join(recordedDir, "mariadb-10_11-hires.000002")
	m56 := readTxt(t, []string{defs}).rows["hires.m56"]
	if m56 == nil || m56[0] < 8 {
		t.Fatalf("m56 counts from the text: %v", m56)
	}
	check := func(name string, rep *report) {
		t.Helper()
		for _, tb := range rep.Tables {
			if tb.Schema+"."+tb.Table == "hires.h" {
				if tb.Inserts != m56[0] || tb.Updates != m56[1]+1 || tb.Deletes != m56[2]+1 {
					t.Errorf("%s: hires.h %d/%d/%d inserts/updates/deletes, want %d/%d/%d", name, tb.Inserts, tb.Updates, tb.Deletes, m56[0], m56[1]+1, m56[2]+1)
				}
				return
			}
		}
		t.Errorf("%s: no hires.h in the report", name)
	}
	check("stream DDL", runJSON(t, defs, rows))

	schemaFile := filepath.Join(t.TempDir(), "schema.sql")
	os.WriteFile(schemaFile, []byte("CREATE TABLE hires.h (id INT PRIMARY KEY, t1 TIME(1), t2 TIME(2), t3 TIME(3), t4 TIME(4), t5 TIME(5), t6 TIME(6),"+
		" d1 DATETIME(1), d2 DATETIME(2), d3 DATETIME(3), d4 DATETIME(4), d5 DATETIME(5), d6 DATETIME(6),"+
		" s1 TIMESTAMP(1) NULL, s2 TIMESTAMP(2) NULL, s3 TIMESTAMP(3) NULL, s4 TIMESTAMP(4) NULL, s5 TIMESTAMP(5) NULL, s6 TIMESTAMP(6) NULL,"+
		" t0 TIME, d0 DATETIME, s0 TIMESTAMP NULL, note VARCHAR(20));\n"), 0o644)
	check("--schema", runJSON(t, "--schema", schemaFile, rows))

	var stdout, stderr bytes.Buffer
	if code := run([]string{rows}, nil, &stdout, &stderr); code != exitBadInput {
		t.Fatalf("without a definition: exit %d, stderr %s", code, stderr.String())
	}
	for _, w := range []string{"mariadb-10_11-hires.000002: at byte 1099 (WRITE_ROWS_EVENT_V1)", "hires.h", "column 2 (t1 TIME)", "--schema FILE", "--schema-dsn DSN"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr lacks %q: %s", w, stderr.String())
		}
	}
	// The filter drops h's rows before they are decoded: the run succeeds
	// (runJSON fails on an error exit) and the files are read to their end.
	rep := runJSON(t, "--exclude-table", "hires.h", rows)
	for _, tb := range rep.Tables {
		if tb.Table == "h" {
			t.Errorf("--exclude-table hires.h: %+v", tb)
		}
	}
	if n := len(rep.Files); n != 1 || rep.Files[0].Events < 50 {
		t.Errorf("--exclude-table hires.h: files %+v", rep.Files)
	}
}
