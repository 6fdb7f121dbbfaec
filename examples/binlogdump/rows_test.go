package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// hashLines returns the "###" lines of a text.
func hashLines(text string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "### ") {
			out = append(out, sc.Text())
		}
	}
	return out
}

// TestVerboseRowsMatchMariaDB: `binlogdump -v` prints every row of the
// project's recorded binlogs (every column type of the workload, FULL and
// MINIMAL images, compressed events) exactly as mariadb-binlog -vv did. The
// rows of MariaDB's older temporal formats, which mariadb-binlog cannot
// print and which need their table's definition, are hires_test.go's.
func TestVerboseRowsMatchMariaDB(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/recorded/mariadb-*.00000?")
	if len(files) == 0 {
		t.Fatal("no recorded binlogs")
	}
	total := 0
	for _, f := range files {
		if f == hiresRows {
			continue
		}
		golden, err := os.ReadFile(f + ".mariadb-binlog.txt")
		if err != nil {
			t.Fatal(err)
		}
		code, out, stderr := dump(t, nil, "-v", f)
		checkOK(t, code, stderr)
		got, want := hashLines(out), hashLines(string(golden))
		total += len(want)
		for i := 0; i < len(got) && i < len(want); i++ {
			if got[i] != want[i] {
				t.Errorf("%s: line %d\n got %s\nwant %s", filepath.Base(f), i, got[i], want[i])
				break
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d ### lines, mariadb-binlog printed %d", filepath.Base(f), len(got), len(want))
		}
	}
	if total < 500 {
		t.Errorf("only %d ### lines compared", total)
	}
}

// TestJSONRows: --json carries every row, each value as
// rowcodec.Value.AppendJSON writes it: null, numbers for integer types,
// strings (base64 for binary values), {"srid","wkb"} for GEOMETRY, and
// {"absent":true} for a column a MINIMAL image left out.
func TestJSONRows(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/recorded/mariadb-10_11-full.00000?")
	all := 0
	for _, f := range files {
		code, out, stderr := dump(t, nil, "--json", f)
		checkOK(t, code, stderr)
		_, text, _ := dump(t, nil, "-v", f)
		statements := 0
		for _, l := range hashLines(text) {
			if strings.HasPrefix(l, "### INSERT") || strings.HasPrefix(l, "### UPDATE") || strings.HasPrefix(l, "### DELETE") {
				statements++
			}
		}
		rows := 0
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var ev struct {
				Type string `json:"type"`
				Rows []struct {
					Before []any `json:"before"`
					After  []any `json:"after"`
				} `json:"rows"`
			}
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			rows += len(ev.Rows)
			for _, r := range ev.Rows {
				for _, v := range append(r.Before, r.After...) {
					switch v := v.(type) {
					case nil, float64, string:
					case map[string]any:
						_, geo := v["wkb"].(string)
						if v["absent"] != true && !geo {
							t.Errorf("value %v", v)
						}
					default:
						t.Errorf("value %v of type %T", v, v)
					}
				}
			}
		}
		if rows != statements {
			t.Errorf("%s: %d JSON rows, %d row statements in -v output", filepath.Base(f), rows, statements)
		}
		all += rows
	}
	if all < 50 {
		t.Errorf("only %d rows in the recordings", all)
	}
	// A few exact values from the sample.
	_, out, _ := dump(t, nil, "--json")
	for _, want := range []string{`"rows":[{"after":[3,"restart"]}]`, `"rows":[{"before":[2,"committed too"],"after":[2,"after restart"]}]`, `{"srid":3857,"wkb":"AQMAAAABAAAABAAAA`} {
		if !strings.Contains(out, want) {
			t.Errorf("--json output lacks %s", want)
		}
	}
}

// TestVerboseWideTable: -v numbers the value lines of a 300-column row
// @1 to @300, past the 256 whose line starts are prepared.
func TestVerboseWideTable(t *testing.T) {
	s := binlogtest.NewStream(event.MariaDB)
	cols := make([]binlogtest.Column, 300)
	row := make([]rowcodec.Value, 300)
	for i := range cols {
		cols[i] = binlogtest.Column{Name: fmt.Sprintf("c%d", i+1), Type: 3}
		row[i] = rowcodec.IntValue(int64(1000 + i))
	}
	s.Begin().TableMap(1, "shop", "wide", cols...).Insert(1, row).XID()
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "binlog.000001")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := dump(t, nil, "--workers", "1", "-v", path)
	checkOK(t, code, errs)
	var vals []string
	for _, l := range hashLines(out) {
		if strings.HasPrefix(l, "###   @") {
			vals = append(vals, l)
		}
	}
	if len(vals) != 300 {
		t.Fatalf("%d value lines, want 300:\n%s", len(vals), out)
	}
	for i, l := range vals {
		if want := fmt.Sprintf("###   @%d=%d /* INT meta=0 nullable=0 is_null=0 */", i+1, 1000+i); l != want {
			t.Errorf("line %d: %q, want %q", i, l, want)
		}
	}
}
