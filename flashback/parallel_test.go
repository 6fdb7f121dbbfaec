package flashback

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// undo runs add on a new Flashback and returns what its outputs give: the
// rollback binlog, the Summary, the Table_maps CheckSQL checks (where each
// was met) and the error.
func undo(t *testing.T, opts Options, add func(*Flashback) error) (out []byte, sum Summary, maps []string, err error) {
	opts.TempDir = t.TempDir()
	fb, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	if err := add(fb); err != nil {
		return nil, Summary{}, nil, err
	}
	for _, m := range fb.tableMaps {
		maps = append(maps, fmt.Sprintf("%s:%d %x", m.file, m.pos, m.key))
	}
	if fb.Summary().Transactions > 0 {
		var b bytes.Buffer
		if err := fb.WriteBinlog(&b); err != nil {
			t.Fatal(err)
		}
		out = b.Bytes()
	}
	return out, *fb.Summary(), maps, nil
}

// TestAddParallelSameAsAdd: AddParallel gives the rollback binlog (every
// record of the spill file), Summary, Table_maps and errors Add gives, on
// the recorded binlogs as one stream and on every file of the shared
// corpus, with and without SkipUnsafe, whatever the workers and batches.
func TestAddParallelSameAsAdd(t *testing.T) {
	var inputs [][]string
	for _, v := range []string{"full", "minimal"} {
		files, _ := filepath.Glob(filepath.Join("../testdata/recorded", "mariadb-10_11-"+v+".00000?"))
		if len(files) == 0 {
			t.Fatal("no recorded binlogs")
		}
		inputs = append(inputs, files)
	}
	if ents, err := os.ReadDir(corpusDirs[0]); err == nil {
		for _, e := range ents {
			if n := e.Name(); !e.IsDir() && n != "README.md" && n != "SHA256SUMS" {
				inputs = append(inputs, []string{filepath.Join(corpusDirs[0], n)})
			}
		}
	} else {
		t.Logf("shared corpus absent: only the recorded binlogs are compared")
	}
	ctx := context.Background()
	undone := 0
	for _, procs := range []int{1, max(2, runtime.GOMAXPROCS(0))} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			for _, files := range inputs {
				name := filepath.Base(files[0])
				for _, skip := range []bool{true, false} {
					opts := Options{SkipUnsafe: skip, MemoryBudget: 1 << 20}
					want, wantSum, wantMaps, wantErr := undo(t, opts, func(fb *Flashback) error {
						src := binlog.OpenFiles(files...)
						defer src.Close()
						return fb.Add(ctx, binlog.NewReader(src))
					})
					if wantSum.Transactions > 0 {
						undone++
					}
					for _, popts := range []binlog.ParallelOptions{{Workers: 2, BatchBytes: 1}, {Workers: 3, BatchBytes: 700}, {Workers: 4}} {
						got, gotSum, gotMaps, gotErr := undo(t, opts, func(fb *Flashback) error {
							src := binlog.OpenFiles(files...)
							defer src.Close()
							return fb.AddParallel(ctx, src, popts)
						})
						where := fmt.Sprintf("procs %d, %s, skip %v, %+v", procs, name, skip, popts)
						if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
							t.Errorf("%s: error %v, want %v", where, gotErr, wantErr)
							continue
						}
						if !bytes.Equal(got, want) {
							t.Errorf("%s: rollback binlogs differ (%d and %d bytes)", where, len(got), len(want))
						}
						if !reflect.DeepEqual(gotSum, wantSum) {
							t.Errorf("%s: Summary\n%+v\nwant\n%+v", where, gotSum, wantSum)
						}
						if g, w := strings.Join(gotMaps, "\n"), strings.Join(wantMaps, "\n"); g != w {
							t.Errorf("%s: Table_maps\n%s\nwant\n%s", where, g, w)
						}
					}
				}
			}
		}()
	}
	if undone == 0 {
		t.Fatal("no input had anything to undo")
	}
}

