package rowcodec

import (
	"fmt"
	"math/big"
	"strconv"
)

// DECIMAL values.
//
// NEWDECIMAL (type 246) is logged in MySQL's binary decimal format. The
// column metadata is precision<<8|scale (event.TableMap.ColumnMeta reads the
// precision byte first). The integer part (precision-scale digits) and the
// fraction (scale digits) are each cut into groups of 9 decimal digits, the
// integer part from the right and the fraction from the left; a full group is
// 4 bytes big-endian, a leftover group of 1–8 digits takes 1–4 bytes
// (decDig2Bytes). The leftover integer group comes first, the leftover
// fraction group last. The first bit of the whole is flipped (set for
// non-negative numbers); a negative number has every byte inverted as well.
//
// Packing: Value{kind: KindDecimal, aux: precision<<8|scale, b: the binary
// bytes as logged} (a view into the row image). The digits are never put
// through a float; text is produced from the bytes group by group.
//
// The pre-5.0 DECIMAL (type 0, "old decimal", still logged by MariaDB 10.1 for
// tables created before 5.0) is stored as the field's characters: the number
// right-aligned in the field's length, padded on the left with spaces (or
// zeros for ZEROFILL), a '-' before the digits of a negative number. Its
// Value has flag decFlagText, aux 0 and b the characters as logged. The table
// map carries no metadata for type 0 (servers give it none), so the length
// of the value is not in the binlog: a caller that knows the column
// definition sets Column.Meta to the field length (DECIMAL(M,D): M, plus 1
// when D > 0, plus 1 when signed); with Meta 0 decoding reports
// ErrUnsupported.

// decFlagText marks a KindDecimal value holding the characters of an old
// DECIMAL (type 0) rather than the binary NEWDECIMAL form.
const decFlagText = 1

// decMaxPrecision is the largest DECIMAL precision of MySQL and MariaDB.
const decMaxPrecision = 65

// decDig2Bytes is the number of bytes a group of n (0–9) digits takes.
var decDig2Bytes = [10]int{0, 1, 1, 2, 2, 3, 3, 4, 4, 4}

var decPow10 = [10]uint32{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000}

// decBinSize returns the size of the binary form of DECIMAL(p,s).
func decBinSize(p, s int) int {
	intg, frac := p-s, s
	return intg/9*4 + decDig2Bytes[intg%9] + frac/9*4 + decDig2Bytes[frac%9]
}

func decCheckSpec(p, s int) error {
	if p < 1 || p > decMaxPrecision || s < 0 || s > p {
		return corruptf("DECIMAL(%d,%d): precision must be 1–%d and scale 0–precision", p, s, decMaxPrecision)
	}
	return nil
}

// decGroup reads the n-byte group at b[i:], undoing the sign flip of the first
// byte and, for negative numbers (mask 0xff), the inversion.
func decGroup(b []byte, i, n int, mask byte) uint32 {
	var x uint32
	for k := i; k < i+n; k++ {
		c := b[k] ^ mask
		if k == 0 {
			c ^= 0x80
		}
		x = x<<8 | uint32(c)
	}
	return x
}

// decCheck verifies that every group of the binary DECIMAL(p,s) bin holds no
// more digits than it has room for; len(bin) must be decBinSize(p, s).
func decCheck(bin []byte, p, s int) error {
	mask := decMask(bin)
	intg, frac := p-s, s
	pos := 0
	check := func(digits int) bool {
		n := decDig2Bytes[digits]
		x := decGroup(bin, pos, n, mask)
		pos += n
		return digits == 9 && x <= 999999999 || digits < 9 && x < decPow10[digits]
	}
	if intg%9 > 0 && !check(intg%9) {
		return corruptf("DECIMAL(%d,%d): leading integer group out of range", p, s)
	}
	for i := 0; i < intg/9+frac/9; i++ {
		if !check(9) {
			return corruptf("DECIMAL(%d,%d): digit group %d out of range", p, s, i)
		}
	}
	if frac%9 > 0 && !check(frac%9) {
		return corruptf("DECIMAL(%d,%d): trailing fraction group out of range", p, s)
	}
	return nil
}

// decMask returns 0xff for a negative binary decimal (sign bit clear), else 0.
func decMask(bin []byte) byte {
	if len(bin) > 0 && bin[0]&0x80 == 0 {
		return 0xff
	}
	return 0
}

