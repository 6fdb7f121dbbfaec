package rowcodec

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// mixedTable is id INT, name VARCHAR(40) utf8mb4, big BIGINT UNSIGNED,
// note TEXT latin1, flags SET (2 bytes), b BIT(12), nothing NULL-able but
// the last four.
func mixedTable(t testing.TB) *Table {
	tm := mkTableMap(t, []col{
		{event.ColumnTypeLong, 0, false},
		{event.ColumnTypeVarchar, 160, true},
		{event.ColumnTypeLongLong, 0, true},
		{event.ColumnTypeBlob, 2, true},
		{event.ColumnTypeString, 0xf802, true},
		{event.ColumnTypeBit, 0x104, true},
	},
		opt(event.OptSignedness, []byte{0x40}),
		opt(event.OptColumnCharset, packedInts(45, 8)),
		opt(event.OptColumnName, packedStrings("id", "name", "big", "note", "flags", "b")),
	)
	return mustTable(t, tm)
}

func mixedRow(i int) []Value {
	return []Value{
		IntValue(int64(i)),
		StringValue([]byte("dolphin 🐬"), 45),
		UintValue(18446744073709551615 - uint64(i)),
		StringValue([]byte{'c', 'a', 'f', 0xe9}, 8),
		SetValue(uint64(i)&0xfff, 2),
		BitValue(0xaaa, 12),
	}
}

func equalRows(t *testing.T, what string, got, want []Value) {
	t.Helper()
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Errorf("%s column %d: %+v, want %+v", what, i, got[i], want[i])
		}
	}
}

func TestDecodeRowRoundTrip(t *testing.T) {
	tb := mixedTable(t)
	want := mixedRow(7)
	want[3] = Value{} // NULL
	img, err := tb.AppendRow(nil, nil, want)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]Value, len(tb.Columns))
	n, err := tb.DecodeRow(append(img, 0xee), nil, got)
	if err != nil || n != len(img) {
		t.Fatalf("DecodeRow: %d %v", n, err)
	}
	equalRows(t, "row", got, want)
	if !got[3].IsNull() || got[3].IsAbsent() {
		t.Error("NULL column")
	}
	if m, err := tb.SkipRow(img, nil); err != nil || m != len(img) {
		t.Errorf("SkipRow %d %v", m, err)
	}
	img2, _ := tb.AppendRow(nil, nil, got)
	if string(img2) != string(img) {
		t.Error("re-encoding differs")
	}
}

// TestTC24AbsentIsNotNull is TESTCASES #24: in MINIMAL/NOBLOB images an absent
// column is not NULL; UPDATE before and after images have different
// present bitmaps; SQL refuses an absent value instead of writing NULL.
func TestTC24AbsentIsNotNull(t *testing.T) {
	tb := mixedTable(t)
	before := []Value{IntValue(1), Absent, Absent, Absent, Absent, Absent} // PK only
	after := []Value{Absent, Value{}, UintValue(5), Absent, Absent, Absent}
	r := &event.Rows{Type: event.UpdateRowsEventV2, ColumnCount: 6, ColumnsBefore: []byte{0x01}, ColumnsAfter: []byte{0x06}}
	data, err := tb.AppendRowsData(nil, r, []Row{{Before: before, After: after}})
	if err != nil {
		t.Fatal(err)
	}
	// before: null bitmap (1 byte) + INT; after: null bitmap + BIGINT
	if len(data) != 1+4+1+8 {
		t.Errorf("data % x", data)
	}
	r.Data = data
	b, a := make([]Value, 6), make([]Value, 6)
	next, err := tb.NextRow(r, 0, b, a)
	if err != nil || next != len(data) {
		t.Fatalf("NextRow %d %v", next, err)
	}
	equalRows(t, "before", b, before)
	equalRows(t, "after", a, after)
	if !a[1].IsNull() || a[1].IsAbsent() || !a[0].IsAbsent() || a[0].IsNull() {
		t.Error("absent and NULL mixed up")
	}
	if _, err := a[0].AppendSQL(nil, &tb.Columns[0]); err == nil {
		t.Error("SQL for an absent value")
	}
	if _, err := tb.NextRow(r, next, b, a); err != io.EOF {
		t.Errorf("end: %v", err)
	}
	// An absent value for a present column is refused by the encoder.
	if _, err := tb.AppendRow(nil, []byte{0x01}, []Value{Absent, Absent, Absent, Absent, Absent, Absent}); err == nil {
		t.Error("absent value encoded")
	}
}

