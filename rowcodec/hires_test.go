package rowcodec

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// hiresCol is a column of MariaDB's older temporal formats: an old type
// code with the precision from the table's definition.
func hiresCol(typ event.ColumnType, fsp int) *Column {
	return &Column{Type: typ, WireType: typ, Precision: fsp}
}

// TestHiresServerBytes decodes values a MariaDB 10.11.19 server started
// with --mysql56-temporal-format=OFF logged (the bytes of two rows of a
// table of TIME(n), DATETIME(n) and TIMESTAMP(n) columns), into the text its
// SELECT printed, and encodes them back to the same bytes.
func TestHiresServerBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *Column
		hex  string
		text string
		v    Value
	}{
		{"TIME(3) min", hiresCol(event.ColumnTypeTime, 3), "00 00 00 00 01", "-838:59:59.999", TimeValue(true, 838, 59, 59, 999000, 3)},
		{"TIME(3) zero", hiresCol(event.ColumnTypeTime, 3), "00 b4 07 a5 80", "00:00:00.000", TimeValue(false, 0, 0, 0, 0, 3)},
		{"TIME(6) max", hiresCol(event.ColumnTypeTime, 6), "05 7e 7b bc f7 ff", "838:59:59.999999", TimeValue(false, 838, 59, 59, 999999, 6)},
		{"TIME(6) -1 µs", hiresCol(event.ColumnTypeTime, 6), "02 bf 3d de 7b ff", "-00:00:00.000001", TimeValue(true, 0, 0, 0, 1, 6)},
		{"TIME(1) -0.5 s", hiresCol(event.ColumnTypeTime, 1), "01 cc e0 5b", "-00:00:00.5", TimeValue(true, 0, 0, 0, 500000, 1)},
		{"TIME(1) min", hiresCol(event.ColumnTypeTime, 1), "00 00 00 01", "-838:59:59.9", TimeValue(true, 838, 59, 59, 900000, 1)},
		{"DATETIME(2)", hiresCol(event.ColumnTypeDatetime, 2), "06 9d d9 f9 46 b7", "2024-01-02 03:04:05.67", DatetimeValue(2024, 1, 2, 3, 4, 5, 670000, 2)},
		{"DATETIME(2) zero", hiresCol(event.ColumnTypeDatetime, 2), "00 00 00 00 00 00", "0000-00-00 00:00:00.00", DatetimeValue(0, 0, 0, 0, 0, 0, 0, 2)},
		{"DATETIME(6) max", hiresCol(event.ColumnTypeDatetime, 6), "04 fc ee 39 43 bf ff ff", "9999-12-31 23:59:59.999999", DatetimeValue(9999, 12, 31, 23, 59, 59, 999999, 6)},
		{"DATETIME(6) zero", hiresCol(event.ColumnTypeDatetime, 6), "00 00 00 00 00 00 00 00", "0000-00-00 00:00:00.000000", DatetimeValue(0, 0, 0, 0, 0, 0, 0, 6)},
		{"TIMESTAMP(3) max", hiresCol(event.ColumnTypeTimestamp, 3), "7f ff ff ff 03 e7", "2038-01-19 03:14:07.999", TimestampValue(1<<31-1, 999000, 3)},
		{"TIMESTAMP(3) zero", hiresCol(event.ColumnTypeTimestamp, 3), "00 00 00 00 00 00", "0000-00-00 00:00:00.000", TimestampValue(0, 0, 3)},
		{"TIMESTAMP(6) 1 s 1 µs", hiresCol(event.ColumnTypeTimestamp, 6), "00 00 00 01 00 00 01", "1970-01-01 00:00:01.000001", TimestampValue(1, 1, 6)},
		{"TIMESTAMP(1) epoch and a half second", hiresCol(event.ColumnTypeTimestamp, 1), "00 00 00 00 05", "1970-01-01 00:00:00.5", TimestampValue(0, 500000, 1)},
		{"TIMESTAMP(1)", hiresCol(event.ColumnTypeTimestamp, 1), "3a 7b 83 72 07", "2001-02-03 04:05:06.7", TimestampValue(981173106, 700000, 1)},
		// Precision 0 is the old formats (Field_time, Field_datetime,
		// Field_timestamp): the same bytes as before MariaDB 5.3.
		{"TIME(0)", hiresCol(event.ColumnTypeTime, 0), "ff ff ff", "-00:00:01", TimeValue(true, 0, 0, 1, 0, 0)},
		{"TIME(0) max", hiresCol(event.ColumnTypeTime, 0), "a7 f5 7f", "838:59:59", TimeValue(false, 838, 59, 59, 0, 0)},
		{"DATETIME(0)", hiresCol(event.ColumnTypeDatetime, 0), "40 c3 77 54 18 09 00 00", "1000-01-01 00:00:00", DatetimeValue(1000, 1, 1, 0, 0, 0, 0, 0)},
		{"TIMESTAMP(0) zero", hiresCol(event.ColumnTypeTimestamp, 0), "00 00 00 00", "0000-00-00 00:00:00", TimestampValue(0, 0, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) { dtCheckTemporal(t, tc.c, tc.hex, tc.text, tc.v) })
	}
}

