package binlog

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// decodeRows decodes every row value of the rows events r yields, with
// tables and value buffers that the caller keeps across calls, and returns
// the number of rows.
func decodeRows(ctx context.Context, r *Reader, tables map[uint64]*rowcodec.Table, vals *[2][]rowcodec.Value) (int, error) {
	rows := 0
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		switch b := ev.Body.(type) {
		case *event.TableMap:
			t := tables[b.TableID]
			if t == nil {
				t = new(rowcodec.Table)
				tables[b.TableID] = t
			}
			if err := t.Reset(b); err != nil {
				return rows, err
			}
		case *event.Rows:
			t := tables[b.TableID]
			if t == nil {
				return rows, fmt.Errorf("position %d: no Table_map for table id %d", ev.Pos, b.TableID)
			}
			if n := len(t.Columns); cap(vals[0]) < n {
				vals[0], vals[1] = make([]rowcodec.Value, n), make([]rowcodec.Value, n)
			}
			it := t.Rows(b, vals[0], vals[1])
			for it.Next() {
				rows++
			}
			if err := it.Err(); err != nil {
				return rows, err
			}
		}
	}
}

// BenchmarkParallel measures reading a ~64 MiB binlog file and decoding
// every row value, with one Reader (Sequential) and with Parallel on 1, 2
// and 4 workers: on a machine with idle cores, Workers=N should approach N
// times Sequential (Workers=1 shows the cost of the dispatching).
//
//	go test ./binlog -run XXX -bench Parallel -benchtime 5x
func BenchmarkParallel(b *testing.B) {
	path, size := benchFile(b)
	ctx := context.Background()
	b.Run("Sequential", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		tables := map[uint64]*rowcodec.Table{}
		var vals [2][]rowcodec.Value
		for i := 0; i < b.N; i++ {
			src, err := OpenFile(path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := decodeRows(ctx, NewReader(src), tables, &vals); err != nil {
				b.Fatal(err)
			}
			src.Close()
		}
	})
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("Workers=%d", workers), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				src, err := OpenFile(path)
				if err != nil {
					b.Fatal(err)
				}
				rows := 0
				err = Parallel(ctx, src, ParallelOptions{Workers: workers}, func() func(context.Context, *Batch) (int, error) {
					tables := map[uint64]*rowcodec.Table{}
					var vals [2][]rowcodec.Value
					return func(ctx context.Context, b *Batch) (int, error) {
						return decodeRows(ctx, b.Reader(), tables, &vals)
					}
				}, func(n int) error { rows += n; return nil })
				if err != nil || rows == 0 {
					b.Fatal(rows, err)
				}
				src.Close()
			}
		})
	}
}
