package rowcodec

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"sync/atomic"

	"github.com/binlogkit/binlogkit/event"
)

// Packing of the numeric kinds (see the layout in value.go):
//   - KindInt: num = the int64's bits; KindUint: num. aux and flag are 0.
//     An integer column decodes as KindUint only when the table map logged
//     its signedness as UNSIGNED; when signedness was not logged
//     (binlog_row_metadata=MINIMAL, MariaDB before 10.5) it decodes as
//     KindInt, sign-extended from its width — reinterpret with Uint64 and
//     the column width if the schema says UNSIGNED.
//   - KindFloat32/KindFloat64: num = IEEE bits.
//   - KindYear: num = the year, 0 for the zero year (the wire byte 0) else
//     1900 + byte.
//   - KindBit: num = the bits, aux = the width in bits (1–64).
//   - KindEnum: num = the 1-based member index (0: the empty "invalid"
//     value), aux = the byte width (1 or 2).
//   - KindSet: num = the member bit mask (bit 0 = first member), aux = the
//     byte width (1–8).

// intWidth returns the byte width of an integer type, 0 for others.
func intWidth(typ event.ColumnType) int {
	switch typ {
	case event.ColumnTypeTiny:
		return 1
	case event.ColumnTypeShort:
		return 2
	case event.ColumnTypeInt24:
		return 3
	case event.ColumnTypeLong:
		return 4
	case event.ColumnTypeLongLong:
		return 8
	}
	return 0
}

// bitWidth returns a BIT column's width in bits from its metadata
// (bytes<<8 | bits).
func bitWidth(meta uint32) int { return int(meta>>8&0xff)*8 + int(meta&0xff) }

// leUint reads a little-endian unsigned integer of len(b) ≤ 8 bytes.
func leUint(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// beUint reads a big-endian unsigned integer of len(b) ≤ 8 bytes.
func beUint(b []byte) uint64 {
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v
}

func appendLE(dst []byte, v uint64, n int) []byte {
	for i := 0; i < n; i++ {
		dst = append(dst, byte(v>>(8*i)))
	}
	return dst
}

func appendBE(dst []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, byte(v>>(8*i)))
	}
	return dst
}

// numericLen returns the wire length of a numeric-family value of c, or -1
// when c is not of that family.
func numericLen(c *Column) int {
	if w := intWidth(c.Type); w > 0 {
		return w
	}
	switch c.Type {
	case event.ColumnTypeFloat:
		return 4
	case event.ColumnTypeDouble:
		return 8
	case event.ColumnTypeYear:
		return 1
	case event.ColumnTypeBit:
		return (bitWidth(c.Meta) + 7) / 8
	case event.ColumnTypeEnum, event.ColumnTypeSet:
		return int(c.Meta)
	}
	return -1
}

