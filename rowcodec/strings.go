package rowcodec

import (
	"encoding/binary"
	"iter"
	"math"

	"github.com/binlogkit/binlogkit/event"
)

// Packing of the string-family kinds (see the layout in value.go):
//   - KindString / KindBytes: b = the bytes as logged (a view into the row
//     image), aux = the column's collation id when the table map logged it
//     (0: unknown). A column is KindBytes when its collation is binary (63);
//     when charsets were not logged, CHAR/VARCHAR columns decode as
//     KindString and the BLOB/TEXT family as KindBytes (the wire type cannot
//     tell TEXT from BLOB).
//   - BINARY(n): the server logs the value without its trailing zero bytes
//     (MariaDB) or with them (MySQL); the value is what was logged. Padding
//     back to n bytes is the SQL layer's business.
//   - CHAR(n): servers strip trailing spaces before logging; the value is what
//     was logged.
//   - KindGeometry: b = 4-byte little-endian SRID then WKB.
//   - KindVector: b = little-endian float32s.

// isStringType reports the types strings.go decodes.
func isStringType(typ event.ColumnType) bool {
	switch typ {
	case event.ColumnTypeString, event.ColumnTypeVarchar, event.ColumnTypeVarString,
		event.ColumnTypeTinyBlob, event.ColumnTypeMediumBlob, event.ColumnTypeLongBlob, event.ColumnTypeBlob,
		event.ColumnTypeGeometry, event.ColumnTypeVector:
		return true
	}
	return false
}

// lengthSize returns the size of the length prefix of a string-family value.
func lengthSize(c *Column) int {
	switch c.Type {
	case event.ColumnTypeString, event.ColumnTypeVarchar, event.ColumnTypeVarString:
		if c.Meta > 255 {
			return 2
		}
		return 1
	case event.ColumnTypeTinyBlob:
		return 1
	case event.ColumnTypeMediumBlob:
		return 3
	case event.ColumnTypeLongBlob:
		return 4
	case event.ColumnTypeBlob:
		if c.Meta == 0 {
			return 2
		}
	}
	return int(c.Meta) // BLOB, GEOMETRY, VECTOR, JSON: the metadata is the prefix size
}

// stringKind returns the kind a string-family column decodes as.
func stringKind(c *Column) Kind {
	switch c.Type {
	case event.ColumnTypeGeometry:
		return KindGeometry
	case event.ColumnTypeVector:
		return KindVector
	case event.ColumnTypeString, event.ColumnTypeVarchar, event.ColumnTypeVarString:
		if c.Collation == collationBinary {
			return KindBytes
		}
		return KindString
	}
	if c.Collation != 0 && c.Collation != collationBinary {
		return KindString
	}
	return KindBytes
}

// decodeString decodes a CHAR, BINARY, VARCHAR, VARBINARY, BLOB/TEXT,
// GEOMETRY or VECTOR value at the start of b.
func decodeString(c *Column, b []byte) (Value, int, error) {
	ls := lengthSize(c)
	if ls < 1 || ls > 4 {
		return Value{}, 0, corruptf("%s with a %d-byte length", c.Type.String(), ls)
	}
	if ls > len(b) {
		return Value{}, 0, truncated(c.Type.String()+" length", ls, len(b))
	}
	l := leUint(b[:ls])
	if l > uint64(len(b)-ls) {
		return Value{}, 0, truncated(c.Type.String(), int(min(l, math.MaxInt32)), len(b)-ls)
	}
	end := ls + int(l)
	k := stringKind(c)
	v := Value{kind: k, b: b[ls:end:end]}
	switch k {
	case KindString, KindBytes:
		v.aux = uint32(c.Collation)
	case KindGeometry:
		if l != 0 && l < 4 {
			return Value{}, 0, corruptf("GEOMETRY of %d bytes has no SRID", l)
		}
	case KindVector:
		if l%4 != 0 {
			return Value{}, 0, corruptf("VECTOR of %d bytes is not a float32 array", l)
		}
	}
	return v, end, nil
}