// TestHiresLengths: the value sizes of every precision are MariaDB's
// (Type_handler_time/datetime::m_hires_bytes, 4 + m_sec_part_bytes).
func TestHiresLengths(t *testing.T) {
	want := map[event.ColumnType][7]int{
		event.ColumnTypeTime:      {3, 4, 4, 5, 5, 5, 6},
		event.ColumnTypeDatetime:  {8, 6, 6, 7, 7, 7, 8},
		event.ColumnTypeTimestamp: {4, 5, 5, 6, 6, 7, 7},
	}
	vals := map[event.ColumnType]Value{
		event.ColumnTypeTime:      TimeValue(false, 1, 2, 3, 0, 0),
		event.ColumnTypeDatetime:  DatetimeValue(2020, 1, 2, 3, 4, 5, 0, 0),
		event.ColumnTypeTimestamp: TimestampValue(1700000000, 0, 0),
	}
	for typ, sizes := range want {
		for fsp, n := range sizes {
			b, err := appendTemporal(nil, hiresCol(typ, fsp), vals[typ])
			if err != nil || len(b) != n {
				t.Errorf("%v(%d): % x (%v), want %d bytes", typ, fsp, b, err, n)
			}
		}
	}
}

// hiresRandValue returns a random value that fits an old-type column of
// precision fsp (exactly fsp fraction digits).
func hiresRandValue(r *rand.Rand, typ event.ColumnType, fsp int) Value {
	unit := int(pow10[6-fsp])
	us := r.IntN(1000000/unit) * unit
	switch typ {
	case event.ColumnTypeTime:
		h := r.IntN(839)
		if r.IntN(4) == 0 {
			h = r.IntN(3)
		}
		return TimeValue(r.IntN(2) == 0, h, r.IntN(60), r.IntN(60), us, fsp)
	case event.ColumnTypeDatetime:
		return DatetimeValue(r.IntN(10000), r.IntN(13), r.IntN(32), r.IntN(24), r.IntN(60), r.IntN(60), us, fsp)
	}
	return TimestampValue(r.Int64N(1<<32), us, fsp)
}

// TestHiresRoundTrip: random values of every hires type and precision
// encode and decode back to themselves; random bytes that decode encode
// back to the same bytes; the stored integers sort as the values do (as
// MariaDB compares them with memcmp).
func TestHiresRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(35, 36))
	types := []event.ColumnType{event.ColumnTypeTime, event.ColumnTypeDatetime, event.ColumnTypeTimestamp}
	for i := 0; i < 60000; i++ {
		typ := types[r.IntN(3)]
		fsp := 1 + r.IntN(6)
		c := hiresCol(typ, fsp)
		v := hiresRandValue(r, typ, fsp)
		b, err := appendTemporal(nil, c, v)
		if err != nil {
			t.Fatalf("%v(%d) %+v: %v", typ, fsp, v, err)
		}
		w, n, err := decodeTemporal(c, b)
		if err != nil || n != len(b) || !w.Equal(v) {
			t.Fatalf("%v(%d): %+v → % x → %+v (%v)", typ, fsp, v, b, w, err)
		}
		if typ == event.ColumnTypeTime {
			// Order: compare with a second value through durations.
			v2 := hiresRandValue(r, typ, fsp)
			b2, _ := appendTemporal(nil, c, v2)
			if cmp, d := bytes.Compare(b, b2), v.TimeDuration()-v2.TimeDuration(); cmp < 0 != (d < 0) || cmp == 0 != (d == 0) {
				t.Fatalf("TIME(%d) order: %v (% x) vs %v (% x)", fsp, v.TimeDuration(), b, v2.TimeDuration(), b2)
			}
		}
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		if w, n, err := decodeTemporal(c, b); err == nil {
			enc, err := appendTemporal(nil, c, w)
			if err != nil || !bytes.Equal(enc, b[:n]) {
				t.Fatalf("%v(%d): % x → %+v → % x (%v)", typ, fsp, b, w, enc, err)
			}
		}
	}
}

func TestHiresErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *Column
		hex  string
		want error
	}{
		{"TIME(3) short", hiresCol(event.ColumnTypeTime, 3), "00 b4 07 a5", ErrTruncated},
		{"TIME(3) below -838:59:59.999", hiresCol(event.ColumnTypeTime, 3), "00 00 00 00 00", ErrCorrupt},
		{"TIME(3) above 838:59:59.999", hiresCol(event.ColumnTypeTime, 3), "01 68 0f 4b 00", ErrCorrupt},
		{"TIME(1) all ones", hiresCol(event.ColumnTypeTime, 1), "ff ff ff ff", ErrCorrupt},
		{"DATETIME(6) negative", hiresCol(event.ColumnTypeDatetime, 6), "80 00 00 00 00 00 00 00", ErrCorrupt},
		{"DATETIME(1) year 10000", hiresCol(event.ColumnTypeDatetime, 1), "ff ff ff ff ff ff", ErrCorrupt},
		{"DATETIME(2) short", hiresCol(event.ColumnTypeDatetime, 2), "06 9d d9 f9 46", ErrTruncated},
		{"TIMESTAMP(1) fraction 10 tenths", hiresCol(event.ColumnTypeTimestamp, 1), "00 00 00 01 0a", ErrCorrupt},
		{"TIMESTAMP(6) fraction 1000000", hiresCol(event.ColumnTypeTimestamp, 6), "00 00 00 01 0f 42 40", ErrCorrupt},
		{"TIMESTAMP(5) short", hiresCol(event.ColumnTypeTimestamp, 5), "00 00 00 01 00 00", ErrTruncated},
		{"precision 7", hiresCol(event.ColumnTypeTimestamp, 7), "00 00 00 01 00 00 00 00", ErrCorrupt},
	} {
		if _, _, err := decodeTemporal(tc.c, dtUnhex(t, tc.hex)); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		c    *Column
		v    Value
	}{
		{"TIME(1) with hundredths", hiresCol(event.ColumnTypeTime, 1), TimeValue(false, 0, 0, 1, 50000, 2)},
		{"TIME(3) over 838 h", hiresCol(event.ColumnTypeTime, 3), TimeValue(false, 839, 0, 0, 0, 3)},
		{"DATETIME(2) with µs", hiresCol(event.ColumnTypeDatetime, 2), DatetimeValue(2020, 1, 1, 0, 0, 0, 123456, 6)},
		{"TIMESTAMP(5) with µs", hiresCol(event.ColumnTypeTimestamp, 5), TimestampValue(1, 1, 6)},
		{"kind mismatch", hiresCol(event.ColumnTypeTimestamp, 5), DatetimeValue(2020, 1, 1, 0, 0, 0, 0, 5)},
	} {
		if b, err := appendTemporal(nil, tc.c, tc.v); err == nil {
			t.Errorf("%s: encoded % x", tc.name, b)
		}
	}
}