// decodeNumeric decodes an integer, FLOAT, DOUBLE, YEAR, BIT, ENUM or SET
// value at the start of b.
func decodeNumeric(c *Column, b []byte) (Value, int, error) {
	n := numericLen(c)
	switch {
	case n < 0:
		return Value{}, 0, unsupportedf("type %d is not numeric", c.Type)
	case c.Type == event.ColumnTypeEnum && n != 1 && n != 2:
		return Value{}, 0, corruptf("ENUM of %d bytes", n)
	case c.Type == event.ColumnTypeSet && (n < 1 || n > 8):
		return Value{}, 0, corruptf("SET of %d bytes", n)
	case c.Type == event.ColumnTypeBit && bitWidth(c.Meta) > 64:
		return Value{}, 0, corruptf("BIT(%d)", bitWidth(c.Meta))
	case n > len(b):
		return Value{}, 0, truncated(c.Type.String(), n, len(b))
	}
	b = b[:n]
	switch c.Type {
	case event.ColumnTypeFloat:
		return Value{kind: KindFloat32, num: leUint(b)}, n, nil
	case event.ColumnTypeDouble:
		return Value{kind: KindFloat64, num: leUint(b)}, n, nil
	case event.ColumnTypeYear:
		y := uint64(b[0])
		if y != 0 {
			y += 1900
		}
		return Value{kind: KindYear, num: y}, n, nil
	case event.ColumnTypeBit:
		w := bitWidth(c.Meta)
		u := beUint(b)
		if w < 64 && u>>uint(w) != 0 {
			return Value{}, 0, corruptf("BIT(%d) value %#x has bits above its width", w, u)
		}
		return Value{kind: KindBit, aux: uint32(w), num: u}, n, nil
	case event.ColumnTypeEnum:
		return Value{kind: KindEnum, aux: uint32(n), num: leUint(b)}, n, nil
	case event.ColumnTypeSet:
		return Value{kind: KindSet, aux: uint32(n), num: leUint(b)}, n, nil
	}
	u := leUint(b)
	if c.HasSign && c.Unsigned {
		return Value{kind: KindUint, num: u}, n, nil
	}
	shift := uint(64 - 8*n)
	return Value{kind: KindInt, num: uint64(int64(u<<shift) >> shift)}, n, nil
}

// appendNumeric appends the wire form of v for column c.
func appendNumeric(dst []byte, c *Column, v Value) ([]byte, error) {
	n := numericLen(c)
	if n < 0 {
		return dst, unsupportedf("type %d is not numeric", c.Type)
	}
	switch c.Type {
	case event.ColumnTypeFloat:
		switch v.kind {
		case KindFloat32:
			return appendLE(dst, v.num, 4), nil
		case KindFloat64:
			f := math.Float64frombits(v.num)
			f32 := float32(f)
			if float64(f32) != f && !math.IsNaN(f) {
				return dst, corruptf("DOUBLE %v does not fit FLOAT exactly", f)
			}
			return appendLE(dst, uint64(math.Float32bits(f32)), 4), nil
		}
	case event.ColumnTypeDouble:
		switch v.kind {
		case KindFloat64:
			return appendLE(dst, v.num, 8), nil
		case KindFloat32:
			return appendLE(dst, math.Float64bits(v.Float64()), 8), nil
		}
	case event.ColumnTypeYear:
		if v.kind == KindYear || v.kind == KindUint || v.kind == KindInt {
			y := v.num
			switch {
			case y == 0:
				return append(dst, 0), nil
			case y > 1900 && y <= 1900+255:
				return append(dst, byte(y-1900)), nil
			}
			return dst, corruptf("YEAR %d out of range", int64(y))
		}
	case event.ColumnTypeBit:
		w := bitWidth(c.Meta)
		if v.kind == KindBit || v.kind == KindUint {
			if w < 64 && v.num>>uint(w) != 0 {
				return dst, corruptf("value %#x does not fit BIT(%d)", v.num, w)
			}
			return appendBE(dst, v.num, n), nil
		}
	case event.ColumnTypeEnum:
		if v.kind == KindEnum || v.kind == KindUint {
			if n != 1 && n != 2 || v.num>>(8*uint(n)) != 0 {
				return dst, corruptf("ENUM index %d does not fit %d bytes", v.num, n)
			}
			return appendLE(dst, v.num, n), nil
		}
	case event.ColumnTypeSet:
		if v.kind == KindSet || v.kind == KindUint {
			if n < 1 || n > 8 || n < 8 && v.num>>(8*uint(n)) != 0 {
				return dst, corruptf("SET mask %#x does not fit %d bytes", v.num, n)
			}
			return appendLE(dst, v.num, n), nil
		}
	default:
		switch v.kind {
		case KindInt:
			i := int64(v.num)
			if n < 8 {
				lo, hi := -int64(1)<<(8*n-1), int64(1)<<(8*n)-1
				if i < lo || i > hi {
					return dst, corruptf("%d does not fit %s", i, c.Type.String())
				}
			}
			return appendLE(dst, v.num, n), nil
		case KindUint:
			if n < 8 && v.num>>(8*uint(n)) != 0 {
				return dst, corruptf("%d does not fit %s", v.num, c.Type.String())
			}
			return appendLE(dst, v.num, n), nil
		}
	}
	return dst, corruptf("a %v value for a %s column", v.kind, c.Type.String())
}

