package rowcodec

import (
	"fmt"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// allTypesTable is a table of integer, temporal, decimal and string columns:
// INT, BIGINT UNSIGNED, DATETIME(6), TIME(3), TIMESTAMP, DATE,
// DECIMAL(14,4), DECIMAL(65,30), VARCHAR(100) utf8mb4, CHAR(10) latin1.
func allTypesTable(t testing.TB) *Table {
	tm := mkTableMap(t, []col{
		{event.ColumnTypeLong, 0, false},
		{event.ColumnTypeLongLong, 0, true},
		{event.ColumnTypeDatetime2, 6, true},
		{event.ColumnTypeTime2, 3, true},
		{event.ColumnTypeTimestamp2, 0, true},
		{event.ColumnTypeDate, 0, true},
		{event.ColumnTypeNewDecimal, 14<<8 | 4, true},
		{event.ColumnTypeNewDecimal, 65<<8 | 30, true},
		{event.ColumnTypeVarchar, 400, true},
		{event.ColumnTypeString, 0xfe0a, true},
	},
		opt(event.OptSignedness, []byte{0x40, 0}),
		opt(event.OptColumnCharset, packedInts(45, 8)),
	)
	return mustTable(t, tm)
}

func allTypesRow(t testing.TB, i int) []Value {
	d1, err := DecimalValue(fmt.Sprintf("-%d.1234", 1234567890+i), 14, 4)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := DecimalValue("12345678901234567890123456789012345.123456789012345678901234567890", 65, 30)
	if err != nil {
		t.Fatal(err)
	}
	return []Value{
		IntValue(int64(-i)),
		UintValue(18446744073709551615 - uint64(i)),
		DatetimeValue(2026, 11, 21, 10, 30, i%60, 123456, 6),
		TimeValue(true, 838, 59, 59, 999000, 3),
		TimestampValue(1763721000+int64(i), 0, 0),
		DateValue(2013, 0, 0),
		d1,
		d2,
		StringValue([]byte("dolphin 🐬 row"), 45),
		StringValue([]byte("caf\xe9"), 8),
	}
}

// TestDecodeAllTypesNoAlloc proves that decoding a row of integer, temporal,
// decimal and string columns into a reused []Value, and printing every
// value, allocates nothing.
func TestDecodeAllTypesNoAlloc(t *testing.T) {
	tb := allTypesTable(t)
	want := allTypesRow(t, 7)
	img, err := tb.AppendRow(nil, nil, want)
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]Value, len(tb.Columns))
	if _, err := tb.DecodeRow(img, nil, vals); err != nil {
		t.Fatal(err)
	}
	equalRows(t, "all types", vals, want)
	var text []byte
	for i, v := range vals {
		text, _ = v.AppendText(text, &tb.Columns[i])
		text = append(text, '|')
	}
	if got := string(text); !strings.Contains(got, "2026-11-21 10:30:07.123456|-838:59:59.999|") || !strings.Contains(got, "|-1234567897.1234|") || !strings.Contains(got, "|2013-00-00|") {
		t.Errorf("text %s", got)
	}
	buf := make([]byte, 0, 4096)
	allocs := testing.AllocsPerRun(200, func() {
		n, err := tb.DecodeRow(img, nil, vals)
		if err != nil || n != len(img) {
			t.Fatalf("%d of %d bytes: %v", n, len(img), err)
		}
		out := buf[:0]
		for i, v := range vals {
			out, _ = v.AppendText(out, &tb.Columns[i])
		}
	})
	if allocs != 0 {
		t.Fatalf("decoding and printing a row of every kind allocates %v times", allocs)
	}
}

// BenchmarkDecodeAllTypes decodes and prints rows of integer, temporal,
// decimal and string columns.
//
//	go test ./rowcodec -run XXX -bench 'AllTypes|JSONRows' -benchmem
func BenchmarkDecodeAllTypes(b *testing.B) {
	tb := allTypesTable(b)
	var data []byte
	const rows = 100
	for i := 0; i < rows; i++ {
		var err error
		if data, err = tb.AppendRow(data, nil, allTypesRow(b, i)); err != nil {
			b.Fatal(err)
		}
	}
	benchRows(b, tb, data, rows)
}

// BenchmarkDecodeJSONRows decodes rows of (INT, JSON) whose documents are
// about 1 KB (objects, arrays, strings, numbers) and prints each document.
func BenchmarkDecodeJSONRows(b *testing.B) {
	tm := mkTableMap(b, []col{{event.ColumnTypeLong, 0, false}, {event.ColumnTypeJSON, 4, true}})
	tb := mustTable(b, tm)
	var data []byte
	const rows = 100
	for i := 0; i < rows; i++ {
		var doc strings.Builder
		fmt.Fprintf(&doc, `{"id": %d, "name": "customer %d", "tags": ["a", "b", "c"], "score": %d.5, "orders": [`, i, i, i)
		for j := 0; j < 12; j++ {
			if j > 0 {
				doc.WriteString(", ")
			}
			fmt.Fprintf(&doc, `{"sku": "SKU-%05d", "qty": %d, "price": 19.99, "gift": %v}`, i*100+j, j, j%2 == 0)
		}
		doc.WriteString(`]}`)
		j, err := JSONValue([]byte(doc.String()))
		if err != nil {
			b.Fatal(err)
		}
		if data, err = tb.AppendRow(data, nil, []Value{IntValue(int64(i)), j}); err != nil {
			b.Fatal(err)
		}
	}
	benchRows(b, tb, data, rows)
}

// benchRows decodes n back-to-back row images and prints every value.
func benchRows(b *testing.B, tb *Table, data []byte, n int) {
	vals := make([]Value, len(tb.Columns))
	out := make([]byte, 0, 1<<16)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		off := 0
		for r := 0; r < n; r++ {
			m, err := tb.DecodeRow(data[off:], nil, vals)
			if err != nil {
				b.Fatal(err)
			}
			off += m
			out = out[:0]
			for c, v := range vals {
				if out, err = v.AppendText(out, &tb.Columns[c]); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "rows/s")
}
