package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/internal/sensitivetest"

	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

var positionComment = regexp.MustCompile(`# start \d+ end \d+|rollback of \S+`)

// TestMaskRecorded converts the recorded sensitive workload forward and with
// --flashback, with and without --mask: masked, no sensitive value is
// written, equal values hash alike, and the statements and their position
// comments are those of the unmasked run.
func TestMaskRecorded(t *testing.T) {
	values := sensitivetest.Values(t)
	for _, f := range sensitivetest.Files() {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("recording missing: %v", err)
		}
	}
	for _, mode := range [][]string{nil, {"--flashback", "--skip-unsafe"}} {
		plain, errs, code := runTool(t, append(append([]string{}, mode...), sensitivetest.Files()...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", mode, code, errs)
		}
		masked, errs2, code := runTool(t, append(append([]string{"--mask", sensitivetest.Rules()}, mode...), sensitivetest.Files()...)...)
		if code != exitOK {
			t.Fatalf("%v --mask: exit %d: %s", mode, code, errs2)
		}
		// The flashback summary quotes skipped statements: masked too.
		for _, v := range values {
			if strings.Contains(errs2, v) {
				t.Errorf("%v: %q in the summary on stderr: %s", mode, v, errs2)
			}
		}
		if strings.Count(errs, "\n") != strings.Count(errs2, "\n") {
			t.Errorf("%v: stderr differs with --mask:\n%s\nvs\n%s", mode, errs, errs2)
		}
		seen := 0
		for _, v := range values {
			if strings.Contains(plain, v) {
				seen++
			}
			if i := strings.Index(masked, v); i >= 0 {
				t.Errorf("%v: %q written: …%s…", mode, v, masked[max(0, i-80):min(len(masked), i+len(v)+20)])
			}
		}
		// Row events hold most values (the statement-format ones are not
		// SQL output): the unmasked run must show a good part of the list.
		if seen < len(values)/2 {
			t.Errorf("%v: only %d of %d values in the unmasked output", mode, seen, len(values))
		}
		// Equal values hash alike: forward, the new address of row 1 in
		// its email column (column rule) and note (value rule) and in row
		// 6 (another event); in the flashback, the INSERT that undoes the
		// DELETE of row 2 has Bob's address in email, note and profile.
		addr := "alice.new@example.com"
		if len(mode) > 0 {
			addr = "bob.li@example.net"
		}
		if n := strings.Count(masked, sensitivetest.Hash(addr)); n < 3 {
			t.Errorf("%v: hash of %s written %d times, want at least 3", mode, addr, n)
		}
		if a, b := positionComment.FindAllString(plain, -1), positionComment.FindAllString(masked, -1); strings.Join(a, "\n") != strings.Join(b, "\n") || len(a) == 0 {
			t.Errorf("%v: position comments differ:\n%q\n%q", mode, a, b)
		}
		if strings.Count(plain, "\n") != strings.Count(masked, "\n") {
			t.Errorf("%v: %d lines unmasked, %d masked", mode, strings.Count(plain, "\n"), strings.Count(masked, "\n"))
		}
	}
}

// TestMaskSchemaNames: without column names in the Table_maps, column
// rules take the names from --schema; without a schema they refuse to run
// rather than let the values through.
func TestMaskSchemaNames(t *testing.T) {
	s := binlogtest.NewStream(event.MariaDB)
	s.Begin().TableMap(1, "shop", "users",
		binlogtest.Column{Type: event.ColumnTypeLong},
		binlogtest.Column{Type: event.ColumnTypeVarchar, Meta: 80, Nullable: true}).
		Insert(1, []rowcodec.Value{rowcodec.IntValue(1), rowcodec.StringValue([]byte("hunter2"), 0)}).XID()
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "noname.000001")
	schema := filepath.Join(dir, "schema.sql")
	rules := filepath.Join(dir, "rules.yaml")
	os.WriteFile(bin, data, 0o644)
	os.WriteFile(schema, []byte("CREATE TABLE shop.users (id INT NOT NULL PRIMARY KEY, password VARCHAR(20));\n"), 0o644)
	os.WriteFile(rules, []byte("rules:\n  - column: users.password\n    action: redact\n"), 0o644)

	out, errs, code := runTool(t, "--mask", rules, "--schema", schema, bin)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out, "hunter2") || !strings.Contains(out, "(1,'***')") {
		t.Errorf("with --schema:\n%s", out)
	}
	out, errs, code = runTool(t, "--mask", rules, bin)
	if code != exitBadInput || !strings.Contains(errs, "column names unknown") || strings.Contains(out, "hunter2") {
		t.Errorf("without names: exit %d, stderr %q, stdout %q", code, errs, out)
	}
}