// EnumValue returns an ENUM value: the 1-based member index (0 for the
// empty "invalid" value) and the column's byte width (1 or 2).
func EnumValue(index uint16, width int) Value {
	return Value{kind: KindEnum, aux: uint32(width), num: uint64(index)}
}

// SetValue returns a SET value: the member bit mask (bit 0 = first member)
// and the column's byte width (1–8).
func SetValue(mask uint64, width int) Value {
	return Value{kind: KindSet, aux: uint32(width), num: mask}
}

// BitValue returns a BIT(width) value.
func BitValue(bits uint64, width int) Value {
	return Value{kind: KindBit, aux: uint32(width), num: bits}
}

// YearValue returns a YEAR value (0 for the zero year, else 1901–2155);
// read it back with Uint64.
func YearValue(year uint16) Value { return Value{kind: KindYear, num: uint64(year)} }

// EnumIndex returns an ENUM value's 1-based member index (0: the empty
// "invalid" value).
func (v Value) EnumIndex() int { return int(v.num) }

// SetBits returns a SET value's member mask: bit i set for member i+1.
func (v Value) SetBits() uint64 { return v.num }

// Bits returns a BIT value's bits and width.
func (v Value) Bits() (bits uint64, width int) { return v.num, int(v.aux) }

// Float32 returns a FLOAT value.
func (v Value) Float32() float32 {
	if v.kind == KindFloat64 {
		return float32(math.Float64frombits(v.num))
	}
	return math.Float32frombits(uint32(v.num))
}

// EnumName returns the member name of an ENUM value from the column's
// ENUM_STR_VALUE metadata, or nil when the names were not logged or the
// index is 0 or out of range. It aliases c.
func (c *Column) EnumName(v Value) []byte {
	i := int(v.num)
	if v.kind != KindEnum || i < 1 || i > len(c.EnumValues) {
		return nil
	}
	return c.EnumValues[i-1]
}

// AppendSetNames appends the member names of a SET value separated by
// commas, as MySQL prints a SET ("a,c"; "" for the empty set). ok is false
// (and nothing is appended) when the names were not logged or a bit has no
// member.
func AppendSetNames(dst []byte, c *Column, v Value) (out []byte, ok bool) {
	if v.kind != KindSet || c.SetValues == nil {
		return dst, false
	}
	m := v.num
	if bits.Len64(m) > len(c.SetValues) {
		return dst, false
	}
	first := true
	for m != 0 {
		i := bits.TrailingZeros64(m)
		m &^= 1 << uint(i)
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, c.SetValues[i]...)
	}
	return dst, true
}

// maxDecptForF is the decimal-point position beyond which MySQL prints an
// integral float in exponent form (DBL_DIG): 1e14 prints as
// 100000000000000, 1e15 as 1e15.
const maxDecptForF = 15

