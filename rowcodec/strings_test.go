package rowcodec

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

func strCol(typ event.ColumnType, meta uint32, collation uint16) *Column {
	return &Column{Type: typ, WireType: typ, Meta: meta, Collation: collation, Nullable: true}
}

// TestTC22StringTypes is TESTCASES #22: long CHAR, VARCHAR with 1- and 2-byte
// lengths, BINARY(16) with trailing zero bytes, utf8mb4 4-byte characters,
// latin1/GBK bytes kept as they are, every BLOB/TEXT size, GEOMETRY as SRID
// + WKB.
func TestTC22StringTypes(t *testing.T) {
	dolphins := bytes.Repeat([]byte("🐬"), 255) // CHAR(255) utf8mb4: 1020 bytes
	long := append([]byte{0xfc, 0x03}, dolphins...)
	roundTrip(t, strCol(event.ColumnTypeString, 1020, 45), long, StringValue(dolphins, 45))

	roundTrip(t, strCol(event.ColumnTypeVarchar, 255, 8), []byte{3, 'c', 'a', 0xe9}, StringValue([]byte{'c', 'a', 0xe9}, 8))
	v300 := bytes.Repeat([]byte("x"), 300)
	roundTrip(t, strCol(event.ColumnTypeVarchar, 1200, 45), append([]byte{0x2c, 0x01}, v300...), StringValue(v300, 45))
	roundTrip(t, strCol(event.ColumnTypeVarchar, 256, 45), []byte{1, 0, 'a'}, StringValue([]byte("a"), 45))
	gbk := []byte{0xd6, 0xd0, 0xce, 0xc4}
	roundTrip(t, strCol(event.ColumnTypeVarchar, 100, 28), append([]byte{4}, gbk...), StringValue(gbk, 28))

	// BINARY(16) with trailing zeros: the logged bytes, zeros included.
	bin16 := []byte{0x12, 0x3e, 0x45, 0x67, 0, 0, 0, 0}
	roundTrip(t, strCol(event.ColumnTypeString, 16, 63), append([]byte{8}, bin16...),
		Value{kind: KindBytes, aux: 63, b: bin16})

	for ls, typ := range map[int]event.ColumnType{1: event.ColumnTypeBlob, 2: event.ColumnTypeBlob, 3: event.ColumnTypeBlob, 4: event.ColumnTypeBlob} {
		body := bytes.Repeat([]byte{0xab}, 255)
		img := appendLE(nil, uint64(len(body)), ls)
		img = append(img, body...)
		roundTrip(t, strCol(typ, uint32(ls), 63), img, Value{kind: KindBytes, aux: 63, b: body})
		roundTrip(t, strCol(typ, uint32(ls), 45), img, StringValue(body, 45))
	}
	// Without charsets: CHAR/VARCHAR text, BLOB/TEXT bytes.
	if k := stringKind(strCol(event.ColumnTypeVarchar, 10, 0)); k != KindString {
		t.Errorf("VARCHAR without charset: %v", k)
	}
	if k := stringKind(strCol(event.ColumnTypeBlob, 2, 0)); k != KindBytes {
		t.Errorf("BLOB without charset: %v", k)
	}

	// GEOMETRY: POINT(1 2) with SRID 0, and a SRID 4326 point.
	wkb := []byte{1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40}
	g := AppendGeometry(nil, 4326, wkb)
	roundTrip(t, strCol(event.ColumnTypeGeometry, 4, 0), append([]byte{byte(len(g)), 0, 0, 0}, g...), GeometryValue(g))
	gv := GeometryValue(g)
	if gv.SRID() != 4326 || !bytes.Equal(gv.WKB(), wkb) {
		t.Errorf("SRID %d WKB % x", gv.SRID(), gv.WKB())
	}
	sql, _ := gv.AppendSQL(nil, nil)
	if string(sql) != "ST_GeomFromWKB(X'0101000000000000000000f03f0000000000000040', 4326)" {
		t.Errorf("geometry SQL %s", sql)
	}
	if _, _, err := decodeString(strCol(event.ColumnTypeGeometry, 4, 0), []byte{2, 0, 0, 0, 1, 2}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("2-byte geometry: %v", err)
	}
}