// hiresTable is a table (id INT, t TIME(3), d DATETIME(6), s TIMESTAMP(1))
// as a MariaDB Table_map logs it with the older formats: old type codes and
// no metadata.
func hiresTable(t testing.TB) *Table {
	t.Helper()
	tm := &event.TableMap{TableID: 9, Schema: []byte("db"), Table: []byte("h"), ColumnCount: 4,
		ColumnTypes: []byte{byte(event.ColumnTypeLong), byte(event.ColumnTypeTime), byte(event.ColumnTypeDatetime), byte(event.ColumnTypeTimestamp)},
		NullBitmap:  []byte{0x0e}}
	tb, err := NewTable(tm)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

var hiresRow = []Value{IntValue(7), TimeValue(true, 100, 8, 4, 10000, 3), DatetimeValue(2026, 11, 21, 10, 30, 0, 123456, 6), TimestampValue(1700000000, 500000, 1)}

// hiresRowsEvent encodes rows of hiresRow into a WRITE_ROWS event with
// precisions 3, 6, 1, with the null bitmap's unused bits set as MariaDB
// sets them.
func hiresRowsEvent(t testing.TB, rows int) *event.Rows {
	t.Helper()
	tb := hiresTable(t)
	for i, p := range []int{0, 3, 6, 1} {
		if err := tb.SetPrecision(i, p); err != nil {
			t.Fatal(err)
		}
	}
	r := &event.Rows{Type: event.WriteRowsEventV1, TableID: 9, ColumnCount: 4}
	var data []byte
	for range rows {
		start := len(data)
		var err error
		if data, err = tb.AppendRow(data, nil, hiresRow); err != nil {
			t.Fatal(err)
		}
		data[start] |= 0xf0 // the server's padding
	}
	r.Data = data
	return r
}

// TestHiresPrecisionNeeded: rows of a hires table read without its
// precisions stop with a *PrecisionError naming the table and the
// columns; with the precisions they decode; a precision given wrong is
// refused too.
func TestHiresPrecisionNeeded(t *testing.T) {
	for _, rows := range []int{1, 2, 5} {
		r := hiresRowsEvent(t, rows)
		tb := hiresTable(t)
		if !tb.NeedsPrecision() {
			t.Fatal("NeedsPrecision false for a fresh table with old temporal columns")
		}
		after := make([]Value, 4)
		it := tb.Rows(r, nil, after)
		if it.Next() {
			t.Fatalf("%d rows: decoded without precisions: %v", rows, after)
		}
		var pe *PrecisionError
		if !errors.As(it.Err(), &pe) || !pe.Unknown() || len(pe.Columns) != 3 || pe.Table != "db.h" {
			t.Fatalf("%d rows: err %v (%#v)", rows, it.Err(), pe)
		}
		msg := it.Err().Error()
		for _, want := range []string{"db.h", "column 2 (TIME)", "column 3 (DATETIME)", "column 4 (TIMESTAMP)", "--schema", "--schema-dsn", "CREATE TABLE", "mysql56_temporal_format"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message lacks %q: %s", want, msg)
			}
		}
		if !errors.Is(it.Err(), ErrCorrupt) {
			t.Errorf("not ErrCorrupt: %v", it.Err())
		}
		for i, p := range []int{0, 3, 6, 1} {
			if err := tb.SetPrecision(i, p); err != nil {
				t.Fatal(err)
			}
		}
		if tb.NeedsPrecision() {
			t.Fatal("NeedsPrecision after SetPrecision")
		}
		it = tb.Rows(r, nil, after)
		n := 0
		for it.Next() {
			n++
			for i := range after {
				if !after[i].Equal(hiresRow[i]) {
					t.Fatalf("column %d: %+v, want %+v", i+1, after[i], hiresRow[i])
				}
			}
		}
		if it.Err() != nil || n != rows {
			t.Fatalf("%d rows: %d decoded, %v", rows, n, it.Err())
		}
		// A wrong precision: TIME(4) takes the 5 bytes of TIME(3), so
		// the bytes do not fit DATETIME(6)'s or the images' ends.
		tb.SetPrecision(2, 5)
		it = tb.Rows(r, nil, after)
		if it.Next() || !errors.As(it.Err(), &pe) || pe.Unknown() {
			t.Fatalf("%d rows, DATETIME(5) for DATETIME(6): %v", rows, it.Err())
		}
		if msg := it.Err().Error(); !strings.Contains(msg, "DATETIME(5)") || !strings.Contains(msg, "another version") {
			t.Errorf("message: %s", msg)
		}
	}
}

