package rowcodec

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

func numCol(typ event.ColumnType, meta uint32, unsigned bool) *Column {
	return &Column{Type: typ, WireType: typ, Meta: meta, HasSign: true, Unsigned: unsigned, Nullable: true}
}

// roundTrip checks decode(b) == want, encode(want) == b.
func roundTrip(t *testing.T, c *Column, b []byte, want Value) {
	t.Helper()
	v, n, err := decodeValue(c, append(b, 0xee), false) // trailing byte must not be consumed
	if err != nil || n != len(b) || !v.Equal(want) {
		t.Errorf("decode % x: %+v n=%d err=%v, want %+v", b, v, n, err, want)
	}
	enc, err := appendValue(nil, c, want)
	if err != nil || !bytes.Equal(enc, b) {
		t.Errorf("encode %+v: % x err=%v, want % x", want, enc, err, b)
	}
}

// TestTC15IntegerExtremes is TESTCASES #15: signed and unsigned extremes of every
// width; BIGINT UNSIGNED 18446744073709551615 is not -1.
func TestTC15IntegerExtremes(t *testing.T) {
	for _, tc := range []struct {
		typ  event.ColumnType
		b    []byte
		s    int64
		u    uint64
		name string
	}{
		{event.ColumnTypeTiny, []byte{0x80}, -128, 128, "TINYINT min"},
		{event.ColumnTypeTiny, []byte{0x7f}, 127, 127, "TINYINT max"},
		{event.ColumnTypeTiny, []byte{0xff}, -1, 255, "TINYINT -1/255"},
		{event.ColumnTypeShort, []byte{0x00, 0x80}, -32768, 32768, "SMALLINT min"},
		{event.ColumnTypeShort, []byte{0xff, 0xff}, -1, 65535, "SMALLINT -1/65535"},
		{event.ColumnTypeInt24, []byte{0x00, 0x00, 0x80}, -8388608, 8388608, "MEDIUMINT min"},
		{event.ColumnTypeInt24, []byte{0xff, 0xff, 0x7f}, 8388607, 8388607, "MEDIUMINT max"},
		{event.ColumnTypeInt24, []byte{0xff, 0xff, 0xff}, -1, 16777215, "MEDIUMINT -1"},
		{event.ColumnTypeLong, []byte{0, 0, 0, 0x80}, math.MinInt32, 2147483648, "INT min"},
		{event.ColumnTypeLong, []byte{0xff, 0xff, 0xff, 0xff}, -1, 4294967295, "INT -1"},
		{event.ColumnTypeLong, []byte{0xd3, 0xf9, 0x88, 0xc0}, -1064764973, 3230202323, "INT 3230202323"},
		{event.ColumnTypeLongLong, []byte{0, 0, 0, 0, 0, 0, 0, 0x80}, math.MinInt64, 1 << 63, "BIGINT min"},
		{event.ColumnTypeLongLong, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, math.MaxInt64, math.MaxInt64, "BIGINT max"},
		{event.ColumnTypeLongLong, bytes.Repeat([]byte{0xff}, 8), -1, math.MaxUint64, "BIGINT UNSIGNED max"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			roundTrip(t, numCol(tc.typ, 0, false), tc.b, IntValue(tc.s))
			roundTrip(t, numCol(tc.typ, 0, true), tc.b, UintValue(tc.u))
			// Without signedness metadata: signed.
			c := &Column{Type: tc.typ}
			v, _, _ := decodeNumeric(c, tc.b)
			if v.Kind() != KindInt || v.Int64() != tc.s {
				t.Errorf("no signedness: %v %d", v.Kind(), v.Int64())
			}
			text, _ := UintValue(tc.u).AppendText(nil, c)
			if tc.u == math.MaxUint64 && string(text) != "18446744073709551615" {
				t.Errorf("text %s", text)
			}
		})
	}
	// Out of range values are refused, not truncated.
	if _, err := appendNumeric(nil, numCol(event.ColumnTypeTiny, 0, false), IntValue(256)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("256 in TINYINT: %v", err)
	}
	if _, err := appendNumeric(nil, numCol(event.ColumnTypeTiny, 0, true), UintValue(256)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("256 in TINYINT UNSIGNED: %v", err)
	}
}

