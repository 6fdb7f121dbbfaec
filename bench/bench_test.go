package main

import (
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// benchInput returns the binlog named by BINLOGKIT_BENCH_INPUT, or a 16 MB
// generated MySQL 8.0 binlog in a temporary directory.
func benchInput(b *testing.B) *config {
	b.Helper()
	p := os.Getenv("BINLOGKIT_BENCH_INPUT")
	if p == "" {
		p = filepath.Join(b.TempDir(), "mysql8.bin")
		if err := genMySQL(p, 16<<20); err != nil {
			b.Skipf("no input: %v", err)
		}
	}
	st, err := os.Stat(p)
	if err != nil {
		b.Skipf("no input: %v", err)
	}
	c := &config{path: p, size: st.Size(), jsonTables: "*.j*"}
	if c.keep, err = pickTable(p); err != nil {
		b.Skip(err)
	}
	return c
}

// BenchmarkWorkloads runs every workload with both libraries:
//
//	go test -bench . -benchtime 3x
//	BINLOGKIT_BENCH_INPUT=/tmp/mysql8.bin go test -bench 'Workloads/decode'
func BenchmarkWorkloads(b *testing.B) {
	c := benchInput(b)
	for _, w := range workloads(c) {
		for i, run := range []func() (result, error){w.kit, w.gm} {
			b.Run(w.name+"/"+[]string{"binlogkit", "go-mysql"}[i], func(b *testing.B) {
				b.SetBytes(c.size)
				b.ReportAllocs()
				var res result
				for n := 0; n < b.N; n++ {
					var err error
					if res, err = run(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(res.rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

// TestWorkloadsAgree checks, on a small generated binlog, that both
// libraries read it to the end and see the same events and rows in every
// workload, and that the SQL workloads write statements.
func TestWorkloadsAgree(t *testing.T) {
	p := filepath.Join(t.TempDir(), "mysql8.bin")
	if err := genMySQL(p, 2<<20); err != nil {
		t.Fatal(err)
	}
	keep, err := pickTable(p)
	if err != nil {
		t.Fatal(err)
	}
	c := &config{path: p, keep: keep, jsonTables: "*.j*"}
	for _, w := range workloads(c) {
		k, err := w.kit()
		if err != nil {
			t.Fatalf("%s binlogkit: %v", w.name, err)
		}
		g, err := w.gm()
		if err != nil {
			t.Fatalf("%s go-mysql: %v", w.name, err)
		}
		if k.events != g.events || k.rows != g.rows {
			t.Errorf("%s: binlogkit %d events %d rows, go-mysql %d events %d rows", w.name, k.events, k.rows, g.events, g.rows)
		}
		if k.events == 0 || (w.name != "framing" && k.rows == 0) {
			t.Errorf("%s: nothing counted: %+v", w.name, k)
		}
	}
	if c.sqlBytes[0] == 0 || c.sqlBytes[1] == 0 {
		t.Errorf("SQL output %v", c.sqlBytes)
	}
}

// TestEarlyFilterSameEvents checks, on small generated MySQL 8.0 and MariaDB
// binlogs, that filters judging events before decoding them (with and
// without binlog.SkipDroppedChecksums) deliver exactly the events, and the
// table maps of the rows events, that the same filters deliver when every
// event is decoded first.
func TestEarlyFilterSameEvents(t *testing.T) {
	dir := t.TempDir()
	inputs := []string{filepath.Join(dir, "mysql8.bin"), filepath.Join(dir, "mariadb.bin")}
	if err := genMySQL(inputs[0], 2<<20); err != nil {
		t.Fatal(err)
	}
	if err := genMariaDB(inputs[1], "../testdata/recorded", 2<<20); err != nil {
		t.Fatal(err)
	}
	for _, p := range inputs {
		keep, err := pickTable(p)
		if err != nil {
			t.Fatal(err)
		}
		db, _, _ := strings.Cut(keep, ".")
		mid := boundaryAfter(t, p)
		combos := map[string]func() []binlog.Filter{
			"include": func() []binlog.Filter { return []binlog.Filter{mustTF(t, []string{keep}, nil, false)} },
			"exclude": func() []binlog.Filter { return []binlog.Filter{mustTF(t, nil, []string{keep}, false)} },
			"db+queries": func() []binlog.Filter {
				return []binlog.Filter{mustTF(t, []string{db}, []string{"*.j1*"}, true)}
			},
			"position+include+types": func() []binlog.Filter {
				return []binlog.Filter{&binlog.PositionRange{Start: mid}, mustTF(t, []string{keep}, nil, false), binlog.ExcludeTypes(event.XIDEvent, event.TableMapEvent)}
			},
		}
		for name, mk := range combos {
			var slow []binlog.Filter
			for _, f := range mk() {
				slow = append(slow, binlog.FilterFunc(f.Keep))
			}
			want := filteredEvents(t, p, slow)
			if len(want) == 0 {
				t.Fatalf("%s %s: no event kept", p, name)
			}
			for _, skip := range []bool{false, true} {
				var opts []binlog.Option
				if skip {
					opts = append(opts, binlog.SkipDroppedChecksums())
				}
				got := filteredEvents(t, p, mk(), opts...)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s %s skip=%v: %d events, decoding first %d", p, name, skip, len(got), len(want))
				}
			}
		}
	}
}

func mustTF(t testing.TB, inc, exc []string, queries bool) *binlog.TableFilter {
	f, err := binlog.NewTableFilter(inc, exc)
	if err != nil {
		t.Fatal(err)
	}
	f.Queries = queries
	return f
}

// boundaryAfter returns the position of the first event that starts in the
// second half of the file (a PositionRange wants an event boundary).
func boundaryAfter(t *testing.T, path string) uint64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	src, err := binlog.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for ev, err := range binlog.NewReader(src).Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if !ev.InPayload && ev.Pos >= uint64(st.Size()/2) {
			return ev.Pos
		}
	}
	t.Fatalf("%s: no event in the second half", path)
	return 0
}

func filteredEvents(t *testing.T, path string, filters []binlog.Filter, opts ...binlog.Option) []string {
	t.Helper()
	src, err := binlog.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r := binlog.NewReader(src, append(opts, binlog.WithFilters(filters...))...)
	var out []string
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		line := fmt.Sprintf("%d/%d %v %08x", ev.Pos, ev.PayloadOffset, ev.Header.Type, crc32.ChecksumIEEE(ev.Raw))
		if tm := ev.Table; tm != nil {
			line += fmt.Sprintf(" %s.%s %x %x %d", tm.Schema, tm.Table, tm.ColumnTypes, tm.Metadata, len(tm.Optional))
		}
		out = append(out, line)
	}
	return out
}

// BenchmarkFilterParts splits the filter workload's binlogkit cost: the
// workload itself without row decoding ("filter"), the same with
// TRANSACTION_PAYLOADs left compressed ("no-expansion": the uncompressed part
// alone), a filter dropping every event the Reader need not decode
// ("drop-all": the cost of headers, table ids and names), and inflating every
// payload and walking its events, nothing else ("inflate"). Each reports
// cpuMB/s, file bytes per second of process CPU time, steadier than ns/op
// on a shared machine:
//
//	BINLOGKIT_BENCH_INPUT=/tmp/bench/mysql8-300.bin go test -bench FilterParts -benchtime 3x
func BenchmarkFilterParts(b *testing.B) {
	c := benchInput(b)
	ctx := context.Background()
	read := func(b *testing.B, opts ...binlog.Option) {
		src, err := binlog.OpenFile(c.path)
		if err != nil {
			b.Fatal(err)
		}
		defer src.Close()
		r := binlog.NewReader(src, opts...)
		for {
			if _, err := r.Next(ctx); err != nil {
				if err == io.EOF {
					return
				}
				b.Fatal(err)
			}
		}
	}
	keep := func() binlog.Filter { return mustTF(b, []string{c.keep}, nil, false) }
	parts := []struct {
		name string
		run  func(b *testing.B)
	}{
		{"filter", func(b *testing.B) { read(b, binlog.WithFilters(keep()), binlog.SkipDroppedChecksums()) }},
		{"no-expansion", func(b *testing.B) {
			read(b, binlog.WithFilters(keep()), binlog.SkipDroppedChecksums(), binlog.WithPayloadExpansion(false))
		}},
		{"drop-all", func(b *testing.B) { read(b, binlog.WithFilters(binlog.Types()), binlog.SkipDroppedChecksums()) }},
		{"drop-all-no-expansion", func(b *testing.B) {
			read(b, binlog.WithFilters(binlog.Types()), binlog.SkipDroppedChecksums(), binlog.WithPayloadExpansion(false))
		}},
		{"inflate", func(b *testing.B) {
			src, err := binlog.OpenFile(c.path)
			if err != nil {
				b.Fatal(err)
			}
			defer src.Close()
			var tp event.TransactionPayload
			var pr event.PayloadReader
			for {
				raw, err := src.ReadEvent(ctx)
				if err == io.EOF {
					return
				} else if err != nil {
					b.Fatal(err)
				}
				if event.Type(raw[4]) != event.TransactionPayloadEvent {
					continue
				}
				if err := tp.DecodeBody(nil, event.TransactionPayloadEvent, raw[event.HeaderLen:len(raw)-event.ChecksumLen]); err != nil {
					b.Fatal(err)
				}
				if err := pr.Reset(&tp, binlog.DefaultMaxEventSize); err != nil {
					b.Fatal(err)
				}
				for {
					if _, _, err := pr.Next(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
		}},
	}
	for _, p := range parts {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(c.size)
			best := time.Duration(0)
			for n := 0; n < b.N; n++ {
				c0 := cpuTime()
				p.run(b)
				if d := cpuTime() - c0; best == 0 || d < best {
					best = d
				}
			}
			if best > 0 {
				b.ReportMetric(float64(c.size)/1e6/best.Seconds(), "cpuMB/s")
			}
		})
	}
}
