package binlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/event"
)

// describe is one line per event: where it is, what it is, its bytes'
// CRC and, for a rows event, its table.
func describe(ev *event.Event) string {
	s := fmt.Sprintf("%s %d-%d in=%v/%d %s %d %08x", ev.File, ev.Pos, ev.NextPos, ev.InPayload, ev.PayloadOffset,
		ev.Header.Type, len(ev.Raw), crc32.ChecksumIEEE(ev.Raw))
	if ev.Table != nil {
		s += " " + string(ev.Table.Schema) + "." + string(ev.Table.Table)
	}
	if rows, ok := ev.Body.(*event.Rows); ok {
		s += fmt.Sprintf(" rows %d", len(rows.Data))
	}
	return s
}

func describeTx(tx *Transaction) string {
	return fmt.Sprintf("tx %s %d-%d gtid=%v/%s trx=%v complete=%v rollback=%v xid=%d n=%d",
		tx.File, tx.Pos, tx.EndPos, tx.HasGTID, tx.GTID.String(), tx.Transactional, tx.Complete, tx.Rollback, tx.XID, tx.Count)
}

// sequentialLines reads paths with one Reader: events, or transactions with
// their events.
func sequentialLines(ctx context.Context, src Source, txs bool, opts ...Option) []string {
	r := NewReader(src, opts...)
	var out []string
	if txs {
		for tx, err := range r.Transactions(ctx) {
			if err != nil {
				return append(out, "error: "+err.Error())
			}
			for ev, err := range tx.Events() {
				if err != nil {
					return append(out, "error: "+err.Error())
				}
				out = append(out, describe(ev))
			}
			out = append(out, describeTx(tx))
		}
		return out
	}
	for ev, err := range r.Events(ctx) {
		if err != nil {
			return append(out, "error: "+err.Error())
		}
		out = append(out, describe(ev))
	}
	return out
}

// parallelLines does what sequentialLines does with Parallel.
func parallelLines(ctx context.Context, src Source, txs bool, opts ParallelOptions) ([]string, error) {
	var out []string
	err := Parallel(ctx, src, opts, func() func(context.Context, *Batch) ([]string, error) {
		return func(ctx context.Context, b *Batch) ([]string, error) {
			var lines []string
			r := b.Reader()
			if txs {
				for tx, err := range r.Transactions(ctx) {
					if err != nil {
						return lines, err
					}
					for ev, err := range tx.Events() {
						if err != nil {
							return lines, err
						}
						lines = append(lines, describe(ev))
					}
					lines = append(lines, describeTx(tx))
				}
				return lines, nil
			}
			for ev, err := range r.Events(ctx) {
				if err != nil {
					return lines, err
				}
				lines = append(lines, describe(ev))
			}
			return lines, nil
		}
	}, func(lines []string) error {
		out = append(out, lines...)
		return nil
	})
	if err != nil {
		out = append(out, "error: "+err.Error())
	}
	return out, err
}

// bothWays runs f with GOMAXPROCS 1 (batches cut in place, one at a time)
// and with the pipeline of goroutines.
func bothWays(t *testing.T, f func(t *testing.T)) {
	for _, procs := range []int{1, max(2, runtime.GOMAXPROCS(0))} {
		t.Run(fmt.Sprintf("procs=%d", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			f(t)
		})
	}
}

// parallelInputs lists the inputs compared: the recorded files of each
// variant as one stream, and each file of the shared corpus when present.
func parallelInputs(t *testing.T) [][]string {
	var in [][]string
	for _, v := range []string{"full", "minimal"} {
		files, _ := filepath.Glob(filepath.Join(recordedCorpus, "mariadb-10_11-"+v+".00000?"))
		if len(files) == 0 {
			t.Fatal("no recorded binlogs")
		}
		in = append(in, files)
	}
	if ents, err := os.ReadDir(sharedCorpus); err == nil {
		for _, e := range ents {
			if n := e.Name(); !e.IsDir() && n != "README.md" && n != "SHA256SUMS" {
				in = append(in, []string{filepath.Join(sharedCorpus, n)})
			}
		}
	} else {
		t.Logf("shared corpus absent: only the recorded binlogs are compared")
	}
	return in
}

func firstDiff(a, b []string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("line %d:\n  sequential %s\n  parallel   %s", i, a[i], b[i])
		}
	}
	return fmt.Sprintf("sequential has %d lines, parallel %d", len(a), len(b))
}