// TestHiresSkipRowNamesPrecision: DecodeRow and SkipRow of a hires row
// read without precisions fail with a *PrecisionError, unless the error is
// about a column before the first old temporal column.
func TestHiresSkipRowNamesPrecision(t *testing.T) {
	r := hiresRowsEvent(t, 1)
	tb := hiresTable(t)
	// The 8 bytes after the TIME(3)'s first 3 read as an old DATETIME are
	// out of range.
	_, err := tb.SkipRow(r.Data, nil)
	var pe *PrecisionError
	if !errors.As(err, &pe) {
		t.Fatalf("SkipRow: %v", err)
	}
	if _, err := tb.DecodeRow(r.Data[:3], nil, make([]Value, 4)); errors.As(err, &pe) || !errors.Is(err, ErrTruncated) {
		t.Fatalf("image cut inside the INT column: %v", err)
	}
}

// TestOldTemporalWithoutPrecision: a table of genuine old TIME, DATETIME
// and TIMESTAMP columns (MySQL before 5.6; MariaDB's columns without a
// fraction) decodes without any precision given, one row or many, with
// either padding of the null bitmap.
func TestOldTemporalWithoutPrecision(t *testing.T) {
	row := []Value{IntValue(1), TimeValue(true, 838, 59, 59, 0, 0), DatetimeValue(2012, 3, 18, 11, 30, 45, 0, 0), TimestampValue(1000000000, 0, 0)}
	for _, ones := range []bool{false, true} {
		for _, rows := range []int{1, 3} {
			tb := hiresTable(t)
			var data []byte
			for k := 0; k < rows; k++ {
				start := len(data)
				var err error
				data, err = tb.AppendRow(data, nil, row)
				if err != nil {
					t.Fatal(err)
				}
				if ones {
					data[start] |= 0xf0
				}
			}
			r := &event.Rows{Type: event.WriteRowsEventV1, TableID: 9, ColumnCount: 4, Data: data}
			after := make([]Value, 4)
			it := tb.Rows(r, nil, after)
			n := 0
			for it.Next() {
				n++
				for i := range row {
					if !after[i].Equal(row[i]) {
						t.Fatalf("column %d: %+v", i+1, after[i])
					}
				}
			}
			if it.Err() != nil || n != rows {
				t.Fatalf("ones=%v rows=%d: %d rows, %v", ones, rows, n, it.Err())
			}
		}
	}
}

// TestHiresPaddingMismatch: images that tile the event but whose null
// bitmaps' unused bits disagree are refused (a misread precision lands
// the next image's bitmap inside a value).
func TestHiresPaddingMismatch(t *testing.T) {
	tb := hiresTable(t)
	row := []Value{IntValue(1), Value{}, Value{}, Value{}}
	var data []byte
	data, _ = tb.AppendRow(data, nil, row)
	data, _ = tb.AppendRow(data, nil, row)
	data[0] |= 0xf0
	r := &event.Rows{Type: event.WriteRowsEventV1, TableID: 9, ColumnCount: 4, Data: data}
	err := tb.CheckPrecision(r)
	var pe *PrecisionError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "unused bits") {
		t.Fatalf("CheckPrecision: %v", err)
	}
	if _, err := tb.NextRow(r, 0, nil, make([]Value, 4)); !errors.As(err, &pe) {
		t.Fatalf("NextRow: %v", err)
	}
	data[0] &^= 0xf0
	if err := tb.CheckPrecision(r); err != nil {
		t.Fatal(err)
	}
}

