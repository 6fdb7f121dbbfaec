package rowcodec

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// needsDefinitions names the recorded binlogs whose rows decode only with
// the tables' definitions (MariaDB's older temporal formats: TESTCASES
// #35), which mariadb-binlog cannot print either: the tests that read every
// recording without a schema leave them to hires_recorded_test.go.
var needsDefinitions = map[string]bool{"mariadb-10_11-hires.000002": true}

// recordedFiles returns the project's recorded MariaDB binlogs that have a
// mariadb-binlog -vv text beside them, but for those of needsDefinitions.
func recordedFiles(t testing.TB) []string {
	t.Helper()
	all, err := filepath.Glob("../testdata/recorded/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range all {
		if strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".sql") || needsDefinitions[filepath.Base(p)] {
			continue
		}
		if _, err := os.Stat(p + ".mariadb-binlog.txt"); err == nil {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		t.Skip("no recorded binlogs")
	}
	return out
}

// rowsEvents calls fn for every rows event of the binlog at path with its
// Table_map.
func rowsEvents(t testing.TB, path string, fn func(ev *event.Event, r *event.Rows)) {
	t.Helper()
	src, err := binlog.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rd := binlog.NewReader(src)
	for {
		ev, err := rd.Next(context.Background())
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if r, ok := ev.Body.(*event.Rows); ok {
			fn(ev, r)
		}
	}
}

// renderRows renders a rows event's rows as mariadb-binlog -vv does (the
// ### lines only).
func renderRows(tb *Table, r *event.Rows, before, after []Value) ([]string, error) {
	var lines []string
	name := string(tb.AppendName(nil))
	image := func(vals []Value) error {
		for i, v := range vals[:len(tb.Columns)] {
			if v.IsAbsent() {
				continue
			}
			line, err := v.AppendMySQLBinlog(fmt.Appendf(nil, "###   @%d=", i+1), &tb.Columns[i], event.MariaDB)
			if err != nil {
				return err
			}
			lines = append(lines, string(line))
		}
		return nil
	}
	if err := r.Decompress(); err != nil {
		return nil, err
	}
	kind := r.Kind()
	off := 0
	for off < len(r.Data) {
		switch kind {
		case event.RowsWrite:
			lines = append(lines, "### INSERT INTO "+name, "### SET")
			n, err := tb.DecodeRow(r.Data[off:], r.ColumnsAfter, after)
			if err != nil {
				return lines, err
			}
			off += n
			if err := image(after); err != nil {
				return lines, err
			}
		case event.RowsDelete:
			lines = append(lines, "### DELETE FROM "+name, "### WHERE")
			n, err := tb.DecodeRow(r.Data[off:], r.ColumnsBefore, before)
			if err != nil {
				return lines, err
			}
			off += n
			if err := image(before); err != nil {
				return lines, err
			}
		case event.RowsUpdate:
			lines = append(lines, "### UPDATE "+name, "### WHERE")
			n, err := tb.DecodeRow(r.Data[off:], r.ColumnsBefore, before)
			if err != nil {
				return lines, err
			}
			off += n
			if err := image(before); err != nil {
				return lines, err
			}
			lines = append(lines, "### SET")
			n, err = tb.DecodeRow(r.Data[off:], r.ColumnsAfter, after)
			if err != nil {
				return lines, err
			}
			off += n
			if err := image(after); err != nil {
				return lines, err
			}
		}
	}
	return lines, nil
}

// goldenLines returns the ### lines of a mariadb-binlog -vv text.
func goldenLines(t testing.TB, path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range bytes.Split(b, []byte("\n")) {
		if bytes.HasPrefix(l, []byte("### ")) {
			out = append(out, string(l))
		}
	}
	return out
}

