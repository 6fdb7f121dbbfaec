package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/schema"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// TestParallelSQL checks on a small generated MySQL 8.0 binlog (zstd
// transaction payloads included) that sqlgen.Parallel writes byte for byte
// the sequential Generator's SQL for 1 to 8 workers, and that decode-par
// counts the rows decode counts.
func TestParallelSQL(t *testing.T) {
	p := filepath.Join(t.TempDir(), "mysql8.bin")
	if err := genMySQL(p, 3<<20); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []sqlgen.Options{{FullColumns: true, NoComments: true, AllowUnknownGenerated: true}, {BatchRows: 4, AllowUnknownGenerated: true}} {
		src, err := binlog.OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		r := binlog.NewReader(src)
		g := sqlgen.New(schema.NewMetadata(), opts)
		var want []byte
		for {
			ev, err := r.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if want, err = g.AppendEvent(want, ev); err != nil {
				t.Fatal(err)
			}
		}
		src.Close()
		if len(want) < 1<<20 {
			t.Fatalf("only %d bytes of SQL", len(want))
		}
		for _, workers := range []int{1, 2, 4, 8} {
			for _, bb := range []int{0, 8 << 10} {
				src, err := binlog.OpenFile(p)
				if err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				err = sqlgen.Parallel(context.Background(), &got, src, schema.NewMetadata(), opts, binlog.ParallelOptions{Workers: workers, BatchBytes: bb})
				src.Close()
				if err != nil {
					t.Fatalf("workers=%d: %v", workers, err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("%+v workers=%d batch=%d: %d bytes of SQL, sequential %d, or different", opts, workers, bb, got.Len(), len(want))
				}
			}
		}
	}
	c := &config{path: p, workers: 3}
	sq, err := c.kitSQL()
	if err != nil {
		t.Fatal(err)
	}
	sp, err := c.kitSQLPar()
	if err != nil {
		t.Fatal(err)
	}
	if sq.rows != sp.rows || sq.rows == 0 {
		t.Errorf("sql: %d statements, sql-par: %d", sq.rows, sp.rows)
	}
	seq, err := c.kitDecode(nil, false, false)
	if err != nil {
		t.Fatal(err)
	}
	par, err := c.kitDecodePar()
	if err != nil {
		t.Fatal(err)
	}
	if seq.events != par.events || seq.rows != par.rows || seq.rows == 0 {
		t.Errorf("decode: %d events %d rows, decode-par: %d events %d rows", seq.events, seq.rows, par.events, par.rows)
	}
}