// TestTC20Bit is TESTCASES #20: BIT(1), BIT(3), BIT(6/12/16), BIT(64) with the
// top bit set; SQL output b'…', not '0'.
func TestTC20Bit(t *testing.T) {
	for _, tc := range []struct {
		width int
		b     []byte
		v     uint64
		sql   string
	}{
		{1, []byte{1}, 1, "b'1'"},
		{1, []byte{0}, 0, "b'0'"},
		{3, []byte{5}, 5, "b'101'"},
		{6, []byte{0x21}, 0x21, "b'100001'"},
		{12, []byte{0x0a, 0xaa}, 0xaaa, "b'101010101010'"},
		{16, []byte{0x80, 0x01}, 0x8001, "b'1000000000000001'"},
		{64, []byte{0x80, 0, 0, 0, 0, 0, 0, 1}, 0x8000000000000001, "b'1000000000000000000000000000000000000000000000000000000000000001'"},
	} {
		meta := uint32(tc.width/8)<<8 | uint32(tc.width%8)
		c := numCol(event.ColumnTypeBit, meta, false)
		roundTrip(t, c, tc.b, BitValue(tc.v, tc.width))
		sql, err := BitValue(tc.v, tc.width).AppendSQL(nil, c)
		if err != nil || string(sql) != tc.sql {
			t.Errorf("BIT(%d) SQL %s %v, want %s", tc.width, sql, err, tc.sql)
		}
		v, _ := BitValue(tc.v, tc.width).Bits()
		if v != tc.v {
			t.Errorf("Bits %x", v)
		}
	}
	if _, err := appendNumeric(nil, numCol(event.ColumnTypeBit, 3, false), BitValue(8, 3)); err == nil {
		t.Error("BIT(3) accepted 8")
	}
}