// appendFloatText appends a FLOAT (bitSize 32) or DOUBLE (64) as MySQL
// prints it in query results: a DOUBLE with the shortest digits that read
// back to the same value, a FLOAT rounded to 6 significant digits (FLT_DIG,
// so 1234.567 prints as 1234.57 and the largest FLOAT as 3.40282e38); plain
// decimal notation unless the value is integral with more than 15 digits
// before the point or more than 14 zeros would follow the point, then
// N.NNNeX with a bare exponent ("1e15", "1.5e-16",
// "1.7976931348623157e308"), as MySQL's my_gcvt does.
func appendFloatText(dst []byte, f float64, bitSize int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		// Servers never store these; print them as Go does.
		return strconv.AppendFloat(dst, f, 'g', -1, bitSize)
	}
	if f == 0 {
		if math.Signbit(f) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	var buf [32]byte
	var e []byte
	if bitSize == 32 {
		e = strconv.AppendFloat(buf[:0], f, 'e', 5, 64)
	} else {
		e = strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	}
	// e is "d.ddde±XX": collect the digits and the exponent.
	ei := 0
	for e[ei] != 'e' {
		ei++
	}
	exp, _ := strconv.Atoi(string(e[ei+1:]))
	var dig [24]byte
	nd := 0
	for _, c := range e[:ei] {
		if c != '.' {
			dig[nd] = c
			nd++
		}
	}
	for nd > 1 && dig[nd-1] == '0' {
		nd--
	}
	digits := dig[:nd]
	decpt := exp + 1
	if decpt >= -maxDecptForF+1 && (decpt <= maxDecptForF || nd > decpt) {
		switch {
		case decpt <= 0:
			dst = append(dst, '0', '.')
			for i := decpt; i < 0; i++ {
				dst = append(dst, '0')
			}
			return append(dst, digits...)
		case decpt < nd:
			dst = append(dst, digits[:decpt]...)
			dst = append(dst, '.')
			return append(dst, digits[decpt:]...)
		default:
			dst = append(dst, digits...)
			for i := nd; i < decpt; i++ {
				dst = append(dst, '0')
			}
			return dst
		}
	}
	dst = append(dst, digits[0])
	if nd > 1 {
		dst = append(dst, '.')
		dst = append(dst, digits[1:]...)
	}
	dst = append(dst, 'e')
	return strconv.AppendInt(dst, int64(decpt-1), 10)
}

// appendNumericText appends the MySQL text form of a numeric-family value.
func appendNumericText(dst []byte, c *Column, v Value) []byte {
	switch v.kind {
	case KindInt:
		return strconv.AppendInt(dst, int64(v.num), 10)
	case KindUint, KindEnum:
		return strconv.AppendUint(dst, v.num, 10)
	case KindFloat32:
		return appendFloatText(dst, v.Float64(), 32)
	case KindFloat64:
		return appendFloatText(dst, v.Float64(), 64)
	case KindYear:
		if v.num == 0 {
			return append(dst, "0000"...)
		}
		return strconv.AppendUint(dst, v.num, 10)
	case KindSet:
		if c != nil {
			if out, ok := AppendSetNames(dst, c, v); ok {
				return out
			}
		}
		return strconv.AppendUint(dst, v.num, 10)
	case KindBit:
		return appendBitString(dst, v.num, int(v.aux))
	}
	return dst
}

// appendBitString appends the width low bits of u as '0'/'1' digits.
func appendBitString(dst []byte, u uint64, width int) []byte {
	for i := width - 1; i >= 0; i-- {
		dst = append(dst, '0'+byte(u>>uint(i)&1))
	}
	return dst
}

// appendCFloat appends f as C's printf("%.*g", prec, f) does: prec
// significant digits, trailing zeros dropped, an exponent of at least two
// digits when it is below -4 or at least prec. Go's 'g' format follows the
// same rule.
func appendCFloat(dst []byte, f float64, prec int) []byte {
	if out, ok := appendCFloatFast(dst, f, prec); ok {
		return out
	}
	b := math.Float64bits(f)
	if out, ok := slowFloats.get(dst, b, prec); ok {
		return out
	}
	n := len(dst)
	dst = strconv.AppendFloat(dst, f, 'g', prec, 64)
	slowFloats.put(b, prec, dst[n:])
	return dst
}

// slowFloats remembers the text of the doubles appendCFloat last printed
// through strconv's arbitrary-precision path (magnitudes from 2^64 up and
// below 2^-124, a few microseconds each): binlogs repeat such values (a
// column's DBL_MAX sentinel, a table's limits), and a benchmark of
// mysqlbinlog-style output spent 12% of its time printing the same four.
var slowFloats floatCache

