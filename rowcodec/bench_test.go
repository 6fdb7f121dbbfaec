package rowcodec

import (
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// BenchmarkDecodeRow decodes one row of integer and string columns (INT,
// VARCHAR, BIGINT UNSIGNED, TEXT, SET, BIT) into a reused []Value.
//
//	go test ./rowcodec -run XXX -bench DecodeRow -benchmem
func BenchmarkDecodeRow(b *testing.B) {
	tb := mixedTable(b)
	img, err := tb.AppendRow(nil, nil, mixedRow(3))
	if err != nil {
		b.Fatal(err)
	}
	vals := make([]Value, len(tb.Columns))
	b.SetBytes(int64(len(img)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tb.DecodeRow(img, nil, vals); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkDecodeRecorded decodes every row of the recorded MariaDB binlog
// mariadb-10_11-full.000001 (every column type of the workload), with a
// Table built once per rows event from its Table_map.
//
//	go test ./rowcodec -run XXX -bench DecodeRecorded -benchmem
func BenchmarkDecodeRecorded(b *testing.B) {
	type item struct {
		tm *event.TableMap
		r  *event.Rows
	}
	var items []item
	var size int64
	rows := 0
	tb := new(Table)
	vals := make([]Value, 4096)
	before := make([]Value, 4096)
	rowsEvents(b, "../testdata/recorded/mariadb-10_11-full.000001", func(ev *event.Event, r *event.Rows) {
		if err := tb.Reset(ev.Table); err != nil {
			b.Fatal(err)
		}
		n := 0
		it := tb.Rows(r, before, vals)
		for it.Next() {
			n++
		}
		if it.Err() != nil {
			b.Fatal(it.Err())
		}
		// A deep copy: the event's views (row data, column bitmaps) are
		// slices of the memory-mapped file, unmapped when it is closed.
		c := ev.Clone()
		items = append(items, item{c.Table, c.Body.(*event.Rows)})
		size += int64(len(r.Data))
		rows += n
	})
	if rows == 0 {
		b.Skip("no decodable rows")
	}
	pass := func() {
		for _, it := range items {
			if err := tb.Reset(it.tm); err != nil {
				b.Fatal(err)
			}
			ri := tb.Rows(it.r, before, vals)
			for ri.Next() {
			}
			if ri.Err() != nil {
				b.Fatal(ri.Err())
			}
		}
	}
	allocs := testing.AllocsPerRun(3, pass)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pass()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(allocs/float64(rows), "allocs/row")
}