// TestAddParallelLongLists: past the 1000 skipped transactions and 100
// ignored statements the Summary lists, AddParallel's Summary is still
// Add's (the workers stop formatting reasons once the lists are full).
func TestAddParallelLongLists(t *testing.T) {
	f := newFab(t, "10.11.6-MariaDB-log")
	for i := range 1500 {
		f.begin()
		switch i % 3 {
		case 0:
			f.ev(&event.Query{Schema: []byte("db"), Query: []byte(fmt.Sprintf("ALTER TABLE t1 ADD COLUMN c%d INT", i))})
		case 1:
			f.ev(&event.Query{Schema: []byte("db"), Query: []byte(fmt.Sprintf("GRANT SELECT ON db.* TO u%d", i))})
		default:
			f.rows(event.RowsWrite, true, [2]int64{int64(i), 1})
			f.commit(uint64(i))
		}
	}
	path := filepath.Join(t.TempDir(), "bin.000001")
	if err := os.WriteFile(path, f.buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, skip := range []bool{true, false} {
		opts := Options{SkipUnsafe: skip}
		want, wantSum, _, wantErr := undo(t, opts, func(fb *Flashback) error {
			src := binlog.OpenFiles(path)
			defer src.Close()
			return fb.Add(ctx, binlog.NewReader(src))
		})
		if skip && (wantSum.SkippedCount != 500 || wantSum.IgnoredCount != 500 || len(wantSum.Ignored) != 100) {
			t.Fatalf("Add: %d skipped, %d ignored (%d listed)", wantSum.SkippedCount, wantSum.IgnoredCount, len(wantSum.Ignored))
		}
		for _, popts := range []binlog.ParallelOptions{{Workers: 2, BatchBytes: 1}, {Workers: 4, BatchBytes: 5000}} {
			got, gotSum, _, gotErr := undo(t, opts, func(fb *Flashback) error {
				src := binlog.OpenFiles(path)
				defer src.Close()
				return fb.AddParallel(ctx, src, popts)
			})
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !bytes.Equal(got, want) || !reflect.DeepEqual(gotSum, wantSum) {
				t.Errorf("skip %v %+v: error %v (want %v), %d bytes (want %d), Summary\n%+v\nwant\n%+v", skip, popts, gotErr, wantErr, len(got), len(want), gotSum, wantSum)
			}
		}
	}
}

// TestWriteSQLWorkers: WriteSQL with Workers writes the bytes it writes
// on one goroutine, errors included, on the recorded binlogs and the
// shared corpus, with runs of one transaction or many, and with a budget
// small enough that some transactions are too big for a run.
func TestWriteSQLWorkers(t *testing.T) {
	var inputs []string
	for _, dir := range corpusDirs {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if n := e.Name(); !e.IsDir() && n != "README.md" && n != "SHA256SUMS" && filepath.Ext(n) != ".txt" && filepath.Ext(n) != ".sql" {
				inputs = append(inputs, filepath.Join(dir, n))
			}
		}
	}
	defer func(n int) { sqlJobBytes = n }(sqlJobBytes)
	ctx := context.Background()
	parallel := 0
	for _, path := range inputs {
		for _, budget := range []int64{1 << 20, 1 << 14} {
			fb, err := New(Options{TempDir: t.TempDir(), SkipUnsafe: true, MemoryBudget: budget})
			if err != nil {
				t.Fatal(err)
			}
			src := binlog.OpenFiles(path)
			err = fb.Add(ctx, binlog.NewReader(src))
			src.Close()
			if err != nil || fb.Summary().Transactions == 0 {
				fb.Close()
				continue
			}
			write := func(workers int) (string, error) {
				var b bytes.Buffer
				err := fb.WriteSQL(&b, sqlgen.New(nil, sqlgen.Options{AllowUnknownGenerated: true}), SQLOptions{Workers: workers})
				return b.String(), err
			}
			want, wantErr := write(1)
			if fb.namedMaps() {
				parallel++
			}
			for _, jb := range []int{1, 256 << 10} {
				sqlJobBytes = jb
				for _, workers := range []int{2, 3} {
					got, err := write(workers)
					if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
						t.Errorf("%s budget %d, runs of %d bytes, %d workers: %d bytes, error %v; want %d bytes, error %v",
							filepath.Base(path), budget, jb, workers, len(got), err, len(want), wantErr)
					}
				}
			}
			fb.Close()
		}
	}
	if parallel < 4 {
		t.Errorf("only %d rollbacks written on several goroutines", parallel)
	}
}
