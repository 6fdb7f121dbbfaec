package rowcodec

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// fuzzTypes are the column types whose values this tree's files decode.
var fuzzTypes = []event.ColumnType{
	event.ColumnTypeTiny, event.ColumnTypeShort, event.ColumnTypeInt24, event.ColumnTypeLong,
	event.ColumnTypeLongLong, event.ColumnTypeFloat, event.ColumnTypeDouble, event.ColumnTypeYear,
	event.ColumnTypeBit, event.ColumnTypeEnum, event.ColumnTypeSet, event.ColumnTypeString,
	event.ColumnTypeVarchar, event.ColumnTypeVarString, event.ColumnTypeBlob, event.ColumnTypeGeometry,
	event.ColumnTypeVector, event.ColumnTypeNull,
}

// fuzzColumn builds a column from two fuzz bytes: a type selector and a
// metadata byte, plus a signedness/charset byte.
func fuzzColumn(sel, m, flags byte) Column {
	typ := fuzzTypes[int(sel)%len(fuzzTypes)]
	c := Column{Type: typ, WireType: typ, Nullable: flags&1 != 0, HasSign: flags&2 != 0, Unsigned: flags&4 != 0, Visible: true}
	if flags&8 != 0 {
		c.Collation = collationBinary
	} else if flags&16 != 0 {
		c.Collation = 45
	}
	switch typ {
	case event.ColumnTypeFloat:
		c.Meta = 4
	case event.ColumnTypeDouble:
		c.Meta = 8
	case event.ColumnTypeBit:
		c.Meta = uint32(m>>3&7)<<8 | uint32(m&7)
		if c.Meta == 0 {
			c.Meta = 1
		}
	case event.ColumnTypeEnum:
		c.Meta = uint32(m%2) + 1
		c.WireType = event.ColumnTypeString
	case event.ColumnTypeSet:
		c.Meta = uint32(m%8) + 1
		c.WireType = event.ColumnTypeString
	case event.ColumnTypeString:
		c.Meta = uint32(m) * 4
	case event.ColumnTypeVarchar, event.ColumnTypeVarString:
		c.Meta = uint32(m) * 5
	case event.ColumnTypeBlob, event.ColumnTypeGeometry, event.ColumnTypeVector:
		c.Meta = uint32(m%4) + 1
	}
	return c
}

// fuzzTable builds a table from the fuzz input's head: a column count, then
// three bytes per column; it returns the rest of the input.
func fuzzTable(data []byte) (*Table, []byte) {
	if len(data) == 0 {
		return nil, nil
	}
	n := int(data[0])%12 + 1
	data = data[1:]
	if len(data) < 3*n {
		return nil, nil
	}
	tb := &Table{Schema: []byte("db"), Name: []byte("fz")}
	for i := 0; i < n; i++ {
		c := fuzzColumn(data[3*i], data[3*i+1], data[3*i+2])
		c.Index = i
		tb.Columns = append(tb.Columns, c)
	}
	return tb, data[3*n:]
}

// FuzzDecodeRow decodes random row images of random table shapes (of the
// types this tree decodes). Invariants: no panic; a decoded image re-encodes
// to an image that decodes to the same values with the same length; the
// formatters accept every decoded value.
func FuzzDecodeRow(f *testing.F) {
	tb := mixedTable(f)
	img, _ := tb.AppendRow(nil, nil, mixedRow(5))
	// Seed: the mixed table's shape written as fuzz columns, then a row.
	f.Add(append([]byte{5, 3, 0, 3, 12, 40, 17, 4, 0, 7, 14, 2, 17, 10, 2, 1, 8, 12, 1}, append([]byte{0xff}, img...)...))
	f.Add([]byte{0, 0, 0, 0, 0xff, 0, 1})
	f.Add([]byte{2, 11, 200, 16, 12, 1, 0, 13, 2, 0, 3, 0xfc, 0x03, 'a'})
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, rest := fuzzTable(data)
		if tb == nil || len(rest) == 0 {
			return
		}
		present := rest[:1]
		img := rest[1:]
		if len(tb.Columns) > 8 {
			present = nil
		}
		vals := make([]Value, len(tb.Columns))
		n, err := tb.DecodeRow(img, present, vals)
		if err != nil {
			return
		}
		if n > len(img) {
			t.Fatalf("used %d of %d bytes", n, len(img))
		}
		for i := range vals {
			c := &tb.Columns[i]
			for _, f := range []event.Flavor{event.MySQL, event.MariaDB} {
				if _, err := vals[i].AppendMySQLBinlog(nil, c, f); err != nil && !vals[i].IsAbsent() {
					t.Fatalf("column %d binlog text (%v): %v", i, f, err)
				}
			}
			vals[i].AppendSQL(nil, c)
			vals[i].AppendText(nil, c)
			checkJSONForm(t, vals[i], c)
		}
		enc, err := tb.AppendRow(nil, present, vals)
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", vals, err)
		}
		vals2 := make([]Value, len(tb.Columns))
		m, err := tb.DecodeRow(enc, present, vals2)
		if err != nil || m != len(enc) {
			t.Fatalf("decoding the re-encoding: %d %v", m, err)
		}
		for i := range vals {
			if !vals[i].Equal(vals2[i]) {
				t.Fatalf("column %d: %+v then %+v", i, vals[i], vals2[i])
			}
		}
	})
}