func TestSetPrecision(t *testing.T) {
	tb := hiresTable(t)
	for _, bad := range [][2]int{{-1, 3}, {4, 3}, {1, 7}, {1, -2}} {
		if err := tb.SetPrecision(bad[0], bad[1]); err == nil {
			t.Errorf("SetPrecision(%d, %d) accepted", bad[0], bad[1])
		}
	}
	// Other types: nothing to set.
	if err := tb.SetPrecision(0, 3); err != nil || tb.Columns[0].Precision != 0 {
		t.Errorf("INT column: %v, precision %d", err, tb.Columns[0].Precision)
	}
	if tb.Columns[1].Precision != PrecisionUnknown {
		t.Errorf("fresh TIME column precision %d", tb.Columns[1].Precision)
	}
	tb.SetPrecision(1, 3)
	// A repeated Table_map keeps the precision; another one resets it.
	tm := &event.TableMap{TableID: 9, Schema: []byte("db"), Table: []byte("h"), ColumnCount: 4,
		ColumnTypes: []byte{byte(event.ColumnTypeLong), byte(event.ColumnTypeTime), byte(event.ColumnTypeDatetime), byte(event.ColumnTypeTimestamp)},
		NullBitmap:  []byte{0x0e}}
	if err := tb.Reset(tm); err != nil || tb.Columns[1].Precision != 3 {
		t.Fatalf("same Table_map: precision %d (%v)", tb.Columns[1].Precision, err)
	}
	tm2 := *tm
	tm2.Table = []byte("h2")
	if err := tb.Reset(&tm2); err != nil || tb.Columns[1].Precision != PrecisionUnknown {
		t.Fatalf("other Table_map: precision %d (%v)", tb.Columns[1].Precision, err)
	}
	if err := tb.Reset(tm); err != nil || tb.Columns[1].Precision != 3 {
		t.Fatalf("back to the first Table_map: precision %d (%v)", tb.Columns[1].Precision, err)
	}
	// TIME2 carries its own precision.
	c := &Column{Type: event.ColumnTypeTime2, WireType: event.ColumnTypeTime2, Meta: 3}
	tb.Columns = append(tb.Columns, *c)
	if err := tb.SetPrecision(4, 5); err != nil || tb.Columns[4].Precision != 0 {
		t.Errorf("TIME2: %v, precision %d", err, tb.Columns[4].Precision)
	}
}

// TestHiresText: values of hires columns print as MySQL prints them, in
// mysqlbinlog's form with the precision in the type name, and as JSON.
func TestHiresText(t *testing.T) {
	tb := hiresTable(t)
	for i, p := range []int{0, 3, 6, 1} {
		tb.SetPrecision(i, p)
	}
	want := []struct{ text, sql, binlog, json string }{
		{"7", "7", "7 /* INT meta=0 nullable=0 is_null=0 */", "7"},
		{"-100:08:04.010", "'-100:08:04.010'", "'-100:08:04.010' /* TIME(3) meta=0 nullable=1 is_null=0 */", `"-100:08:04.010"`},
		{"2026-11-21 10:30:00.123456", "'2026-11-21 10:30:00.123456'", "'2026-11-21 10:30:00.123456' /* DATETIME(6) meta=0 nullable=1 is_null=0 */", `"2026-11-21T10:30:00.123456"`},
		{"2023-11-14 22:13:20.5", "'2023-11-14 22:13:20.5'", "1700000000.5 /* TIMESTAMP(1) meta=0 nullable=1 is_null=0 */", `"2023-11-14T22:13:20.5Z"`},
	}
	for i, v := range hiresRow {
		c := &tb.Columns[i]
		text, _ := v.AppendText(nil, c)
		sql, _ := v.AppendSQL(nil, c)
		bl, _ := v.AppendMySQLBinlog(nil, c, event.MariaDB)
		js, _ := v.AppendJSON(nil, c)
		if got := [4]string{string(text), string(sql), string(bl), string(js)}; got != [4]string{want[i].text, want[i].sql, want[i].binlog, want[i].json} {
			t.Errorf("column %d: %q, want %q", i+1, got, want[i])
		}
	}
	// Genuine old columns keep mysqlbinlog's names.
	old := hiresTable(t)
	bl, _ := TimeValue(false, 1, 2, 3, 0, 0).AppendMySQLBinlog(nil, &old.Columns[1], event.MariaDB)
	if string(bl) != "'01:02:03' /* TIME meta=0 nullable=1 is_null=0 */" {
		t.Errorf("old TIME: %s", bl)
	}
	// MariaDB stores '1970-01-01 00:00:00.5' UTC as 0 seconds and a
	// fraction: it is not the zero TIMESTAMP.
	v := TimestampValue(0, 500000, 1)
	if got := string(v.AppendTemporal(nil)); got != "1970-01-01 00:00:00.5" {
		t.Errorf("0 s + 0.5: %q", got)
	}
	if _, ok := v.GoTime(); !ok {
		t.Error("0 s + 0.5 has no GoTime")
	}
}