// appendString appends the wire form of v for a string-family column c.
func appendString(dst []byte, c *Column, v Value) ([]byte, error) {
	switch v.kind {
	case KindString, KindBytes, KindGeometry, KindVector, KindJSON:
	default:
		return dst, corruptf("a %v value for a %s column", v.kind, c.Type.String())
	}
	ls := lengthSize(c)
	if ls < 1 || ls > 4 {
		return dst, corruptf("%s with a %d-byte length", c.Type.String(), ls)
	}
	if ls < 4 && uint64(len(v.b)) >= 1<<(8*uint(ls)) || uint64(len(v.b)) > math.MaxUint32 {
		return dst, corruptf("%d bytes do not fit a %d-byte length", len(v.b), ls)
	}
	dst = appendLE(dst, uint64(len(v.b)), ls)
	return append(dst, v.b...), nil
}

// StringValue returns a character string value in the given collation (0:
// unknown). It aliases b.
func StringValue(b []byte, collation uint16) Value {
	return Value{kind: KindString, aux: uint32(collation), b: b}
}

// BytesValue returns a binary string value (collation binary, 63). It
// aliases b.
func BytesValue(b []byte) Value { return Value{kind: KindBytes, aux: collationBinary, b: b} }

// GeometryValue returns a GEOMETRY value from its stored form: a 4-byte
// little-endian SRID followed by WKB. It aliases b.
func GeometryValue(b []byte) Value { return Value{kind: KindGeometry, b: b} }

// AppendGeometry appends the stored form of a geometry (SRID, then WKB) to
// dst, for building a GeometryValue.
func AppendGeometry(dst []byte, srid uint32, wkb []byte) []byte {
	return append(binary.LittleEndian.AppendUint32(dst, srid), wkb...)
}

// VectorValue returns a VECTOR value from little-endian float32 bytes. It
// aliases b.
func VectorValue(b []byte) Value { return Value{kind: KindVector, b: b} }

// AppendVector appends the stored form of a vector (little-endian float32s)
// to dst, for building a VectorValue.
func AppendVector(dst []byte, fs ...float32) []byte {
	for _, f := range fs {
		dst = binary.LittleEndian.AppendUint32(dst, math.Float32bits(f))
	}
	return dst
}

// Collation returns a string value's collation id: the column's collation
// for KindString (0 when not logged), 63 (binary) for KindBytes, 0 for other
// kinds.
func (v Value) Collation() uint16 {
	switch v.kind {
	case KindString:
		return uint16(v.aux)
	case KindBytes:
		return collationBinary
	}
	return 0
}

// SRID returns a GEOMETRY value's spatial reference id.
func (v Value) SRID() uint32 {
	if v.kind != KindGeometry || len(v.b) < 4 {
		return 0
	}
	return binary.LittleEndian.Uint32(v.b)
}

// WKB returns a GEOMETRY value's well-known-binary part (after the SRID). It
// aliases the event.
func (v Value) WKB() []byte {
	if v.kind != KindGeometry || len(v.b) < 4 {
		return nil
	}
	return v.b[4:]
}

// VectorLen returns the number of dimensions of a VECTOR value.
func (v Value) VectorLen() int {
	if v.kind != KindVector {
		return 0
	}
	return len(v.b) / 4
}

// Float32At returns dimension i of a VECTOR value (0 ≤ i < VectorLen).
func (v Value) Float32At(i int) float32 {
	return math.Float32frombits(binary.LittleEndian.Uint32(v.b[4*i:]))
}

// Float32s returns a single-use iterator over a VECTOR value's dimensions,
// reading the event's bytes in place (no allocation).
func (v Value) Float32s() iter.Seq2[int, float32] {
	return func(yield func(int, float32) bool) {
		if v.kind != KindVector {
			return
		}
		for i := 0; i+4 <= len(v.b); i += 4 {
			if !yield(i/4, math.Float32frombits(binary.LittleEndian.Uint32(v.b[i:]))) {
				return
			}
		}
	}
}
