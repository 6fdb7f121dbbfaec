package main

import (
	"os"
	"path/filepath"
	"testing"
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