// floatCache is a small direct-mapped cache of printed doubles that
// goroutines printing rows in parallel share without locks or
// allocations: each slot is a sequence lock over atomic words.
type floatCache [16]floatSlot

type floatSlot struct {
	seq  atomic.Uint64 // odd while a writer fills the slot
	bits atomic.Uint64
	meta atomic.Uint64 // prec<<8 | text length; 0: empty
	text [4]atomic.Uint64
}

func (c *floatCache) slot(b uint64, prec int) *floatSlot {
	return &c[(b^uint64(prec))*0x9E3779B97F4A7C15>>60]
}

// get appends the text of (b, prec) when the cache holds it.
func (c *floatCache) get(dst []byte, b uint64, prec int) ([]byte, bool) {
	s := c.slot(b, prec)
	v := s.seq.Load()
	if v&1 != 0 || s.bits.Load() != b {
		return dst, false
	}
	m := s.meta.Load()
	if m == 0 || int(m>>8) != prec {
		return dst, false
	}
	var buf [32]byte
	for i := range s.text {
		binary.LittleEndian.PutUint64(buf[8*i:], s.text[i].Load())
	}
	if s.seq.Load() != v {
		return dst, false
	}
	return append(dst, buf[:m&0xff]...), true
}

// put stores text as the text of (b, prec), unless another goroutine is
// writing the slot or the text is longer than a slot holds.
func (c *floatCache) put(b uint64, prec int, text []byte) {
	if len(text) > 32 || prec <= 0 || prec > 1<<20 {
		return
	}
	s := c.slot(b, prec)
	v := s.seq.Load()
	if v&1 != 0 || !s.seq.CompareAndSwap(v, v+1) {
		return
	}
	var buf [32]byte
	copy(buf[:], text)
	s.bits.Store(b)
	s.meta.Store(uint64(prec)<<8 | uint64(len(text)))
	for i := range s.text {
		s.text[i].Store(binary.LittleEndian.Uint64(buf[8*i:]))
	}
	s.seq.Store(v + 2)
}

// appendCFloatFast is appendCFloat for the doubles whose exact decimal
// expansion can be generated with 64-bit arithmetic (an integer part below
// 2^64 and at most 60 bits after the binary point: most values of real
// columns), so that %.20g does not go through strconv's arbitrary-precision
// path. ok is false for the others.
func appendCFloatFast(dst []byte, f float64, prec int) ([]byte, bool) {
	if prec < 1 || prec > 20 || f == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, false
	}
	bits := math.Float64bits(f)
	exp := int(bits>>52&0x7ff) - 1075
	mant := bits & (1<<52 - 1)
	if bits>>52&0x7ff == 0 {
		exp++ // subnormal
	} else {
		mant |= 1 << 52
	}
	var ip, frac uint64
	fbits := 0
	switch {
	case exp >= 0:
		if exp > 11 {
			return dst, false
		}
		ip = mant << uint(exp)
	case -exp <= 60:
		fbits = -exp
		ip = mant >> uint(fbits)
		frac = mant & (1<<uint(fbits) - 1)
	case -exp <= 124:
		// Below 2^-7: no integer part, and a fraction of up to 124 bits,
		// multiplied by 10 in 128 bits.
		return appendCFloatFrac128(dst, f < 0, mant, -exp, prec), true
	default:
		return dst, false
	}
	// The significant digits: those of ip, then of frac, one by one.
	var digits [24]byte
	n := 0
	point := 0 // decimal exponent: the value is 0.d1d2… × 10^point
	if ip > 0 {
		var tmp [20]byte
		d := strconv.AppendUint(tmp[:0], ip, 10)
		point = len(d)
		if len(d) > prec+1 {
			// More integer digits than wanted: the extra ones (and the
			// fraction) decide the rounding.
			n = copy(digits[:], d[:prec+1])
			sticky := frac != 0
			for _, c := range d[prec+1:] {
				if c != '0' {
					sticky = true
				}
			}
			return appendCFloatDigits(dst, f < 0, digits[:n], point, prec, sticky), true
		}
		n = copy(digits[:], d)
	}
	mask := uint64(1)<<uint(fbits) - 1
	for n < prec+1 && frac != 0 {
		frac *= 10
		d := byte(frac >> uint(fbits))
		frac &= mask
		if n == 0 && d == 0 {
			point--
			continue
		}
		digits[n] = '0' + d
		n++
	}
	return appendCFloatDigits(dst, f < 0, digits[:n], point, prec, frac != 0), true
}