// TestTC21EnumSetWidths is TESTCASES #21: ENUM of 1 and 2 bytes, SET of
// 1/2/3/4/8 bytes little-endian, ENUM index 0, the empty SET, names when
// known, the same kind either way.
func TestTC21EnumSetWidths(t *testing.T) {
	e1 := numCol(event.ColumnTypeEnum, 1, false)
	e2 := numCol(event.ColumnTypeEnum, 2, false)
	roundTrip(t, e1, []byte{3}, EnumValue(3, 1))
	roundTrip(t, e1, []byte{0}, EnumValue(0, 1))
	roundTrip(t, e2, []byte{0x2c, 0x01}, EnumValue(300, 2))
	for _, tc := range []struct {
		width int
		b     []byte
		mask  uint64
	}{
		{1, []byte{0x81}, 0x81},
		{2, []byte{0x00, 0x08}, 0x0800},
		{3, []byte{0x01, 0x00, 0x02}, 0x020001}, // 18 members: bit 17 in the third byte
		{4, []byte{0, 0, 0, 0x80}, 0x80000000},
		{8, []byte{1, 0, 0, 0, 0, 0, 0, 0x80}, 0x8000000000000001},
		{2, []byte{0, 0}, 0},
	} {
		roundTrip(t, numCol(event.ColumnTypeSet, uint32(tc.width), false), tc.b, SetValue(tc.mask, tc.width))
	}
	// Names.
	c := numCol(event.ColumnTypeEnum, 1, false)
	c.EnumValues = [][]byte{[]byte("a"), []byte("b'x"), []byte("c")}
	if n := c.EnumName(EnumValue(2, 1)); string(n) != "b'x" {
		t.Errorf("EnumName %q", n)
	}
	if n := c.EnumName(EnumValue(0, 1)); n != nil {
		t.Errorf("EnumName(0) %q", n)
	}
	if n := c.EnumName(EnumValue(4, 1)); n != nil {
		t.Errorf("EnumName(4) %q", n)
	}
	sql, _ := EnumValue(2, 1).AppendSQL(nil, c)
	if string(sql) != `'b''x'` {
		t.Errorf("ENUM SQL %s", sql)
	}
	sql, _ = EnumValue(2, 1).AppendSQL(nil, numCol(event.ColumnTypeEnum, 1, false))
	if string(sql) != "2" {
		t.Errorf("ENUM SQL without names %s", sql)
	}
	s := numCol(event.ColumnTypeSet, 3, false)
	for i := 1; i <= 18; i++ {
		s.SetValues = append(s.SetValues, []byte{'m', byte('0' + i/10), byte('0' + i%10)})
	}
	out, ok := AppendSetNames(nil, s, SetValue(0x020001, 3))
	if !ok || string(out) != "m01,m18" {
		t.Errorf("AppendSetNames %q %v", out, ok)
	}
	out, ok = AppendSetNames(nil, s, SetValue(0, 3))
	if !ok || string(out) != "" {
		t.Errorf("empty set %q %v", out, ok)
	}
	if _, ok := AppendSetNames(nil, s, SetValue(1<<20, 3)); ok {
		t.Error("a bit without a member")
	}
	sql, _ = SetValue(0x020001, 3).AppendSQL(nil, s)
	if string(sql) != "'m01,m18'" {
		t.Errorf("SET SQL %s", sql)
	}
	text, _ := SetValue(5, 3).AppendText(nil, numCol(event.ColumnTypeSet, 3, false))
	if string(text) != "5" {
		t.Errorf("SET text without names %s", text)
	}
	// Bad widths are corrupt metadata, never a panic.
	for _, meta := range []uint32{0, 3, 9} {
		if _, _, err := decodeNumeric(numCol(event.ColumnTypeEnum, meta, false), make([]byte, 10)); meta != 3 && err == nil {
			t.Errorf("ENUM of %d bytes decoded", meta)
		}
	}
	if _, _, err := decodeNumeric(numCol(event.ColumnTypeSet, 9, false), make([]byte, 10)); err == nil {
		t.Error("SET of 9 bytes decoded")
	}
}

func TestYearAndFloats(t *testing.T) {
	y := numCol(event.ColumnTypeYear, 0, false)
	roundTrip(t, y, []byte{0}, YearValue(0))
	roundTrip(t, y, []byte{169}, YearValue(2069))
	roundTrip(t, y, []byte{255}, YearValue(2155))
	text, _ := YearValue(0).AppendText(nil, y)
	if string(text) != "0000" {
		t.Errorf("YEAR 0 text %s", text)
	}
	f := numCol(event.ColumnTypeFloat, 4, false)
	d := numCol(event.ColumnTypeDouble, 8, false)
	roundTrip(t, f, []byte{0xff, 0xff, 0x7f, 0x7f}, Float32Value(math.MaxFloat32))
	roundTrip(t, d, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0x7f}, Float64Value(math.MaxFloat64))
	for _, tc := range []struct {
		v    Value
		text string
	}{
		{Float32Value(1234.567), "1234.57"},
		{Float32Value(math.MaxFloat32), "3.40282e38"},
		{Float32Value(0.001), "0.001"},
		{Float32Value(-1.17549435e-38), "-1.17549e-38"},
		{Float32Value(0.5), "0.5"},
		{Float64Value(0.1), "0.1"},
		{Float64Value(1e-7), "0.0000001"},
		{Float64Value(1e-14), "0.00000000000001"},
		{Float64Value(1e-15), "0.000000000000001"},
		{Float64Value(1.5e-16), "1.5e-16"},
		{Float64Value(1e14), "100000000000000"},
		{Float64Value(1e15), "1e15"},
		{Float64Value(123456789012345678), "1.2345678901234568e17"},
		{Float64Value(1234567890123456.7), "1234567890123456.8"},
		{Float64Value(math.MaxFloat64), "1.7976931348623157e308"},
		{Float64Value(12345678.9), "12345678.9"},
		{Float64Value(-0.5), "-0.5"},
		{Float64Value(0), "0"},
		{Float32Value(float32(math.NaN())), "NaN"}, // found by FuzzNumeric: never from a server, must not panic
		{Float64Value(math.Inf(-1)), "-Inf"},
	} {
		got, _ := tc.v.AppendText(nil, nil)
		if string(got) != tc.text {
			t.Errorf("%v text %s, want %s", tc.v.Float64(), got, tc.text)
		}
	}
}

