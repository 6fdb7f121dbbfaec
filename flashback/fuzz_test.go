package flashback

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// FuzzInvert feeds arbitrary row data to the Inverter over a table of an
// INT, a VARCHAR and a BLOB column: it never panics, and whatever it
// inverts, it inverts back to the same bytes.
func FuzzInvert(f *testing.F) {
	tm := &event.TableMap{TableID: 1, Schema: []byte("d"), Table: []byte("t"), ColumnCount: 3,
		ColumnTypes: []byte{3, 15, 252}, Metadata: []byte{40, 0, 2}, NullBitmap: []byte{6}}
	tbl, err := rowcodec.NewTable(tm)
	if err != nil {
		f.Fatal(err)
	}
	row := func(i int64, s string) []byte {
		b, err := tbl.AppendRow(nil, nil, []rowcodec.Value{rowcodec.IntValue(i), rowcodec.StringValue([]byte(s), 63), rowcodec.BytesValue([]byte(s + s))})
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	f.Add(byte(0), byte(7), append(row(1, "a"), row(2, "bc")...))
	f.Add(byte(1), byte(7), append(row(1, "a"), row(2, "bc")...))
	f.Add(byte(2), byte(7), append(row(1, ""), row(-5, "xyz")...))
	f.Add(byte(1), byte(3), []byte{0, 1, 2, 3})
	types := []event.Type{event.WriteRowsEventV1, event.UpdateRowsEventV1, event.DeleteRowsEventV2}
	f.Fuzz(func(t *testing.T, typ, bitmap byte, data []byte) {
		r := &event.Rows{Type: types[int(typ)%len(types)], TableID: 1, ColumnCount: 3, Data: data}
		switch r.Kind() {
		case event.RowsWrite:
			r.ColumnsAfter = []byte{bitmap}
		case event.RowsDelete:
			r.ColumnsBefore = []byte{bitmap}
		default:
			r.ColumnsBefore, r.ColumnsAfter = []byte{bitmap}, []byte{bitmap}
		}
		var iv, iv2 Inverter
		out, n, err := iv.Invert(tbl, r)
		if err != nil {
			return
		}
		back, n2, err := iv2.Invert(tbl, out)
		if err != nil || n2 != n || !bytes.Equal(back.Data, data) {
			t.Fatalf("inverse of inverse: %v, %d rows vs %d, equal %v", err, n2, n, bytes.Equal(back.Data, data))
		}
	})
}

// FuzzInvertPartial feeds arbitrary row data as a PARTIAL_UPDATE_ROWS event
// over a table of an INT, a JSON and a VARCHAR column: the Inverter never
// panics, and what it inverts is an UPDATE_ROWS event of as many rows, all
// decodable, whose after images are the input's before images.
func FuzzInvertPartial(f *testing.F) {
	tm := &event.TableMap{TableID: 1, Schema: []byte("d"), Table: []byte("t"), ColumnCount: 3,
		ColumnTypes: []byte{3, 245, 15}, Metadata: []byte{4, 40, 0}, NullBitmap: []byte{6}}
	tbl, err := rowcodec.NewTable(tm)
	if err != nil {
		f.Fatal(err)
	}
	doc := func(s string) rowcodec.Value {
		v, err := rowcodec.JSONValue([]byte(s))
		if err != nil {
			f.Fatal(err)
		}
		return v
	}
	diff, err := rowcodec.JSONDiffValue(rowcodec.JSONDiff{Op: rowcodec.JSONDiffReplace, Path: []byte("$.a"), Value: doc("2").Bytes()},
		rowcodec.JSONDiff{Op: rowcodec.JSONDiffRemove, Path: []byte("$.b")})
	if err != nil {
		f.Fatal(err)
	}
	seed := &event.Rows{Type: event.PartialUpdateRowsEvent, ColumnCount: 3, ColumnsBefore: []byte{7}, ColumnsAfter: []byte{7}}
	data, err := tbl.AppendRowsData(nil, seed, []rowcodec.Row{
		{Before: []rowcodec.Value{rowcodec.IntValue(1), doc(`{"a": 1, "b": [1]}`), rowcodec.StringValue([]byte("x"), 63)},
			After: []rowcodec.Value{rowcodec.IntValue(1), diff, rowcodec.StringValue([]byte("y"), 63)}},
		{Before: []rowcodec.Value{rowcodec.IntValue(2), {}, {}}, After: []rowcodec.Value{rowcodec.IntValue(3), doc("[]"), {}}},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte{0, 1, 0, 0, 0, 0, 1, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &event.Rows{Type: event.PartialUpdateRowsEvent, TableID: 1, ColumnCount: 3, ColumnsBefore: []byte{7}, ColumnsAfter: []byte{7}, Data: data}
		var iv Inverter
		out, n, err := iv.Invert(tbl, r)
		if err != nil {
			return
		}
		if out.Type != event.UpdateRowsEventV2 {
			t.Fatalf("inverted into %v", out.Type)
		}
		before, after := make([]rowcodec.Value, 3), make([]rowcodec.Value, 3)
		orig := make([]rowcodec.Value, 3)
		it := tbl.Rows(out, before, after)
		origIt := tbl.Rows(r, orig, nil)
		rows := 0
		var want [][]rowcodec.Value
		for origIt.Next() {
			want = append(want, append([]rowcodec.Value(nil), origIt.Before...))
		}
		for it.Next() {
			w := want[len(want)-1-rows]
			for i := range after {
				if !after[i].Equal(w[i]) {
					t.Fatalf("row %d column %d: after image %+v, the input's before image %+v", rows, i, after[i], w[i])
				}
			}
			rows++
		}
		if it.Err() != nil || rows != n {
			t.Fatalf("the inverted event: %v, %d rows of %d", it.Err(), rows, n)
		}
	})
}

// FuzzAddParallel feeds arbitrary binlog bytes to Add and to AddParallel
// (two workers, a batch per transaction): neither panics, and they end
// with the same error, Summary and rollback binlog.
func FuzzAddParallel(f *testing.F) {
	fb := newFab(&testing.T{}, "10.11.6-MariaDB-log")
	for i := range 3 {
		fb.begin()
		fb.rows(event.RowsWrite, true, [2]int64{int64(i), 1})
		fb.commit(uint64(i))
	}
	f.Add(fb.buf.Bytes())
	my := newFab(&testing.T{}, "8.0.40")
	my.begin()
	my.rows(event.RowsUpdate, true, [2]int64{1, 1}, [2]int64{1, 2})
	my.commit(1)
	my.begin()
	my.ev(&event.Query{Schema: []byte("db"), Query: []byte("ALTER TABLE t1 ADD COLUMN c INT")})
	f.Add(my.buf.Bytes())
	if b, err := os.ReadFile("../testdata/recorded/mariadb-10_11-full.000002"); err == nil {
		f.Add(b)
	}
	dir, err := os.MkdirTemp("", "fuzz-addparallel-")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { os.RemoveAll(dir) })
	f.Fuzz(func(t *testing.T, in []byte) {
		run := func(parallel bool) string {
			fl, err := New(Options{TempDir: dir, SkipUnsafe: len(in)%2 == 0, MemoryBudget: 1 << 16})
			if err != nil {
				t.Fatal(err)
			}
			defer fl.Close()
			src := binlog.NewStreamSource(bytes.NewReader(in), "in")
			if parallel {
				err = fl.AddParallel(context.Background(), src, binlog.ParallelOptions{Workers: 2, BatchBytes: 1})
			} else {
				err = fl.Add(context.Background(), binlog.NewReader(src))
			}
			if err != nil {
				return "error: " + err.Error()
			}
			var out bytes.Buffer
			werr := fl.WriteBinlog(&out)
			sum := *fl.Summary()
			rows := make(map[string]Counts)
			for k, c := range sum.Rows {
				rows[k] = *c
			}
			sum.Rows = nil
			// The FORMAT_DESCRIPTION carries the latest time undone, or
			// the time of the run when the input has none: left out.
			b := out.Bytes()
			if len(b) >= 4+event.HeaderLen {
				if n := int(binary.LittleEndian.Uint32(b[4+9:])); n <= len(b)-4 {
					b = b[4+n:]
				}
			}
			return fmt.Sprintf("%+v\n%v\n%v\n%x", sum, rows, werr, b)
		}
		if seq, par := run(false), run(true); seq != par {
			t.Fatalf("Add and AddParallel differ:\n%.2000s\n---\n%.2000s", seq, par)
		}
	})
}
