package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The recorded hires workload (testdata/hires.sql): .000001 holds the
// CREATE TABLE of hires.h, .000002 its rows in MariaDB's older temporal
// formats (TESTCASES #35).
var hiresFiles = []string{"../../testdata/recorded/mariadb-10_11-hires.000001", "../../testdata/recorded/mariadb-10_11-hires.000002"}

// TestHiresRecorded: binlog2sql writes the rows of MariaDB's older temporal
// formats with every fraction, the precisions from the stream's CREATE and
// ALTER TABLE; with --flashback and with --mask too. .000002 alone, without a definition, stops naming the
// table and the ways to give one; --exclude-tables lets the rest through.
func TestHiresRecorded(t *testing.T) {
	out, errs, code := runTool(t, hiresFiles...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"'838:59:59.999999'", "'9999-12-31 23:59:59.999999'", "'1970-01-01 00:00:00.5'", "'2038-01-19 03:14:07.9999'", "`t3`='-838:59:59.9999'"} {
		if !strings.Contains(out, want) {
			t.Errorf("forward SQL lacks %s", want)
		}
	}
	// Rollback SQL is written with the definitions at the end of the input:
	// the transactions between h's two ALTER TABLEs (0-1-28 changes two
	// precisions, 0-1-32 turns h into MySQL 5.6's formats, with the same
	// precisions).
	rb, errs, code := runTool(t, append([]string{"--flashback", "--include-gtids", "0-1-29..31"}, hiresFiles...)...)
	if code != exitOK || !strings.Contains(rb, "INSERT INTO `hires`.`h`") || !strings.Contains(rb, "'838:59:59.999999'") ||
		!strings.Contains(rb, "`t3`='838:59:59.9999'") || !strings.Contains(rb, "DELETE FROM `hires`.`h`") {
		t.Fatalf("--flashback: exit %d: %s\n%.3000s", code, errs, rb)
	}
	// Rows logged before the first ALTER TABLE do not fit the definition
	// after it: refused, not misread.
	if _, errs, code := runTool(t, append([]string{"--flashback", "--skip-unsafe"}, hiresFiles...)...); code != exitBadInput || !strings.Contains(errs, "hires.h") {
		t.Fatalf("--flashback across the ALTER TABLE: exit %d: %s", code, errs)
	}
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(rules, []byte("key: k\nrules:\n  - type: temporal\n    action: hash\n  - column: hires.*.note\n    action: redact\n"), 0o644)
	masked, errs, code := runTool(t, append([]string{"--mask", rules}, hiresFiles...)...)
	if code != exitOK || strings.Contains(masked, "838:59:59.999999") || strings.Contains(masked, "'max'") || !strings.Contains(masked, "INSERT INTO `hires`.`h`") {
		t.Fatalf("--mask: exit %d: %s\n%.3000s", code, errs, masked)
	}

	_, errs, code = runTool(t, hiresFiles[1])
	if code != exitBadInput || !strings.Contains(errs, "position 1099") || !strings.Contains(errs, "hires.h") || !strings.Contains(errs, "--schema FILE") {
		t.Fatalf("without a definition: exit %d: %s", code, errs)
	}
	out, errs, code = runTool(t, "--exclude-tables", "hires.h", hiresFiles[1])
	if code != exitOK || strings.Contains(out, "`h`") {
		t.Fatalf("--exclude-tables hires.h: exit %d: %s\n%s", code, errs, out)
	}
}