// TestNumericProperty: random values of every numeric type survive
// encode→decode, and random bytes survive decode→encode.
func TestNumericProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cols := []*Column{
		numCol(event.ColumnTypeTiny, 0, false), numCol(event.ColumnTypeTiny, 0, true),
		numCol(event.ColumnTypeShort, 0, false), numCol(event.ColumnTypeShort, 0, true),
		numCol(event.ColumnTypeInt24, 0, false), numCol(event.ColumnTypeInt24, 0, true),
		numCol(event.ColumnTypeLong, 0, false), numCol(event.ColumnTypeLong, 0, true),
		numCol(event.ColumnTypeLongLong, 0, false), numCol(event.ColumnTypeLongLong, 0, true),
		numCol(event.ColumnTypeFloat, 4, false), numCol(event.ColumnTypeDouble, 8, false),
		numCol(event.ColumnTypeYear, 0, false),
		numCol(event.ColumnTypeEnum, 1, false), numCol(event.ColumnTypeEnum, 2, false),
	}
	for w := 1; w <= 8; w++ {
		cols = append(cols, numCol(event.ColumnTypeSet, uint32(w), false))
	}
	for bitsN := 1; bitsN <= 64; bitsN++ {
		cols = append(cols, numCol(event.ColumnTypeBit, uint32(bitsN/8)<<8|uint32(bitsN%8), false))
	}
	for _, c := range cols {
		n := numericLen(c)
		for i := 0; i < 200; i++ {
			b := make([]byte, n)
			for j := range b {
				b[j] = byte(r.Uint32())
			}
			switch c.Type {
			case event.ColumnTypeBit:
				w := bitWidth(c.Meta)
				if w%8 != 0 {
					b[0] &= 1<<(w%8) - 1
				}
			case event.ColumnTypeFloat, event.ColumnTypeDouble:
				// NaN payloads never reach a binlog; keep them out.
				if v, _, _ := decodeNumeric(c, b); math.IsNaN(v.Float64()) {
					continue
				}
			}
			v, m, err := decodeNumeric(c, b)
			if err != nil || m != n {
				t.Fatalf("%s % x: %v", c.Type.String(), b, err)
			}
			enc, err := appendNumeric(nil, c, v)
			if err != nil || !bytes.Equal(enc, b) {
				t.Fatalf("%s % x: re-encoded % x %v", c.Type.String(), b, enc, err)
			}
			v2, _, _ := decodeNumeric(c, enc)
			if !v2.Equal(v) {
				t.Fatalf("%s: %+v != %+v", c.Type.String(), v2, v)
			}
			// Text never fails for a decoded value.
			if _, err := v.AppendText(nil, c); err != nil {
				t.Fatal(err)
			}
			if _, err := v.AppendSQL(nil, c); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestNumericTruncated(t *testing.T) {
	for _, c := range []*Column{numCol(event.ColumnTypeLongLong, 0, false), numCol(event.ColumnTypeBit, 0x800, false),
		numCol(event.ColumnTypeSet, 8, false)} {
		_, _, err := decodeNumeric(c, []byte{1, 2, 3})
		if !errors.Is(err, ErrTruncated) || !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v", c.Type.String(), err)
		}
	}
}

// TestCFloatFastMatchesStrconv compares the 64- and 128-bit %.Ng paths with
// strconv on random doubles of every magnitude they take and on edge values.
func TestCFloatFastMatchesStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	vals := []float64{1, -1, 0.5, 1.5, 2.5, 0.1, 0.3, 1e19, 1.8446744073709552e19, 9.999999999999999e19, 123456789.125,
		1.0000000000000002, 0.9999999999999999, 3.141592653589793, 1e-5, 1.25e-4, 9.5, 99999999999999999999, 4503599627370497.5}
	vals = append(vals, 0.001, 1e-10, 2.5e-20, 0.0078125, 0.00390625, 1.0000000000000001e-7, math.Ldexp(1, -71), math.Ldexp(1<<53-1, -124),
		math.Ldexp(1<<52+1, -113), -math.Ldexp(3, -70))
	for i := 0; i < 400000; i++ {
		switch i % 4 {
		case 0:
			vals = append(vals, math.Float64frombits(rng.Uint64()))
		case 1:
			vals = append(vals, (rng.Float64()-0.5)*math.Pow(10, float64(rng.IntN(24)-6)))
		case 2:
			// Below 2^-7: the 128-bit fraction path, every fraction width.
			if i%8 == 2 {
				vals = append(vals, (rng.Float64()-0.5)*math.Pow(10, -float64(rng.IntN(20)+2)))
			} else {
				vals = append(vals, math.Ldexp(float64(1<<52|rng.Int64N(1<<52)), -(61+rng.IntN(64))))
			}
		default:
			vals = append(vals, float64(rng.Int64N(1<<53))/float64(int64(1)<<rng.IntN(60)))
		}
	}
	fast := 0
	for _, f := range vals {
		for _, prec := range []int{20, 17, 6, 1} {
			got, ok := appendCFloatFast(nil, f, prec)
			if !ok {
				continue
			}
			fast++
			if want := strconv.AppendFloat(nil, f, 'g', prec, 64); string(got) != string(want) {
				t.Fatalf("%.20g (bits %x) at %%.%dg: %s, want %s", f, math.Float64bits(f), prec, got, want)
			}
		}
	}
	if fast < len(vals) {
		t.Fatalf("only %d fast conversions", fast)
	}
}

