//go:build integration

package sqlgen

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/schema"
)

// newTrackedFileSchema builds a schema from CREATE TABLE text that follows
// the stream's DDL: the schema-file source.
var newTrackedFileSchema = func(createTables io.Reader) (schema.Provider, error) { return schema.Parse(createTables) }

// roundTripWorkload is the project's recording workload: every column
// type, keyless tables, composite keys, DDL mid-stream (ADD COLUMN … FIRST,
// DROP COLUMN, MODIFY, RENAME TABLE), a binlog rotation.
const roundTripWorkload = "../testdata/workload.sql"

// checksums returns "db.table<TAB>checksum" lines for every base table of
// the user databases, sorted.
func checksums(t *testing.T, srv *mariadbtest.Server) string {
	t.Helper()
	list := srv.Query(t, "SELECT table_schema, table_name FROM information_schema.tables "+
		"WHERE table_type='BASE TABLE' AND table_schema NOT IN ('mysql','information_schema','performance_schema','sys') "+
		"ORDER BY table_schema, table_name")
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(list), "\n") {
		db, name, ok := strings.Cut(l, "\t")
		if !ok {
			continue
		}
		q := func(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }
		names = append(names, q(db)+"."+q(name))
	}
	if len(names) == 0 {
		t.Fatal("no tables to compare")
	}
	return srv.Query(t, "CHECKSUM TABLE "+strings.Join(names, ", ")+" EXTENDED")
}

// generateFiles turns the binlog files into forward SQL with DDL.
func generateFiles(t *testing.T, files []string, schema schema.Provider, opts Options) []byte {
	t.Helper()
	r := binlog.NewReader(binlog.OpenFiles(files...))
	g := New(schema, opts)
	out := g.Preamble(nil)
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if out, err = g.AppendEvent(out, ev); err != nil {
			t.Fatal(err)
		}
	}
}

// roundTrip records the workload on a fresh server, replays the generated
// SQL into a second fresh server and compares CHECKSUM TABLE of every table.
func roundTrip(t *testing.T, args []string, schema func() schema.Provider, opts Options) {
	src := mariadbtest.Start(t, mariadbtest.WithArgs(args...))
	// The workload restarts the server at "-- @restart", as record.sh
	// does: table ids start again in the next binlog (TESTCASES #33).
	script, err := os.ReadFile(roundTripWorkload)
	if err != nil {
		t.Fatal(err)
	}
	before, after, ok := strings.Cut(string(script), "\n-- @restart")
	if !ok {
		t.Fatal("no -- @restart line in the workload")
	}
	dir := t.TempDir()
	for i, part := range []string{before, after} {
		if i == 1 {
			src.Restart(t)
		}
		p := filepath.Join(dir, "part"+strconv.Itoa(i)+".sql")
		if i == 1 {
			// The session settings of the script's head apply to its tail.
			head, _, _ := strings.Cut(before, "CREATE DATABASE")
			part = head + "USE binlogkit;\n" + part
		}
		if err := os.WriteFile(p, []byte(part), 0o644); err != nil {
			t.Fatal(err)
		}
		src.ExecFile(t, p)
	}
	want := checksums(t, src)
	src.FlushLogs(t)
	files := src.BinlogFiles(t)
	sql := generateFiles(t, files, schema(), opts)
	path := filepath.Join(t.TempDir(), "forward.sql")
	if err := os.WriteFile(path, sql, 0o644); err != nil {
		t.Fatal(err)
	}
	dst := mariadbtest.Start(t)
	dst.ExecFile(t, path)
	got := checksums(t, dst)
	if got != want {
		keep := filepath.Join(os.TempDir(), "sqlgen-roundtrip-"+strings.ReplaceAll(t.Name(), "/", "_")+".sql")
		os.WriteFile(keep, sql, 0o644)
		t.Errorf("CHECKSUM TABLE after replay differs (SQL kept in %s)\n got:\n%s\nwant:\n%s", keep, got, want)
	}
}

// TestRoundTrip is the done-criterion of forward SQL: replaying it into an
// empty server reproduces every table exactly (TESTCASES #33: rows logged
// around ADD/DROP COLUMN, reorder and RENAME decode with the schema in force).
func TestRoundTrip(t *testing.T) {
	t.Run("FullMetadata", func(t *testing.T) {
		roundTrip(t, nil, func() schema.Provider { return nil }, Options{DDL: true})
	})
	t.Run("FullMetadataBatchedNoBackslash", func(t *testing.T) {
		roundTrip(t, nil, func() schema.Provider { return nil }, Options{DDL: true, BatchRows: 50, NoBackslashEscapes: true, FullColumns: true, NoComments: true})
	})
	// TESTCASES #24: MINIMAL and NOBLOB images leave columns out; absent
	// columns never appear in SET or WHERE.
	t.Run("MinimalImages", func(t *testing.T) {
		roundTrip(t, []string{"--binlog-row-image=MINIMAL"}, func() schema.Provider { return nil }, Options{DDL: true})
	})
	t.Run("NoblobImages", func(t *testing.T) {
		roundTrip(t, []string{"--binlog-row-image=NOBLOB"}, func() schema.Provider { return nil }, Options{DDL: true})
	})
	t.Run("SchemaFileWithDDLTracking", func(t *testing.T) {
		// MINIMAL metadata: names come only from the schema file (empty:
		// every table is created in the stream) and the DDL it tracks.
		roundTrip(t, []string{"--binlog-row-metadata=MINIMAL"}, func() schema.Provider {
			s, err := newTrackedFileSchema(strings.NewReader(""))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, Options{DDL: true})
	})
}
