package flashback

import (
	"bytes"
	"testing"

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