// TestSlowFloatCache: doubles outside appendCFloat's fast path print as
// strconv prints them, from the cache too, while goroutines printing many
// different ones overwrite each other's slots; a value the cache holds is
// printed without allocating.
func TestSlowFloatCache(t *testing.T) {
	vals := []float64{math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 2.2250738585072014e-308,
		-2.2250738585072014e-308, 1e300, 3.4028234663852886e38, -1.1754943508222875e-38, 1 << 64, 1e-40}
	rng := rand.New(rand.NewPCG(1, 2))
	for len(vals) < 400 {
		// Magnitudes the fast path leaves to strconv.
		e := 64 + rng.IntN(960)
		if rng.IntN(2) == 0 {
			e = -125 - rng.IntN(900)
		}
		vals = append(vals, math.Ldexp(1+rng.Float64(), e))
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var buf []byte
			for round := 0; round < 20; round++ {
				for i := range vals {
					f := vals[(i*(g+1)+round)%len(vals)]
					for _, prec := range []int{20, 17, 6} {
						buf = appendCFloat(buf[:0], f, prec)
						if want := strconv.AppendFloat(nil, f, 'g', prec, 64); string(buf) != string(want) {
							t.Errorf("%%.%dg of %b: %s, want %s", prec, math.Float64bits(f), buf, want)
							return
						}
					}
				}
			}
		}(g)
	}
	wg.Wait()
	buf := make([]byte, 0, 64)
	appendCFloat(buf, math.MaxFloat64, 20)
	if n := testing.AllocsPerRun(100, func() { buf = appendCFloat(buf[:0], math.MaxFloat64, 20) }); n != 0 {
		t.Errorf("%v allocations per cached value", n)
	}
}