// appendCFloatFrac128 is appendCFloatFast for mant×2^-fbits with 60 < fbits
// <= 124 (mant < 2^53, so no integer part): the fraction is held in 128
// bits, where multiplying it by 10 cannot overflow.
func appendCFloatFrac128(dst []byte, neg bool, mant uint64, fbits, prec int) []byte {
	var digits [24]byte
	n, point := 0, 0
	hi, lo := uint64(0), mant // the fraction, hi:lo < 2^fbits
	for n < prec+1 && hi|lo != 0 {
		// hi:lo *= 10
		carry, l := bits.Mul64(lo, 10)
		hi, lo = hi*10+carry, l
		// The digit is the bits from fbits up; they are cleared.
		var d uint64
		if fbits >= 64 {
			d = hi >> uint(fbits-64)
			hi &= 1<<uint(fbits-64) - 1
		} else {
			d = hi<<uint(64-fbits) | lo>>uint(fbits)
			hi, lo = 0, lo&(1<<uint(fbits)-1)
		}
		if n == 0 && d == 0 {
			point--
			continue
		}
		digits[n] = '0' + byte(d)
		n++
	}
	return appendCFloatDigits(dst, neg, digits[:n], point, prec, hi|lo != 0)
}

// appendCFloatDigits rounds the significant digits (prec+1 of them at most,
// the last one and sticky deciding) to prec, to nearest with ties to even,
// and writes them as %g does.
func appendCFloatDigits(dst []byte, neg bool, d []byte, point, prec int, sticky bool) []byte {
	if len(d) > prec {
		next := d[prec]
		d = d[:prec]
		if next > '5' || next == '5' && (sticky || (d[prec-1]-'0')%2 == 1) {
			i := prec - 1
			for ; i >= 0; i-- {
				if d[i] != '9' {
					d[i]++
					break
				}
				d[i] = '0'
			}
			if i < 0 {
				// 99…9 rounded up to 100…0.
				copy(d[1:], d[:len(d)-1])
				d[0] = '1'
				point++
			}
		}
	}
	for len(d) > 1 && d[len(d)-1] == '0' {
		d = d[:len(d)-1]
	}
	if neg {
		dst = append(dst, '-')
	}
	x := point - 1 // the exponent in d.ddd×10^x
	if x < -4 || x >= prec {
		dst = append(dst, d[0])
		if len(d) > 1 {
			dst = append(dst, '.')
			dst = append(dst, d[1:]...)
		}
		dst = append(dst, 'e')
		if x < 0 {
			dst = append(dst, '-')
			x = -x
		} else {
			dst = append(dst, '+')
		}
		if x < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(x), 10)
	}
	if point <= 0 {
		dst = append(dst, '0', '.')
		for i := point; i < 0; i++ {
			dst = append(dst, '0')
		}
		return append(dst, d...)
	}
	if len(d) <= point {
		dst = append(dst, d...)
		for i := len(d); i < point; i++ {
			dst = append(dst, '0')
		}
		return dst
	}
	dst = append(dst, d[:point]...)
	dst = append(dst, '.')
	return append(dst, d[point:]...)
}