// fuzzOne checks one value decoder: no panic, n within b, and
// encode(decode(b)) == b[:n].
func fuzzOne(t *testing.T, c *Column, b []byte) {
	v, n, err := decodeValue(c, b, false)
	if err != nil {
		return
	}
	if n < 0 || n > len(b) {
		t.Fatalf("n=%d of %d", n, len(b))
	}
	enc, err := appendValue(nil, c, v)
	if err != nil {
		t.Fatalf("re-encoding %+v: %v", v, err)
	}
	if !bytes.Equal(enc, b[:n]) {
		t.Fatalf("% x re-encoded as % x", b[:n], enc)
	}
	for _, f := range []event.Flavor{event.MySQL, event.MariaDB} {
		if _, err := v.AppendMySQLBinlog(nil, c, f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := v.AppendSQL(nil, c); err != nil {
		t.Fatal(err)
	}
	checkJSONForm(t, v, c)
}

// checkJSONForm checks that AppendJSON gives valid JSON for v, with an
// error only for an absent value or a JSON document.
func checkJSONForm(t *testing.T, v Value, c *Column) {
	t.Helper()
	out, err := v.AppendJSON(nil, c)
	if err != nil {
		if v.IsAbsent() || errors.Is(err, ErrCorrupt) && (v.Kind() == KindJSON || v.Kind() == KindJSONDiff ||
			v.Kind() == KindFloat32 || v.Kind() == KindFloat64 || v.Kind() == KindVector) {
			return
		}
		t.Fatalf("AppendJSON of %v: %v", v.Kind(), err)
	}
	if !json.Valid(out) {
		t.Fatalf("AppendJSON of %v: invalid JSON %q", v.Kind(), out)
	}
}

// FuzzNumeric fuzzes the integer, FLOAT, DOUBLE, YEAR, BIT, ENUM and SET
// decoders and encoders.
func FuzzNumeric(f *testing.F) {
	f.Add(byte(0), byte(0), byte(6), []byte{0x80})
	f.Add(byte(4), byte(0), byte(6), bytes.Repeat([]byte{0xff}, 8))
	f.Add(byte(8), byte(0x3f), byte(0), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add(byte(10), byte(2), byte(0), []byte{1, 0, 2})
	f.Fuzz(func(t *testing.T, sel, m, flags byte, b []byte) {
		c := fuzzColumn(sel%11, m, flags)
		fuzzOne(t, &c, b)
	})
}

// FuzzStrings fuzzes the CHAR/VARCHAR/BLOB/GEOMETRY/VECTOR decoders and
// encoders.
func FuzzStrings(f *testing.F) {
	f.Add(byte(0), byte(255), byte(16), []byte{0xfc, 0x03, 'a'})
	f.Add(byte(1), byte(60), byte(8), []byte{0x2c, 0x01, 'x'})
	f.Add(byte(3), byte(3), byte(8), []byte{3, 0, 0, 'a', 'b', 'c'})
	f.Add(byte(4), byte(3), byte(0), []byte{5, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add(byte(5), byte(3), byte(0), []byte{8, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40})
	f.Fuzz(func(t *testing.T, sel, m, flags byte, b []byte) {
		c := fuzzColumn(11+sel%6, m, flags)
		fuzzOne(t, &c, b)
	})
}