// decodeDecimal decodes a NEWDECIMAL (or, for c.Type 0, an old pre-5.0
// DECIMAL) value at the start of b, returning it and the bytes it used.
func decodeDecimal(c *Column, b []byte) (Value, int, error) {
	if c.Type == 0 {
		return decodeOldDecimal(c, b)
	}
	p, s := int(c.Meta>>8&0xff), int(c.Meta&0xff)
	if err := decCheckSpec(p, s); err != nil {
		return Value{}, 0, err
	}
	n := decBinSize(p, s)
	if len(b) < n {
		return Value{}, 0, truncated("DECIMAL value", n, len(b))
	}
	bin := b[:n:n]
	if err := decCheck(bin, p, s); err != nil {
		return Value{}, 0, err
	}
	return Value{kind: KindDecimal, aux: uint32(p<<8 | s), b: bin}, n, nil
}

func decodeOldDecimal(c *Column, b []byte) (Value, int, error) {
	n := int(c.Meta)
	if n == 0 {
		return Value{}, 0, unsupportedf("old DECIMAL (type 0): the table map logs no length; set Column.Meta to the field length")
	}
	if len(b) < n {
		return Value{}, 0, truncated("old DECIMAL value", n, len(b))
	}
	v := b[:n:n]
	if err := decCheckOld(v); err != nil {
		return Value{}, 0, err
	}
	return Value{kind: KindDecimal, flag: decFlagText, b: v}, n, nil
}

// decCheckOld accepts the characters an old DECIMAL field can hold.
func decCheckOld(v []byte) error {
	for _, c := range v {
		if !(c >= '0' && c <= '9' || c == ' ' || c == '-' || c == '+' || c == '.') {
			return corruptf("old DECIMAL: byte %#02x is not a digit, sign, point or space", c)
		}
	}
	return nil
}

// appendDecimal appends the binary form of v for column c. A value of
// another precision or scale, or of the other DECIMAL form (old text ↔
// binary), is re-encoded from its digits when they fit the column exactly;
// otherwise it is an error.
func appendDecimal(dst []byte, c *Column, v Value) ([]byte, error) {
	if v.kind != KindDecimal {
		return dst, fmt.Errorf("rowcodec: %v value for a DECIMAL column", v.kind)
	}
	if c.Type == 0 {
		if v.flag&decFlagText == 0 {
			// A NEWDECIMAL value: its digits, right-aligned in the field.
			if c.Meta == 0 {
				return dst, fmt.Errorf("rowcodec: old DECIMAL column of unknown length (Column.Meta 0)")
			}
			var buf [96]byte
			text := appendDecimalText(buf[:0], v)
			if len(text) == 0 || len(text) > int(c.Meta) {
				return dst, fmt.Errorf("rowcodec: DECIMAL value %q does not fit an old DECIMAL field of %d bytes", text, c.Meta)
			}
			for i := len(text); i < int(c.Meta); i++ {
				dst = append(dst, ' ')
			}
			return append(dst, text...), nil
		}
		if c.Meta != 0 && int(c.Meta) != len(v.b) {
			return dst, fmt.Errorf("rowcodec: old DECIMAL value of %d bytes for a field of %d", len(v.b), c.Meta)
		}
		if err := decCheckOld(v.b); err != nil {
			return dst, err
		}
		return append(dst, v.b...), nil
	}
	p, s := int(c.Meta>>8&0xff), int(c.Meta&0xff)
	if err := decCheckSpec(p, s); err != nil {
		return dst, err
	}
	if v.flag&decFlagText == 0 && v.aux == c.Meta&0xffff && len(v.b) == decBinSize(p, s) {
		if err := decCheck(v.b, p, s); err != nil {
			return dst, err
		}
		return append(dst, v.b...), nil
	}
	// Another precision or scale, or the old text form: re-encode the digits.
	var buf [96]byte
	var text []byte
	if v.flag&decFlagText != 0 {
		text = decTrimSpaces(v.b)
	} else {
		vp, vs := int(v.aux>>8&0xff), int(v.aux&0xff)
		if decCheckSpec(vp, vs) != nil || len(v.b) != decBinSize(vp, vs) || decCheck(v.b, vp, vs) != nil {
			return dst, corruptf("DECIMAL value with inconsistent precision, scale or bytes")
		}
		text = appendDecimalText(buf[:0], v)
	}
	return appendDecimalFromText(dst, text, p, s)
}

func decTrimSpaces(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	return b
}