// TestParallelSameEvents checks that the workers see exactly the events,
// transactions and errors a single Reader gives, in order, whatever the
// number of workers and the batch size (1 byte: a batch per transaction).
func TestParallelSameEvents(t *testing.T) { bothWays(t, testParallelSameEvents) }

func testParallelSameEvents(t *testing.T) {
	ctx := context.Background()
	// Every statement but BEGIN/COMMIT is a barrier in some runs: its
	// transaction is moved to a batch of its own.
	every := func(*event.Event) bool { return true }
	for _, files := range parallelInputs(t) {
		name := filepath.Base(files[0])
		// A single file is also read through OpenFile, memory-mapped on
		// unix: its events are not copied into the batches.
		open := func() Source { return OpenFiles(files...) }
		if len(files) == 1 {
			open = func() Source {
				s, err := OpenFile(files[0])
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
		}
		for _, txs := range []bool{false, true} {
			want := sequentialLines(ctx, OpenFiles(files...), txs)
			for _, workers := range []int{1, 2, 4, 8} {
				for _, bb := range []int{1, 700, 0} {
					opts := ParallelOptions{Workers: workers, BatchBytes: bb}
					if bb == 700 && workers != 4 {
						opts.Barrier = every
					}
					got, _ := parallelLines(ctx, open(), txs, opts)
					if strings.Join(got, "\n") != strings.Join(want, "\n") {
						t.Errorf("%s txs=%v workers=%d batch=%d: %s", name, txs, workers, bb, firstDiff(want, got))
					}
				}
			}
		}
	}
}

// TestParallelBarrier checks that a barrier transaction is alone in its
// batch and that no other batch runs at the same time.
func TestParallelBarrier(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	files, _ := filepath.Glob(filepath.Join(recordedCorpus, "mariadb-10_11-full.00000?"))
	tableMaps := 0 // Barrier sees them undecoded
	isDDL := func(ev *event.Event) bool {
		body, ok := ev.Body.(*event.Query)
		if !ok {
			if ev.Body != nil || ev.Header.Type != event.TableMapEvent || len(ev.Raw) != int(ev.Header.EventSize) || ev.Format == nil {
				t.Errorf("Barrier called with a %v event, body %T", ev.Header.Type, ev.Body)
			}
			tableMaps++
			return false
		}
		q := bytes.ToUpper(bytes.TrimSpace(body.Query))
		return bytes.HasPrefix(q, []byte("CREATE")) || bytes.HasPrefix(q, []byte("ALTER")) || bytes.HasPrefix(q, []byte("DROP"))
	}
	var running, barriers, maxWithBarrier int32
	barrierRunning := false
	mu := make(chan struct{}, 1)
	mu <- struct{}{}
	err := Parallel(context.Background(), OpenFiles(files...), ParallelOptions{Workers: 4, BatchBytes: 4096, Barrier: isDDL},
		func() func(context.Context, *Batch) (int, error) {
			return func(ctx context.Context, b *Batch) (int, error) {
				<-mu
				running++
				if b.Barrier() {
					barriers++
					barrierRunning = true
					if running > maxWithBarrier {
						maxWithBarrier = running
					}
				} else if barrierRunning {
					maxWithBarrier = 99 // a batch started during a barrier
				}
				mu <- struct{}{}
				ddl, txs := 0, 0
				for tx, err := range b.Reader().Transactions(ctx) {
					if err != nil {
						return 0, err
					}
					txs++
					for ev, err := range tx.Events() {
						if err != nil {
							return 0, err
						}
						if _, ok := ev.Body.(*event.Query); ok && isDDL(ev) {
							ddl++
						}
					}
				}
				time.Sleep(time.Millisecond) // give others a chance to overlap
				<-mu
				running--
				if b.Barrier() {
					barrierRunning = false
				}
				mu <- struct{}{}
				if b.Barrier() && ddl != 1 {
					return 0, fmt.Errorf("barrier batch %d holds %d DDL statements", b.Seq(), ddl)
				}
				if !b.Barrier() && ddl != 0 {
					return 0, fmt.Errorf("batch %d holds %d DDL statements but is no barrier", b.Seq(), ddl)
				}
				return txs, nil
			}
		}, func(int) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if barriers < 10 {
		t.Errorf("only %d barrier batches", barriers)
	}
	if tableMaps < 50 {
		t.Errorf("Barrier saw %d TABLE_MAP events", tableMaps)
	}
	if maxWithBarrier != 1 {
		t.Errorf("a barrier batch ran with %d batches in flight", maxWithBarrier)
	}
}

// corruptCopy writes a copy of path with the byte at off changed.
func corruptCopy(t *testing.T, path string, off int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[off] ^= 0x55
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestParallelErrors checks that a checksum error and a truncated file end
// the parallel read where a single Reader stops, with the same message
// (file, offset, type) and the same events before it.
func TestParallelErrors(t *testing.T) { bothWays(t, testParallelErrors) }

func testParallelErrors(t *testing.T) {
	ctx := context.Background()
	full := filepath.Join(recordedCorpus, "mariadb-10_11-full.000001")
	data, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	trunc := filepath.Join(t.TempDir(), "trunc.000001")
	os.WriteFile(trunc, data[:len(data)*2/3], 0o644)
	inputs := map[string]string{
		"checksum":  corruptCopy(t, full, len(data)/2),
		"header":    corruptCopy(t, full, len(data)/3),
		"truncated": trunc,
	}
	for name, path := range inputs {
		want := sequentialLines(ctx, OpenFiles(path), false)
		if !strings.HasPrefix(want[len(want)-1], "error: ") {
			t.Fatalf("%s: the sequential read does not fail", name)
		}
		for _, workers := range []int{1, 2, 8} {
			got, err := parallelLines(ctx, OpenFiles(path), false, ParallelOptions{Workers: workers, BatchBytes: 1000})
			if err == nil {
				t.Errorf("%s workers=%d: no error", name, workers)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s workers=%d: %s", name, workers, firstDiff(want, got))
			}
		}
		t.Logf("%s: %s", name, want[len(want)-1])
	}
}

// waitGoroutines waits until the goroutine count is back to n.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if runtime.NumGoroutine() <= n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Errorf("%d goroutines left running, %d before", runtime.NumGoroutine(), n)
}

// TestParallelStops checks that a work error, an emit error and a
// cancelled context each stop Parallel with that error, and that no
// goroutine is left behind.
func TestParallelStops(t *testing.T) { bothWays(t, testParallelStops) }

func testParallelStops(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(recordedCorpus, "mariadb-10_11-full.00000?"))
	base := runtime.NumGoroutine()
	errWork := errors.New("work failed")
	errEmit := errors.New("emit failed")
	for _, c := range []struct {
		name     string
		failWork uint64 // batch seq whose work fails (0: none)
		failEmit int    // emit call that fails (0: none)
		cancelAt int    // emit call that cancels (0: none)
		want     error
		maxEmits int
	}{
		{name: "work", failWork: 5, want: errWork, maxEmits: 6},
		{name: "emit", failEmit: 3, want: errEmit, maxEmits: 3},
		{name: "cancel", cancelAt: 2, want: context.Canceled, maxEmits: 3},
	} {
		for _, workers := range []int{1, 3, 8} {
			ctx, cancel := context.WithCancel(context.Background())
			emits := 0
			var lastSeq uint64
			err := Parallel(ctx, OpenFiles(files...), ParallelOptions{Workers: workers, BatchBytes: 1},
				func() func(context.Context, *Batch) (uint64, error) {
					return func(ctx context.Context, b *Batch) (uint64, error) {
						for _, err := range b.Reader().Events(ctx) {
							if err != nil {
								return b.Seq(), err
							}
						}
						if c.failWork != 0 && b.Seq() == c.failWork {
							return b.Seq(), errWork
						}
						return b.Seq(), nil
					}
				}, func(seq uint64) error {
					if emits > 0 && seq != lastSeq+1 || emits == 0 && seq != 0 {
						t.Errorf("%s: emitted batch %d after %d", c.name, seq, lastSeq)
					}
					lastSeq = seq
					emits++
					if emits == c.failEmit {
						return errEmit
					}
					if emits == c.cancelAt {
						cancel()
					}
					return nil
				})
			cancel()
			if !errors.Is(err, c.want) {
				t.Errorf("%s workers=%d: error %v, want %v", c.name, workers, err, c.want)
			}
			if emits > c.maxEmits {
				t.Errorf("%s workers=%d: %d results emitted, at most %d expected", c.name, workers, emits, c.maxEmits)
			}
			if c.failWork != 0 && lastSeq != c.failWork {
				t.Errorf("%s workers=%d: last result emitted is batch %d, want the failed batch %d", c.name, workers, lastSeq, c.failWork)
			}
		}
	}
	waitGoroutines(t, base)
}

// slowSource hands out events of a Source one at a time and blocks after
// n events until its context ends.
type slowSource struct {
	Source
	n int
}

func (s *slowSource) ReadEvent(ctx context.Context) ([]byte, error) {
	if s.n == 0 {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	s.n--
	return s.Source.ReadEvent(ctx)
}

// TestParallelCancelWhileReading checks that cancelling the context ends a
// Parallel whose source blocks.
func TestParallelCancelWhileReading(t *testing.T) { bothWays(t, testParallelCancelWhileReading) }

func testParallelCancelWhileReading(t *testing.T) {
	base := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	src := &slowSource{Source: OpenFiles(filepath.Join(recordedCorpus, "mariadb-10_11-full.000001")), n: 20}
	err := Parallel(ctx, src, ParallelOptions{Workers: 2}, func() func(context.Context, *Batch) (int, error) {
		return func(ctx context.Context, b *Batch) (int, error) {
			n := 0
			for _, err := range b.Reader().Events(ctx) {
				if err != nil {
					return n, err
				}
				n++
			}
			return n, nil
		}
	}, func(int) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want the deadline", err)
	}
	waitGoroutines(t, base)
}

// FuzzParallel feeds arbitrary bytes to Parallel and to a single Reader.
// Invariant: the workers see the same events and transactions, and
// Parallel ends with the same error, whatever the input. (Table_maps are
// left out of the comparison: a worker knows those of its own batches
// only, and servers write a transaction's Table_maps inside it.)
func FuzzParallel(f *testing.F) {
	f.Add(fabricate(f, 3, 20), uint16(1))
	for _, p := range []string{"mariadb-10_11-full.000002", "mariadb-10_11-minimal.000003"} {
		if data, err := os.ReadFile(filepath.Join(recordedCorpus, p)); err == nil {
			f.Add(data, uint16(300))
			f.Add(data[:len(data)*3/4], uint16(0))
		}
	}
	if data, err := os.ReadFile(filepath.Join(sharedCorpus, "transaction_compression.000001")); err == nil {
		f.Add(data[:min(len(data), 16<<10)], uint16(500))
	}
	f.Fuzz(func(t *testing.T, data []byte, batch uint16) {
		if batch%2 == 1 {
			// Batches cut in place, one at a time.
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		}
		ctx := context.Background()
		// A deadlock would stall the fuzzer silently: crash instead, so
		// that the input is kept.
		timer := time.AfterFunc(30*time.Second, func() { panic("Parallel did not return within 30s") })
		defer timer.Stop()
		opts := []Option{WithMaxEventSize(1 << 20)}
		for _, txs := range []bool{false, true} {
			src := func() Source { return NewStreamSource(bytes.NewReader(data), "fuzz") }
			want := sequentialLines(ctx, src(), txs, opts...)
			got, _ := parallelLines(ctx, src(), txs, ParallelOptions{Workers: 3, BatchBytes: int(batch), ReaderOptions: opts})
			for i := range want {
				want[i] = stripTable(want[i])
			}
			for i := range got {
				got[i] = stripTable(got[i])
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("txs=%v: %s", txs, firstDiff(want, got))
			}
		}
	})
}

// stripTable drops the table name describe appends to a rows event.
func stripTable(s string) string {
	if i := strings.Index(s, " rows "); i >= 0 {
		if j := strings.LastIndex(s[:i], " "); j > 0 && strings.Contains(s[j:i], ".") {
			return s[:j] + s[i:]
		}
	}
	return s
}

// TestParallelTailWarning checks that a partial header at the end of the
// input is logged as a Reader logs it.
func TestParallelTailWarning(t *testing.T) { bothWays(t, testParallelTailWarning) }

func testParallelTailWarning(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(recordedCorpus, "mariadb-10_11-full.000002"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tail.000001")
	os.WriteFile(path, append(data, 1, 2, 3, 4, 5), 0o644)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	err = Parallel(context.Background(), OpenFiles(path), ParallelOptions{Workers: 2, ReaderOptions: []Option{WithLogger(logger)}},
		func() func(context.Context, *Batch) (int, error) {
			return func(ctx context.Context, b *Batch) (int, error) {
				for _, err := range b.Reader().Events(ctx) {
					if err != nil {
						return 0, err
					}
				}
				return 0, nil
			}
		}, func(int) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "partial event header") || !strings.Contains(logs.String(), "bytes=5") {
		t.Errorf("log: %q", logs.String())
	}
}

// TestParallelLen checks that the batches' lengths add up to the input's
// event bytes.
func TestParallelLen(t *testing.T) {
	bothWays(t, func(t *testing.T) {
		files, _ := filepath.Glob(filepath.Join(recordedCorpus, "mariadb-10_11-full.00000?"))
		want := 0
		for _, f := range files {
			st, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			want += int(st.Size()) - event.MagicLen
		}
		total, batches := 0, 0
		err := Parallel(context.Background(), OpenFiles(files...), ParallelOptions{Workers: 3, BatchBytes: 2000},
			func() func(context.Context, *Batch) (int, error) {
				return func(ctx context.Context, b *Batch) (int, error) {
					for _, err := range b.Reader().Events(ctx) {
						if err != nil {
							return 0, err
						}
					}
					return b.Len(), nil
				}
			}, func(n int) error { total += n; batches++; return nil })
		if err != nil || total != want || batches < 10 {
			t.Errorf("%d bytes in %d batches, want %d bytes; error %v", total, batches, want, err)
		}
	})
}

// nextSource reports a NextPosition of its own, as a Source that rewrites
// events does.
type nextSource struct {
	*FileList
	n   int
	raw []byte
}

func (s *nextSource) ReadEvent(ctx context.Context) ([]byte, error) {
	raw, err := s.FileList.ReadEvent(ctx)
	s.raw = raw
	s.n++
	return raw, err
}

func (s *nextSource) NextPosition() uint64 {
	_, pos := s.Position()
	return pos + uint64(len(s.raw)) + uint64(s.n%7)
}

// TestParallelNextPositioner checks that the workers report the NextPos a
// NextPositioner source gives, as a Reader does.
func TestParallelNextPositioner(t *testing.T) {
	bothWays(t, func(t *testing.T) {
		files, _ := filepath.Glob(filepath.Join(recordedCorpus, "mariadb-10_11-full.00000?"))
		want := sequentialLines(context.Background(), &nextSource{FileList: OpenFiles(files...)}, true)
		got, err := parallelLines(context.Background(), &nextSource{FileList: OpenFiles(files...)}, true, ParallelOptions{Workers: 3, BatchBytes: 500})
		if err != nil || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("error %v; %s", err, firstDiff(want, got))
		}
	})
}

// TestParallelFileListNotCopied checks that Parallel over a FileList of
// mapped files hands the workers the events in the mappings, not copies,
// across the files, and that they stay readable after the list moved on to
// the next file (which gave back the pages of the one before) until Close.
func TestParallelFileListNotCopied(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(recordedCorpus, "mariadb-10_11-full.00000?"))
	if len(files) < 2 {
		t.Fatal("no recorded binlogs")
	}
	if s, err := OpenFile(files[0]); err != nil || s.mm == nil {
		t.Skip("files are not memory-mapped here")
	} else {
		s.Close()
	}
	var want [][]byte
	seq := OpenFiles(files...)
	for {
		raw, err := seq.ReadEvent(context.Background())
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		want = append(want, bytes.Clone(raw))
	}
	seq.Close()
	l := OpenFiles(files...)
	var got [][]byte
	err := Parallel(context.Background(), l, ParallelOptions{Workers: 2, BatchBytes: 3000},
		func() func(context.Context, *Batch) ([][]byte, error) {
			return func(ctx context.Context, b *Batch) ([][]byte, error) {
				if len(b.buf) != 0 {
					return nil, fmt.Errorf("batch at %s:%d holds %d copied bytes", b.evs[0].file, b.evs[0].pos, len(b.buf))
				}
				var raws [][]byte
				for _, e := range b.evs {
					raws = append(raws, e.raw)
				}
				return raws, nil
			}
		}, func(raws [][]byte) error {
			got = append(got, raws...)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.kept) != len(files)-1 {
		t.Errorf("%d mappings kept, want %d", len(l.kept), len(files)-1)
	}
	// Read every event only now: those of the first files are in mappings
	// whose pages were given back.
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("event %d differs", i)
		}
	}
	if err := l.Close(); err != nil || l.kept != nil {
		t.Errorf("Close: %v, %d mappings left", err, len(l.kept))
	}
}