// TestHiresRowsEventEOF: NextRow's check runs once per event (at offset
// 0); the offsets after it are those of the rows.
func TestHiresRowsEventEOF(t *testing.T) {
	r := hiresRowsEvent(t, 3)
	tb := hiresTable(t)
	for i, p := range []int{0, 3, 6, 1} {
		tb.SetPrecision(i, p)
	}
	off, n := 0, 0
	for {
		next, err := tb.NextRow(r, off, nil, nil)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		off = next
		n++
	}
	if n != 3 || off != len(r.Data) {
		t.Fatalf("%d rows, end %d of %d", n, off, len(r.Data))
	}
}

// FuzzHiresRows: a rows event of a table of old TIME, DATETIME and
// TIMESTAMP columns (and an INT), read with fuzzed precisions (unknown
// among them), never panics; when its rows decode, each re-encodes to an
// image that decodes to the same values, and the event's images ended
// exactly at its end.
func FuzzHiresRows(f *testing.F) {
	ok := hiresRowsEvent(f, 3)
	f.Add(byte(0x31), byte(0x06), byte(1), ok.Data)
	f.Add(byte(0x00), byte(0x00), byte(1), ok.Data)
	f.Add(byte(0x31), byte(0x06), byte(2), ok.Data)
	old := []byte{0xf0, 1, 0, 0, 0, 0x59, 0x0a, 0x80, 0x15, 0xf5, 0x69, 0xa0, 0x4c, 0x12, 0, 0, 0x00, 0xca, 0x9a, 0x3b}
	f.Add(byte(0), byte(0), byte(1), old)
	f.Fuzz(func(t *testing.T, p1, p2, kind byte, data []byte) {
		tb := hiresTable(t)
		// Each precision nibble: 0–6, 7 and above unknown.
		for i, p := range []byte{p1 & 15, p1 >> 4, p2 & 15} {
			fsp := int(p)
			if fsp > 6 {
				fsp = PrecisionUnknown
			}
			if err := tb.SetPrecision(i+1, fsp); err != nil {
				t.Fatal(err)
			}
		}
		typ := []event.Type{event.WriteRowsEventV1, event.DeleteRowsEventV1, event.UpdateRowsEventV1}[int(kind)%3]
		r := &event.Rows{Type: typ, TableID: 9, ColumnCount: 4, Data: data}
		before, after := make([]Value, 4), make([]Value, 4)
		it := tb.Rows(r, before, after)
		prev := 0
		for it.Next() {
			if it.Offset() <= prev || it.Offset() > len(data) {
				t.Fatalf("offset %d after %d of %d", it.Offset(), prev, len(data))
			}
			prev = it.Offset()
			for _, img := range [][]Value{it.Before, it.After} {
				if img == nil {
					continue
				}
				enc, err := tb.AppendRow(nil, nil, img)
				if err != nil {
					t.Fatalf("re-encoding %+v: %v", img, err)
				}
				back := make([]Value, 4)
				if n, err := tb.DecodeRow(enc, nil, back); err != nil || n != len(enc) {
					t.Fatalf("decoding the re-encoding: %d of %d, %v", n, len(enc), err)
				}
				for i := range back {
					if !back[i].Equal(img[i]) {
						t.Fatalf("column %d: %+v then %+v", i+1, img[i], back[i])
					}
					if _, err := img[i].AppendMySQLBinlog(nil, &tb.Columns[i], event.MariaDB); err != nil {
						t.Fatal(err)
					}
					checkJSONForm(t, img[i], &tb.Columns[i])
				}
			}
		}
		if it.Err() == nil && prev != len(data) {
			t.Fatalf("rows ended at %d of %d", prev, len(data))
		}
	})
}

// TestHiresAllocs: decoding rows of the hires formats, and checking an
// event against the precisions, allocate nothing.
func TestHiresAllocs(t *testing.T) {
	r := hiresRowsEvent(t, 4)
	tb := hiresTable(t)
	for i, p := range []int{0, 3, 6, 1} {
		tb.SetPrecision(i, p)
	}
	after := make([]Value, 4)
	var text []byte
	if n := testing.AllocsPerRun(100, func() {
		it := tb.Rows(r, nil, after)
		for it.Next() {
			text = appendTemporalText(text[:0], after[2])
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
	}); n != 0 {
		t.Errorf("%v allocations per event", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		if err := tb.CheckPrecision(r); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("CheckPrecision: %v allocations", n)
	}
}