// appendDecimalFromText appends the binary DECIMAL(p,s) form of the decimal
// number text ([+-]digits[.digits]). The value must fit exactly: no more than
// p-s integer digits (after leading zeros) and no non-zero digit past the
// scale. Negative zero is written as zero, as the server does.
func appendDecimalFromText(dst, text []byte, p, s int) ([]byte, error) {
	t := text
	neg := false
	if len(t) > 0 && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	id, fd := t[:i], t[i:]
	if len(fd) > 0 {
		if fd[0] != '.' {
			return dst, fmt.Errorf("rowcodec: %q is not a decimal number", text)
		}
		fd = fd[1:]
		for _, c := range fd {
			if c < '0' || c > '9' {
				return dst, fmt.Errorf("rowcodec: %q is not a decimal number", text)
			}
		}
	}
	if len(id) == 0 && len(fd) == 0 {
		return dst, fmt.Errorf("rowcodec: %q is not a decimal number", text)
	}
	for len(id) > 0 && id[0] == '0' {
		id = id[1:]
	}
	intg := p - s
	if len(id) > intg {
		return dst, fmt.Errorf("rowcodec: %q does not fit DECIMAL(%d,%d)", text, p, s)
	}
	if len(fd) > s {
		for _, c := range fd[s:] {
			if c != '0' {
				return dst, fmt.Errorf("rowcodec: %q has more than %d decimals", text, s)
			}
		}
		fd = fd[:s]
	}
	zero := len(id) == 0
	for _, c := range fd {
		if c != '0' {
			zero = false
		}
	}
	var mask byte
	if neg && !zero {
		mask = 0xff
	}
	start := len(dst)
	// digit returns the j-th digit of the integer part padded to intg digits.
	intDigit := func(j int) uint32 {
		if k := j - (intg - len(id)); k >= 0 {
			return uint32(id[k] - '0')
		}
		return 0
	}
	fracDigit := func(j int) uint32 {
		if j < len(fd) {
			return uint32(fd[j] - '0')
		}
		return 0
	}
	put := func(x uint32, digits int) {
		n := decDig2Bytes[digits]
		for k := n - 1; k >= 0; k-- {
			dst = append(dst, byte(x>>(8*k))^mask)
		}
	}
	j := 0
	if lead := intg % 9; lead > 0 {
		var x uint32
		for ; j < lead; j++ {
			x = x*10 + intDigit(j)
		}
		put(x, lead)
	}
	for j < intg {
		var x uint32
		for e := j + 9; j < e; j++ {
			x = x*10 + intDigit(j)
		}
		put(x, 9)
	}
	for j = 0; j+9 <= s; {
		var x uint32
		for e := j + 9; j < e; j++ {
			x = x*10 + fracDigit(j)
		}
		put(x, 9)
	}
	if tail := s % 9; tail > 0 {
		var x uint32
		for ; j < s; j++ {
			x = x*10 + fracDigit(j)
		}
		put(x, tail)
	}
	dst[start] ^= 0x80
	return dst, nil
}

// appendDecimalText appends v as MySQL prints it (exact digits, the column's scale).
//
// The integer part has no leading zeros ("0" when it is zero: `0.1`, never
// `.1`); the fraction has exactly scale digits (`9.00`); scale 0 prints no
// point. A negative zero in the binary form (which servers do not write)
// prints as MySQL's decoder does: `-0.00` with a scale, `0` without. An old
// DECIMAL prints its characters without the left padding. Nothing is
// appended for other kinds.
func appendDecimalText(dst []byte, v Value) []byte {
	if v.kind != KindDecimal {
		return dst
	}
	if v.flag&decFlagText != 0 {
		return append(dst, decTrimSpaces(v.b)...)
	}
	p, s := int(v.aux>>8&0xff), int(v.aux&0xff)
	b := v.b
	if decCheckSpec(p, s) != nil || len(b) != decBinSize(p, s) {
		return dst
	}
	mask := decMask(b)
	intg := p - s
	start := len(dst)
	if mask != 0 {
		dst = append(dst, '-')
	}
	pos := 0
	started := false
	if lead := intg % 9; lead > 0 {
		n := decDig2Bytes[lead]
		if x := decGroup(b, pos, n, mask); x != 0 {
			dst = strconv.AppendUint(dst, uint64(x), 10)
			started = true
		}
		pos += n
	}
	for i := 0; i < intg/9; i++ {
		x := decGroup(b, pos, 4, mask)
		pos += 4
		if started {
			dst = decAppendPadded(dst, x, 9)
		} else if x != 0 {
			dst = strconv.AppendUint(dst, uint64(x), 10)
			started = true
		}
	}
	if s == 0 {
		if !started {
			dst = append(dst[:start], '0')
		}
		return dst
	}
	if !started {
		dst = append(dst, '0')
	}
	dst = append(dst, '.')
	for i := 0; i < s/9; i++ {
		dst = decAppendPadded(dst, decGroup(b, pos, 4, mask), 9)
		pos += 4
	}
	if tail := s % 9; tail > 0 {
		dst = decAppendPadded(dst, decGroup(b, pos, decDig2Bytes[tail], mask), tail)
	}
	return dst
}

