package sqlgen

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// sharedCorpus is the real binlog corpus beside the project (absent in a
// user's fresh clone).
const sharedCorpus = "../../shared/testdata/binlogs"

// generateFile runs a Generator over one binlog file and returns its SQL;
// an error ends the text with an "-- error:" line (golden files record
// them too).
func generateFile(t testing.TB, path string, schema schema.Provider, opts Options) string {
	t.Helper()
	src, err := binlog.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	return generateSource(t, src, schema, opts)
}

// generateSource is generateFile over any source.
func generateSource(t testing.TB, src binlog.Source, schema schema.Provider, opts Options) string {
	t.Helper()
	r := binlog.NewReader(src)
	g := New(schema, opts)
	out := g.Preamble(nil)
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			out = append(out, "-- read error: "+strings.ReplaceAll(err.Error(), "\n", " ")+"\n"...)
			break
		}
		out, err = g.AppendEvent(out, ev)
		if err != nil {
			out = append(out, "-- error: "+strings.ReplaceAll(err.Error(), "\n", " ")+"\n"...)
			break
		}
	}
	return string(out)
}

// goldenFiles lists the binlogs with golden SQL: the recorded project
// binlogs and, when present, the shared corpus.
func goldenFiles(t *testing.T) []string {
	files, _ := filepath.Glob("../testdata/recorded/mariadb-10_11-*.00000?")
	if _, err := os.Stat(sharedCorpus); err != nil {
		t.Logf("shared corpus %s absent: golden tests on it skipped", sharedCorpus)
		return files
	}
	ents, err := os.ReadDir(sharedCorpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || strings.HasSuffix(n, ".md") || n == "SHA256SUMS" {
			continue
		}
		files = append(files, filepath.Join(sharedCorpus, n))
	}
	return files
}

// TestGolden compares the SQL of every binlog with its golden file
// (go test ./sqlgen -run TestGolden -update rewrites them). Tables without
// logged names are written positionally (as comments), and MySQL tables
// with every logged column (AllowUnknownGenerated), so every file with rows
// shows its values.
func TestGolden(t *testing.T) {
	for _, path := range goldenFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			got := generateFile(t, path, nil, Options{DDL: true, Positional: true, AllowUnknownGenerated: true})
			golden := filepath.Join("testdata", "golden", name+".sql")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("SQL of %s differs from %s (run with -update and review the diff)", name, golden)
			}
		})
	}
}

// TestGoldenHires compares the SQL of the recorded hires workload (MariaDB's
// older temporal formats, TESTCASES #35: .000002 alone stops at its first
// rows, see TestGolden) read from its start, the precisions from the
// stream's CREATE and ALTER TABLE, with its golden file.
func TestGoldenHires(t *testing.T) {
	src := binlog.OpenFiles("../testdata/recorded/mariadb-10_11-hires.000001", "../testdata/recorded/mariadb-10_11-hires.000002")
	defer src.Close()
	got := generateSource(t, src, schema.NewCatalog(), Options{DDL: true})
	golden := filepath.Join("testdata", "golden", "mariadb-10_11-hires.sql")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("SQL differs from %s (run with -update and review the diff)", golden)
	}
	for _, s := range []string{"-- error", "'838:59:59.999999'", "'2038-01-19 03:14:07.999999'", "'1970-01-01 00:00:00.5'", "`t3`='-838:59:59.9999'"} {
		if strings.Contains(got, s) != (s != "-- error") {
			t.Errorf("SQL: %q present = %v", s, strings.Contains(got, s))
		}
	}
}
