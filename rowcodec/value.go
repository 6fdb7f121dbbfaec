package rowcodec

import (
	"math"
	"strconv"
)

// Kind tells what a Value holds.
type Kind uint8

// Value kinds. The zero Kind is KindNull.
const (
	KindNull      Kind = iota // SQL NULL (the zero Value)
	KindAbsent                // not in the image (MINIMAL/NOBLOB row images): not NULL, unknown
	KindInt                   // signed integer (TINY…LONGLONG, signed)
	KindUint                  // unsigned integer (TINY…LONGLONG UNSIGNED)
	KindFloat32               // FLOAT
	KindFloat64               // DOUBLE
	KindDecimal               // NEWDECIMAL or old DECIMAL: exact digits
	KindYear                  // YEAR: Uint64 is the year (0 or 1901–2155)
	KindDate                  // DATE (and NEWDATE)
	KindTime                  // TIME / TIME2: signed, may exceed 24 h
	KindDatetime              // DATETIME / DATETIME2
	KindTimestamp             // TIMESTAMP / TIMESTAMP2: UTC seconds and microseconds
	KindString                // text in the column's character set
	KindBytes                 // binary string (BINARY, VARBINARY, BLOB, binary-charset CHAR)
	KindEnum                  // ENUM: Uint64 is the 1-based member index (0: the invalid value)
	KindSet                   // SET: Uint64 is the member bit mask
	KindBit                   // BIT(n): Uint64 holds the bits
	KindJSON                  // JSON: MySQL binary JSON, or MariaDB's text
	KindJSONDiff              // a JSON partial update (PARTIAL_UPDATE_ROWS): the diff vector
	KindGeometry              // GEOMETRY: 4-byte SRID then WKB
	KindVector                // VECTOR: little-endian float32s
)

var kindNames = [...]string{"NULL", "ABSENT", "INT", "UINT", "FLOAT", "DOUBLE", "DECIMAL", "YEAR", "DATE", "TIME",
	"DATETIME", "TIMESTAMP", "STRING", "BYTES", "ENUM", "SET", "BIT", "JSON", "JSON_DIFF", "GEOMETRY", "VECTOR"}

// String returns the kind's name, e.g. "DATETIME".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "KIND_" + strconv.Itoa(int(k))
}

// Value is one column value. The zero Value is SQL NULL. A Value is small and
// copied by value; its Bytes view aliases the row event it was decoded from.
//
// Layout (shared by the kind-specific files of this package):
//   - kind: the Kind
//   - flag: kind-specific bits (temporal: negative TIME; string: see charset.go;
//     JSON: jsonFlagText for MariaDB text JSON)
//   - aux: kind-specific (decimal: precision<<8|scale; temporal: fsp;
//     string: collation id; BIT: width in bits; ENUM/SET: byte width)
//   - num: the number (integers, float bits, packed temporal fields, enum
//     index, set mask, bits)
//   - b: the view (strings, blobs, decimal bytes, JSON, geometry, vector)
type Value struct {
	kind Kind
	flag uint8
	aux  uint32
	num  uint64
	b    []byte
}

// Absent is the Value of a column missing from a MINIMAL or NOBLOB image.
var Absent = Value{kind: KindAbsent}

// Kind returns the value's kind.
func (v Value) Kind() Kind { return v.kind }

// IsNull reports SQL NULL.
func (v Value) IsNull() bool { return v.kind == KindNull }

// IsAbsent reports a column the image did not include (not NULL: unknown).
func (v Value) IsAbsent() bool { return v.kind == KindAbsent }

// Bytes returns the raw view of a string, binary, decimal, JSON, geometry or
// vector value (nil for other kinds). It aliases the event's bytes.
func (v Value) Bytes() []byte { return v.b }

// Clone returns v with its view copied, so it outlives the event.
func (v Value) Clone() Value {
	if v.b != nil {
		v.b = append([]byte(nil), v.b...)
	}
	return v
}

// Equal reports whether two values are the same kind with the same content.
func (v Value) Equal(w Value) bool {
	return v.kind == w.kind && v.flag == w.flag && v.aux == w.aux && v.num == w.num && string(v.b) == string(w.b)
}

// IntValue returns a signed integer value.
func IntValue(i int64) Value { return Value{kind: KindInt, num: uint64(i)} }

// UintValue returns an unsigned integer value.
func UintValue(u uint64) Value { return Value{kind: KindUint, num: u} }

// Float32Value returns a FLOAT value.
func Float32Value(f float32) Value {
	return Value{kind: KindFloat32, num: uint64(math.Float32bits(f))}
}

// Float64Value returns a DOUBLE value.
func Float64Value(f float64) Value { return Value{kind: KindFloat64, num: math.Float64bits(f)} }

// Int64 returns a signed integer (KindInt), or the bits of other integer
// kinds reinterpreted; 0 for kinds without a number.
func (v Value) Int64() int64 { return int64(v.num) }

// Uint64 returns an unsigned integer, YEAR, ENUM index, SET mask or BIT value.
func (v Value) Uint64() uint64 { return v.num }

// Float64 returns a FLOAT or DOUBLE as float64 (and integers converted).
func (v Value) Float64() float64 {
	switch v.kind {
	case KindFloat32:
		return float64(math.Float32frombits(uint32(v.num)))
	case KindFloat64:
		return math.Float64frombits(v.num)
	case KindInt:
		return float64(int64(v.num))
	case KindUint, KindYear:
		return float64(v.num)
	}
	return 0
}