// decAppendPadded appends x as exactly n decimal digits (x < 10^n).
func decAppendPadded(dst []byte, x uint32, n int) []byte {
	var d [9]byte
	for i := n - 1; i >= 0; i-- {
		d[i] = byte('0' + x%10)
		x /= 10
	}
	return append(dst, d[:n]...)
}

// DecimalValue returns the DECIMAL(precision, scale) value of text, a decimal
// number written [+-]digits[.digits] (no exponent), in the binary form the
// server logs. The number must fit exactly: at most precision-scale integer
// digits and no non-zero digit past the scale (trailing zeros are fine);
// "-0" gives zero. It is meant for encoding and fabrication and allocates.
func DecimalValue(text string, precision, scale int) (Value, error) {
	if err := decCheckSpec(precision, scale); err != nil {
		return Value{}, err
	}
	b, err := appendDecimalFromText(make([]byte, 0, decBinSize(precision, scale)), []byte(text), precision, scale)
	if err != nil {
		return Value{}, err
	}
	return Value{kind: KindDecimal, aux: uint32(precision<<8 | scale), b: b}, nil
}

// OldDecimalValue returns a pre-5.0 DECIMAL (type 0) value: text right-aligned
// in a field of length bytes, padded with spaces, as such a field stores it.
func OldDecimalValue(text string, length int) (Value, error) {
	if len(text) > length {
		return Value{}, fmt.Errorf("rowcodec: %q is longer than the old DECIMAL field length %d", text, length)
	}
	b := make([]byte, length)
	for i := range b[:length-len(text)] {
		b[i] = ' '
	}
	copy(b[length-len(text):], text)
	if err := decCheckOld(b); err != nil {
		return Value{}, err
	}
	return Value{kind: KindDecimal, flag: decFlagText, b: b}, nil
}

// AppendDecimal appends a DECIMAL value's digits as MySQL prints them
// (`-1234567890.1234`, `0.50`, `7`); it appends nothing for other kinds and
// does not allocate beyond growing dst.
func (v Value) AppendDecimal(dst []byte) []byte { return appendDecimalText(dst, v) }

// DecimalSpec returns a DECIMAL value's precision and scale. For an old
// DECIMAL (type 0), which logs neither, they are counted from its
// characters: digits, and digits after the point.
func (v Value) DecimalSpec() (precision, scale int) {
	if v.kind != KindDecimal {
		return 0, 0
	}
	if v.flag&decFlagText == 0 {
		return int(v.aux >> 8 & 0xff), int(v.aux & 0xff)
	}
	point := false
	for _, c := range v.b {
		switch {
		case c == '.':
			point = true
		case c >= '0' && c <= '9':
			precision++
			if point {
				scale++
			}
		}
	}
	return precision, scale
}

// DecimalRat returns a DECIMAL value as an exact rational number (it
// allocates). ok is false for other kinds and for an old DECIMAL whose
// characters are not a number.
func (v Value) DecimalRat() (r *big.Rat, ok bool) {
	if v.kind != KindDecimal {
		return nil, false
	}
	var buf [96]byte
	text := appendDecimalText(buf[:0], v)
	if len(text) == 0 {
		return nil, false
	}
	return new(big.Rat).SetString(string(text))
}

// IsOldDecimal reports a pre-5.0 DECIMAL (type 0) value, whose Bytes are the
// field's characters rather than the binary form.
func (v Value) IsOldDecimal() bool { return v.kind == KindDecimal && v.flag&decFlagText != 0 }

// DecimalNegative reports whether a DECIMAL value carries a minus sign.
func (v Value) DecimalNegative() bool {
	if v.kind != KindDecimal {
		return false
	}
	if v.flag&decFlagText != 0 {
		for _, c := range v.b {
			if c == '-' {
				return true
			}
		}
		return false
	}
	return decMask(v.b) != 0
}