// commentType returns the type name of a "###   @N=… /* TYPE meta=…" line.
func commentType(line string) string {
	i := strings.LastIndex(line, " /* ")
	if i < 0 {
		return "structure"
	}
	rest := line[i+4:]
	if j := strings.Index(rest, " meta="); j >= 0 {
		return rest[:j]
	}
	return "structure"
}

// TestGoldenMariaDB decodes every row of the recorded MariaDB binlogs and
// compares each ###   @N= line with mariadb-binlog -vv's output, one
// subtest per column type as mariadb-binlog names it (INT, VARSTRING(40),
// DECIMAL(14,4), …) plus "structure" for the INSERT/UPDATE/DELETE/WHERE/SET
// lines.
func TestGoldenMariaDB(t *testing.T) {
	type mismatch struct{ file, want, got string }
	byType := map[string][]mismatch{}
	counts := map[string]int{}
	tb := new(Table)
	before := make([]Value, 4096)
	after := make([]Value, 4096)
	for _, path := range recordedFiles(t) {
		var got []string
		rowsEvents(t, path, func(ev *event.Event, r *event.Rows) {
			if ev.Table == nil {
				t.Fatalf("%s@%d: rows event without table map", path, ev.Pos)
			}
			if err := tb.Reset(ev.Table); err != nil {
				t.Fatalf("%s@%d: %v", path, ev.Pos, err)
			}
			lines, err := renderRows(tb, r, before, after)
			got = append(got, lines...)
			if err != nil {
				t.Errorf("%s@%d: %v", path, ev.Pos, err)
			}
		})
		want := goldenLines(t, path+".mariadb-binlog.txt")
		if len(got) != len(want) {
			t.Errorf("%s: %d ### lines, mariadb-binlog printed %d", filepath.Base(path), len(got), len(want))
		}
		for i := 0; i < len(want) && i < len(got); i++ {
			typ := commentType(want[i])
			counts[typ]++
			if got[i] != want[i] {
				byType[typ] = append(byType[typ], mismatch{filepath.Base(path), want[i], got[i]})
			}
		}
	}
	types := make([]string, 0, len(counts))
	for typ := range counts {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		t.Run(typ, func(t *testing.T) {
			ms := byType[typ]
			for i, m := range ms {
				if i == 5 {
					t.Errorf("… and %d more", len(ms)-5)
					break
				}
				t.Errorf("%s:\n want %q\n  got %q", m.file, m.want, m.got)
			}
			if len(ms) == 0 {
				t.Logf("%d lines match", counts[typ])
			}
		})
	}
}

// TestCorpusRowsDecode decodes every rows event of every shared-corpus and
// recorded binlog: each must decode to its last byte.
func TestCorpusRowsDecode(t *testing.T) {
	ents, err := os.ReadDir(sharedCorpus)
	if err != nil {
		t.Logf("shared corpus absent (%v): the project's recordings only", err)
	}
	var files []string
	for _, e := range ents {
		if !e.IsDir() && !strings.HasSuffix(e.Name(), ".md") && e.Name() != "SHA256SUMS" {
			files = append(files, filepath.Join(sharedCorpus, e.Name()))
		}
	}
	files = append(files, recordedFiles(t)...)
	before, after := make([]Value, 4096), make([]Value, 4096)
	tb := new(Table)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := binlog.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			rd := binlog.NewReader(src)
			rows := 0
			for {
				ev, err := rd.Next(context.Background())
				if err != nil {
					break // framing errors are the binlog package's business
				}
				r, ok := ev.Body.(*event.Rows)
				if !ok || ev.Table == nil {
					continue
				}
				if err := tb.Reset(ev.Table); err != nil {
					t.Errorf("@%d table map: %v", ev.Pos, err)
					continue
				}
				it := tb.Rows(r, before, after)
				for it.Next() {
					rows++
				}
				if err := it.Err(); err != nil {
					t.Errorf("@%d %v: %v", ev.Pos, r.Type, err)
				}
			}
			t.Logf("%d rows decoded", rows)
		})
	}
}