func TestRowsEventKinds(t *testing.T) {
	tb := mixedTable(t)
	all := []byte{0x3f}
	for _, typ := range []event.Type{
		event.PreGAWriteRowsEvent, event.WriteRowsEventV1, event.WriteRowsEventV2,
		event.PreGADeleteRowsEvent, event.DeleteRowsEventV1, event.DeleteRowsEventV2,
		event.UpdateRowsEventV1, event.UpdateRowsEventV2,
		event.MariaWriteRowsCompressed, event.MariaUpdateRowsCompressedV1, event.MariaDeleteRowsCompressed,
	} {
		t.Run(typ.String(), func(t *testing.T) {
			r := &event.Rows{Type: typ, TableID: 42, ColumnCount: 6}
			switch typ.RowsKind() {
			case event.RowsWrite:
				r.ColumnsAfter = all
			case event.RowsDelete:
				r.ColumnsBefore = all
			default:
				r.ColumnsBefore, r.ColumnsAfter = all, all
			}
			var rows []Row
			for i := 0; i < 5; i++ {
				rows = append(rows, Row{Before: mixedRow(i), After: mixedRow(100 + i)})
			}
			data, err := tb.AppendRowsData(nil, r, rows)
			if err != nil {
				t.Fatal(err)
			}
			r.Data = data
			// Through the event codec, so compressed events really are.
			body, err := r.AppendBody(nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			var dec event.Rows
			if err := dec.DecodeBody(nil, typ, body); err != nil {
				t.Fatal(err)
			}
			b, a := make([]Value, 6), make([]Value, 6)
			it := tb.Rows(&dec, b, a)
			k := 0
			for it.Next() {
				switch typ.RowsKind() {
				case event.RowsWrite:
					equalRows(t, "after", a, rows[k].After)
				case event.RowsDelete:
					equalRows(t, "before", b, rows[k].Before)
				default:
					equalRows(t, "before", b, rows[k].Before)
					equalRows(t, "after", a, rows[k].After)
				}
				k++
			}
			if it.Err() != nil || k != len(rows) {
				t.Errorf("%d rows, err %v", k, it.Err())
			}
		})
	}
}

// TestPartialUpdateLayout checks the after image of PARTIAL_UPDATE_ROWS:
// value_options, then a bitmap over ALL the table's JSON columns, then the
// image (TESTCASES #28's framing; the diff values themselves are json.go's).
func TestPartialUpdateLayout(t *testing.T) {
	tm := mkTableMap(t, []col{
		{event.ColumnTypeLong, 0, false},
		{event.ColumnTypeJSON, 4, true},
		{event.ColumnTypeLong, 0, true},
		{event.ColumnTypeJSON, 4, true},
	})
	tb := mustTable(t, tm)
	before := []Value{IntValue(1), Absent, Absent, Absent}
	after := []Value{Absent, Value{}, IntValue(9), Absent}
	r := &event.Rows{Type: event.PartialUpdateRowsEvent, ColumnCount: 4, ColumnsBefore: []byte{0x01}, ColumnsAfter: []byte{0x06}}
	data, err := tb.AppendRowsData(nil, r, []Row{{before, after}})
	if err != nil {
		t.Fatal(err)
	}
	// before: 00 01000000; after: value_options 00, null bitmap 01, INT 9.
	want := []byte{0, 1, 0, 0, 0, 0, 0x01, 9, 0, 0, 0}
	if string(data) != string(want) {
		t.Errorf("data % x, want % x", data, want)
	}
	// With PARTIAL_JSON set and a bitmap naming the second JSON column
	// (absent here), the image after the bitmap still decodes.
	r.Data = []byte{0, 1, 0, 0, 0, 1, 0x02, 0x01, 9, 0, 0, 0}
	b, a := make([]Value, 4), make([]Value, 4)
	next, err := tb.NextRow(r, 0, b, a)
	if err != nil || next != len(r.Data) {
		t.Fatalf("NextRow %d %v", next, err)
	}
	equalRows(t, "after", a, after)
	// value_options other than 0/1 are corrupt.
	r.Data = []byte{0, 1, 0, 0, 0, 2, 0x01, 9, 0, 0, 0}
	if _, err := tb.NextRow(r, 0, b, a); !errors.Is(err, ErrCorrupt) {
		t.Errorf("value_options 2: %v", err)
	}
	// A diff bit on a present JSON column sends it to decodeJSONDiff.
	r.Data = []byte{0, 1, 0, 0, 0, 1, 0x01, 0x00, 0, 0, 0, 0}
	r.ColumnsAfter = []byte{0x02}
	_, err = tb.NextRow(r, 0, b, a)
	var ce *ColumnError
	if err == nil || !errors.As(err, &ce) || ce.Column != 1 {
		t.Logf("diff column: %v", err) // json.go decides what a zero-length diff is
	}
}

func TestDecodeRowErrors(t *testing.T) {
	tb := mixedTable(t)
	vals := make([]Value, 6)
	img, _ := tb.AppendRow(nil, nil, mixedRow(1))
	for cut := 0; cut < len(img); cut++ {
		_, err := tb.DecodeRow(img[:cut], nil, vals)
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		var ce *ColumnError
		if cut > 1 && (!errors.As(err, &ce) || ce.Table != "db.t") {
			t.Fatalf("cut at %d: not a ColumnError: %v", cut, err)
		}
	}
	if _, err := tb.DecodeRow(img, nil, vals[:3]); err == nil {
		t.Error("short dst accepted")
	}
	r := &event.Rows{Type: event.WriteRowsEventV2, ColumnCount: 5, ColumnsAfter: []byte{0x1f}, Data: img}
	if _, err := tb.NextRow(r, 0, nil, vals); err == nil {
		t.Error("column count mismatch accepted")
	}
}

// TestDecodeRowAllocs proves DecodeRow of integer and string columns into a
// reused []Value allocates nothing, and neither does NextRow.
func TestDecodeRowAllocs(t *testing.T) {
	tb := mixedTable(t)
	img, err := tb.AppendRow(nil, nil, mixedRow(3))
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]Value, len(tb.Columns))
	if a := testing.AllocsPerRun(1000, func() {
		if _, err := tb.DecodeRow(img, nil, vals); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Errorf("DecodeRow allocates %v times per row", a)
	}
	r := &event.Rows{Type: event.UpdateRowsEventV2, ColumnCount: 6, ColumnsBefore: []byte{0x3f}, ColumnsAfter: []byte{0x3f}}
	r.Data, _ = tb.AppendRowsData(nil, r, []Row{{mixedRow(1), mixedRow(2)}, {mixedRow(3), mixedRow(4)}})
	b := make([]Value, 6)
	if a := testing.AllocsPerRun(1000, func() {
		it := tb.Rows(r, b, vals)
		for it.Next() {
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
	}); a != 0 {
		t.Errorf("Rows iteration allocates %v times per event", a)
	}
	var buf []byte
	if a := testing.AllocsPerRun(1000, func() {
		buf = buf[:0]
		for i := range vals {
			buf, _ = vals[i].AppendMySQLBinlog(buf, &tb.Columns[i], event.MySQL)
			buf, _ = vals[i].AppendSQL(buf, &tb.Columns[i])
		}
	}); a != 0 {
		t.Errorf("formatting allocates %v times per row", a)
	}
}

// ExampleTable_Rows decodes the rows of a WRITE_ROWS event and prints them
// as mysqlbinlog -vv does.
func ExampleTable_Rows() {
	// A Table_map for t(id INT UNSIGNED, name VARCHAR(10)), as a Reader
	// would hand it over (ev.Table), and a rows event with two rows.
	tm := &event.TableMap{TableID: 1, Schema: []byte("db"), Table: []byte("t"), ColumnCount: 2,
		ColumnTypes: []byte{byte(event.ColumnTypeLong), byte(event.ColumnTypeVarchar)},
		Metadata:    event.AppendColumnMeta(nil, event.ColumnTypeVarchar, 40),
		NullBitmap:  []byte{0x02},
		Optional:    []event.OptionalField{{Type: event.OptSignedness, Value: []byte{0x80}}}}
	body, _ := tm.AppendBody(nil, nil)
	_ = tm.DecodeBody(nil, event.TableMapEvent, body)
	r := &event.Rows{Type: event.WriteRowsEventV2, TableID: 1, ColumnCount: 2, ColumnsAfter: []byte{0x03},
		Data: []byte{0x00, 0xff, 0xff, 0xff, 0xff, 2, 'h', 'i', 0x02, 7, 0, 0, 0}}

	tb, err := NewTable(tm)
	if err != nil {
		panic(err)
	}
	after := make([]Value, len(tb.Columns))
	var line []byte
	it := tb.Rows(r, nil, after)
	for it.Next() {
		fmt.Printf("### INSERT INTO %s\n### SET\n", tb.AppendName(nil))
		for i, v := range after {
			line, _ = v.AppendMySQLBinlog(line[:0], &tb.Columns[i], event.MySQL)
			fmt.Printf("###   @%d=%s\n", i+1, line)
		}
	}
	if err := it.Err(); err != nil {
		panic(err)
	}
	// Output:
	// ### INSERT INTO `db`.`t`
	// ### SET
	// ###   @1=-1 (4294967295) /* INT meta=0 nullable=0 is_null=0 */
	// ###   @2='hi' /* VARSTRING(40) meta=40 nullable=1 is_null=0 */
	// ### INSERT INTO `db`.`t`
	// ### SET
	// ###   @1=7 /* INT meta=0 nullable=0 is_null=0 */
	// ###   @2=NULL /* VARSTRING(40) meta=40 nullable=1 is_null=1 */
}

// TestEmptyRowImage: an image with no present column takes no byte; a rows
// event made of such images must end in an error, not loop for ever (found
// by fuzzing SQL generation).
func TestEmptyRowImage(t *testing.T) {
	tb := mixedTable(t)
	r := &event.Rows{Type: event.WriteRowsEventV2, ColumnCount: uint64(len(tb.Columns)), ColumnsAfter: []byte{0}, Data: []byte{1, 2, 3}}
	vals := make([]Value, len(tb.Columns))
	it := tb.Rows(r, nil, vals)
	n := 0
	for it.Next() {
		if n++; n > 10 {
			t.Fatal("the iterator does not end")
		}
	}
	if !errors.Is(it.Err(), ErrCorrupt) {
		t.Fatalf("err %v, want ErrCorrupt", it.Err())
	}
}
