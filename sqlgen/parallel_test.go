package sqlgen

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/schema"
)

// sequentialSQL is what a loop of AppendEvent over one Reader writes, and
// the error that ends it.
func sequentialSQL(src binlog.Source, schema schema.Provider, opts Options) (string, error) {
	r := binlog.NewReader(src)
	g := New(schema, opts)
	var out []byte
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			return string(out), nil
		}
		if err != nil {
			return string(out), err
		}
		if out, err = g.AppendEvent(out, ev); err != nil {
			return string(out), err
		}
	}
}

func parallelSQL(src binlog.Source, schema schema.Provider, opts Options, popts binlog.ParallelOptions) (string, error) {
	var out bytes.Buffer
	err := Parallel(context.Background(), &out, src, schema, opts, popts)
	return out.String(), err
}

func recordedFiles(t *testing.T, variant string) []string {
	files, _ := filepath.Glob("../testdata/recorded/mariadb-10_11-" + variant + ".00000?")
	if len(files) == 0 {
		t.Fatal("no recorded binlogs")
	}
	return files
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// diffAt describes where two outputs part.
func diffAt(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return "at byte " + strconv.Itoa(i) + ":\n  sequential …" + a[lo:min(len(a), i+80)] + "\n  parallel   …" + b[lo:min(len(b), i+80)]
}

// TestParallelSameSQL checks that Parallel writes byte for byte what the
// sequential Generator writes, and fails with the same error after the
// same output, for the recorded binlogs of both variants (DDL history
// included) and the shared corpus, with 1 to 8 workers and batch sizes
// from one transaction up.
func TestParallelSameSQL(t *testing.T) { bothWays(t, testParallelSameSQL) }

// bothWays runs f with GOMAXPROCS 1 (batches cut in place, one at a time)
// and with the pipeline of goroutines.
func bothWays(t *testing.T, f func(t *testing.T)) {
	for _, procs := range []int{1, max(2, runtime.GOMAXPROCS(0))} {
		t.Run("procs="+strconv.Itoa(procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			f(t)
		})
	}
}

func testParallelSameSQL(t *testing.T) {
	type input struct {
		name   string
		files  []string
		schema func() schema.Provider
		opts   Options
	}
	inputs := []input{
		{"full ddl", recordedFiles(t, "full"), func() schema.Provider { return nil }, Options{DDL: true}},
		{"full metadata", recordedFiles(t, "full"), func() schema.Provider { return schema.NewMetadata() }, Options{FullColumns: true, NoComments: true}},
		{"full catalog batch", recordedFiles(t, "full"), func() schema.Provider { return schema.NewCatalog() },
			Options{DDL: true, BatchRows: 3, Replace: true, RewriteDB: map[string]string{"binlogkit": "copy"}}},
		{"minimal catalog", recordedFiles(t, "minimal"), func() schema.Provider { return schema.NewCatalog() }, Options{DDL: true, Positional: true}},
		{"minimal positional", recordedFiles(t, "minimal"), func() schema.Provider { return nil }, Options{Positional: true, SQLTypes: SQLUpdate | SQLDelete}},
		// A schema that fails for one table: generation stops at its first
		// rows event.
		{"minimal failing schema", recordedFiles(t, "minimal"), func() schema.Provider { return &failingSchema{schema.NewCatalog(), "tx"} }, Options{DDL: true}},
	}
	if ents, err := os.ReadDir(sharedCorpus); err == nil {
		for _, e := range ents {
			if n := e.Name(); !e.IsDir() && !strings.HasSuffix(n, ".md") && n != "SHA256SUMS" {
				inputs = append(inputs, input{n, []string{filepath.Join(sharedCorpus, n)}, func() schema.Provider { return schema.NewCatalog() }, Options{DDL: true, Positional: true}})
			}
		}
	}
	for _, in := range inputs {
		want, wantErr := sequentialSQL(binlog.OpenFiles(in.files...), in.schema(), in.opts)
		if len(want) < 100 && wantErr == nil && strings.HasPrefix(in.name, "full") {
			t.Fatalf("%s: only %d bytes of SQL", in.name, len(want))
		}
		for _, workers := range []int{1, 2, 4, 8} {
			for _, bb := range []int{1, 2000, 0} {
				got, err := parallelSQL(binlog.OpenFiles(in.files...), in.schema(), in.opts, binlog.ParallelOptions{Workers: workers, BatchBytes: bb})
				if got != want {
					t.Errorf("%s workers=%d batch=%d: output differs %s", in.name, workers, bb, diffAt(want, got))
				}
				if errText(err) != errText(wantErr) {
					t.Errorf("%s workers=%d batch=%d: error %v, sequential %v", in.name, workers, bb, err, wantErr)
				}
			}
		}
		if in.name == "minimal failing schema" && (wantErr == nil || len(want) == 0) {
			t.Errorf("%s: the sequential run does not fail after some output (%d bytes, %v)", in.name, len(want), wantErr)
		}
	}
}

// failingSchema is a Catalog that fails to give one table.
type failingSchema struct {
	*schema.Catalog
	fail string
}

func (s *failingSchema) Table(db, name string) (*schema.Table, error) {
	if name == s.fail {
		return nil, errors.New("no access to " + name)
	}
	return s.Catalog.Table(db, name)
}

// TestParallelReadError checks a checksum error in the middle of a file:
// the output before it and the error are the sequential ones.
func TestParallelReadError(t *testing.T) { bothWays(t, testParallelReadError) }

func testParallelReadError(t *testing.T) {
	path := recordedFiles(t, "full")[0]
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x10
	bad := filepath.Join(t.TempDir(), filepath.Base(path))
	os.WriteFile(bad, b, 0o644)
	want, wantErr := sequentialSQL(binlog.OpenFiles(bad), nil, Options{DDL: true})
	if wantErr == nil || len(want) == 0 {
		t.Fatalf("sequential: %d bytes, error %v", len(want), wantErr)
	}
	for _, workers := range []int{1, 2, 8} {
		got, err := parallelSQL(binlog.OpenFiles(bad), nil, Options{DDL: true}, binlog.ParallelOptions{Workers: workers, BatchBytes: 1500})
		if got != want || errText(err) != errText(wantErr) {
			t.Errorf("workers=%d: error %v (want %v); output same: %v", workers, err, wantErr, got == want)
		}
	}
}

type failWriter struct{ n int }

var errWrite = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n--; w.n < 0 {
		return 0, errWrite
	}
	return len(p), nil
}

// TestParallelStopsCleanly checks a failing writer and a cancelled context,
// and that no goroutine outlives Parallel.
func TestParallelStopsCleanly(t *testing.T) { bothWays(t, testParallelStopsCleanly) }

func testParallelStopsCleanly(t *testing.T) {
	files := recordedFiles(t, "full")
	base := runtime.NumGoroutine()
	popts := binlog.ParallelOptions{Workers: 4, BatchBytes: 1}
	err := Parallel(context.Background(), &failWriter{n: 3}, binlog.OpenFiles(files...), nil, Options{}, popts)
	if !errors.Is(err, errWrite) {
		t.Errorf("failing writer: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cw := writerFunc(func(p []byte) (int, error) { cancel(); return len(p), nil })
	err = Parallel(ctx, cw, binlog.OpenFiles(files...), nil, Options{}, popts)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	for i := 0; i < 200 && runtime.NumGoroutine() > base; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		t.Errorf("%d goroutines left, %d before", n, base)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