// TestTC23Vector is TESTCASES #23: VECTOR (242) values are little-endian
// float32s, read in place.
func TestTC23Vector(t *testing.T) {
	c := strCol(event.ColumnTypeVector, 4, 0)
	c.VectorDims = 3
	raw := AppendVector(nil, 1.1, 2.2, 3.3)
	roundTrip(t, c, append([]byte{12, 0, 0, 0}, raw...), VectorValue(raw))
	v := VectorValue(raw)
	if v.VectorLen() != 3 || v.Float32At(1) != 2.2 {
		t.Errorf("VectorLen %d Float32At(1) %v", v.VectorLen(), v.Float32At(1))
	}
	var got []float32
	for _, f := range v.Float32s() {
		got = append(got, f)
	}
	if len(got) != 3 || got[0] != 1.1 || got[2] != 3.3 {
		t.Errorf("Float32s %v", got)
	}
	sum := float32(0)
	if a := testing.AllocsPerRun(100, func() {
		for _, f := range v.Float32s() {
			sum += f
		}
	}); a != 0 {
		t.Errorf("Float32s allocates %v", a)
	}
	sql, _ := v.AppendSQL(nil, c)
	if string(sql) != "STRING_TO_VECTOR('[1.1,2.2,3.3]')" {
		t.Errorf("vector SQL %s", sql)
	}
	if _, _, err := decodeString(c, []byte{3, 0, 0, 0, 1, 2, 3}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("3-byte vector: %v", err)
	}
}

func TestStringTruncated(t *testing.T) {
	for _, tc := range []struct {
		c *Column
		b []byte
	}{
		{strCol(event.ColumnTypeVarchar, 300, 45), []byte{5}},
		{strCol(event.ColumnTypeVarchar, 30, 45), []byte{5, 'a'}},
		{strCol(event.ColumnTypeBlob, 4, 63), []byte{0xff, 0xff, 0xff, 0xff, 1}},
		{strCol(event.ColumnTypeString, 1020, 45), []byte{0xfc}},
	} {
		if _, _, err := decodeString(tc.c, tc.b); !errors.Is(err, ErrTruncated) {
			t.Errorf("% x: %v", tc.b, err)
		}
	}
	if _, _, err := decodeString(strCol(event.ColumnTypeBlob, 7, 63), make([]byte, 10)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("7-byte length: %v", err)
	}
	if _, err := appendString(nil, strCol(event.ColumnTypeBlob, 1, 63), BytesValue(make([]byte, 256))); err == nil {
		t.Error("256 bytes in a TINYBLOB")
	}
}

// TestStringProperty: random strings of every string type survive
// encode→decode and decode→encode.
func TestStringProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cols := []*Column{
		strCol(event.ColumnTypeString, 16, 63), strCol(event.ColumnTypeString, 1020, 45),
		strCol(event.ColumnTypeVarchar, 255, 8), strCol(event.ColumnTypeVarchar, 300, 45),
		strCol(event.ColumnTypeVarString, 20, 63),
		strCol(event.ColumnTypeBlob, 1, 63), strCol(event.ColumnTypeBlob, 2, 45),
		strCol(event.ColumnTypeBlob, 3, 8), strCol(event.ColumnTypeBlob, 4, 0),
		strCol(event.ColumnTypeGeometry, 4, 0), strCol(event.ColumnTypeVector, 4, 0),
	}
	for _, c := range cols {
		max := 255
		if lengthSize(c) > 1 {
			max = 2000
		}
		for i := 0; i < 100; i++ {
			n := r.IntN(max + 1)
			switch c.Type {
			case event.ColumnTypeGeometry:
				n += 4
			case event.ColumnTypeVector:
				n &^= 3
			}
			body := make([]byte, n)
			for j := range body {
				body[j] = byte(r.Uint32())
			}
			v := Value{kind: stringKind(c), b: body}
			if v.kind == KindString || v.kind == KindBytes {
				v.aux = uint32(c.Collation)
			}
			enc, err := appendString(nil, c, v)
			if err != nil {
				t.Fatalf("%s: %v", c.Type.String(), err)
			}
			got, m, err := decodeString(c, enc)
			if err != nil || m != len(enc) || !got.Equal(v) {
				t.Fatalf("%s: %+v %d %v", c.Type.String(), got, m, err)
			}
			enc2, _ := appendString(nil, c, got)
			if !bytes.Equal(enc, enc2) {
				t.Fatalf("%s: re-encoding differs", c.Type.String())
			}
			if _, err := got.AppendSQL(nil, c); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestStringViewsCapped: a decoded string is a capacity-limited view, so
// appending to it cannot overwrite the next value.
func TestStringViewsCapped(t *testing.T) {
	img := []byte{2, 'a', 'b', 2, 'c', 'd'}
	v, n, err := decodeString(strCol(event.ColumnTypeVarchar, 10, 45), img)
	if err != nil || n != 3 {
		t.Fatal(err)
	}
	_ = append(v.Bytes(), 'X')
	if img[3] != 2 {
		t.Error("append through a view overwrote the image")
	}
}
