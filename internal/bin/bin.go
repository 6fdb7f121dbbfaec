// Package bin holds the little-endian byte cursor and append helpers that the
// binlog format code shares. A Reader never panics: reading past the end sets a
// sticky error and returns zero values, so a whole structure can be decoded
// without checking after every field and judged once with Err.
package bin

import (
	"encoding/binary"
	"errors"
)

// ErrShort is the sticky error of a Reader that was asked for more bytes than it has.
var ErrShort = errors.New("short buffer")

// Reader is a cursor over a byte slice. Slices it returns alias the input.
type Reader struct {
	B   []byte // the whole input
	Off int    // the next byte to read
	err error
}

// NewReader returns a cursor at the start of b.
func NewReader(b []byte) Reader { return Reader{B: b} }

// Err returns the sticky error, or nil.
func (r *Reader) Err() error { return r.err }

// Fail sets the sticky error if none is set yet.
func (r *Reader) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// Len returns the number of unread bytes (0 once an error is set).
func (r *Reader) Len() int {
	if r.err != nil {
		return 0
	}
	return len(r.B) - r.Off
}

// Has reports whether at least n unread bytes remain.
func (r *Reader) Has(n int) bool { return r.err == nil && n >= 0 && len(r.B)-r.Off >= n }

// Bytes returns the next n bytes as a capacity-limited view.
func (r *Reader) Bytes(n int) []byte {
	if !r.Has(n) {
		r.Fail(ErrShort)
		return nil
	}
	b := r.B[r.Off : r.Off+n : r.Off+n]
	r.Off += n
	return b
}

// Rest returns every unread byte and moves to the end.
func (r *Reader) Rest() []byte {
	if r.err != nil {
		return nil
	}
	b := r.B[r.Off:len(r.B):len(r.B)]
	r.Off = len(r.B)
	return b
}

// Skip moves n bytes forward.
func (r *Reader) Skip(n int) { r.Bytes(n) }

// U8 reads one byte.
func (r *Reader) U8() uint8 {
	if !r.Has(1) {
		r.Fail(ErrShort)
		return 0
	}
	v := r.B[r.Off]
	r.Off++
	return v
}

// U16 reads a little-endian uint16.
func (r *Reader) U16() uint16 {
	if !r.Has(2) {
		r.Fail(ErrShort)
		return 0
	}
	v := binary.LittleEndian.Uint16(r.B[r.Off:])
	r.Off += 2
	return v
}

// U24 reads a little-endian 3-byte integer.
func (r *Reader) U24() uint32 { return uint32(r.Uint(3)) }

// U32 reads a little-endian uint32.
func (r *Reader) U32() uint32 {
	if !r.Has(4) {
		r.Fail(ErrShort)
		return 0
	}
	v := binary.LittleEndian.Uint32(r.B[r.Off:])
	r.Off += 4
	return v
}

// U48 reads a little-endian 6-byte integer.
func (r *Reader) U48() uint64 { return r.Uint(6) }

// U64 reads a little-endian uint64.
func (r *Reader) U64() uint64 {
	if !r.Has(8) {
		r.Fail(ErrShort)
		return 0
	}
	v := binary.LittleEndian.Uint64(r.B[r.Off:])
	r.Off += 8
	return v
}

// Uint reads an n-byte (0..8) little-endian unsigned integer.
func (r *Reader) Uint(n int) uint64 {
	if n < 0 || n > 8 || !r.Has(n) {
		r.Fail(ErrShort)
		return 0
	}
	v := Uint(r.B[r.Off : r.Off+n])
	r.Off += n
	return v
}

// PackedInt reads a MySQL length-encoded integer (net_field_length_ll: one byte
// below 251, 0xfc + 2 bytes, 0xfd + 3 bytes, 0xfe + 8 bytes). 0xfb (NULL) and
// 0xff are reported with ok == false and consume one byte.
func (r *Reader) PackedInt() (v uint64, ok bool) {
	b := r.U8()
	switch {
	case r.err != nil:
		return 0, false
	case b < 251:
		return uint64(b), true
	case b == 0xfc:
		return r.Uint(2), r.err == nil
	case b == 0xfd:
		return r.Uint(3), r.err == nil
	case b == 0xfe:
		return r.Uint(8), r.err == nil
	}
	return uint64(b), false
}

// PackedBytes reads a length-encoded integer and then that many bytes.
func (r *Reader) PackedBytes() []byte {
	n, ok := r.PackedInt()
	if !ok || n > uint64(r.Len()) {
		r.Fail(ErrShort)
		return nil
	}
	return r.Bytes(int(n))
}

// Uint decodes a little-endian unsigned integer of len(b) <= 8 bytes.
func Uint(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// AppendUint appends the low n bytes of v in little-endian order.
func AppendUint(dst []byte, v uint64, n int) []byte {
	for i := 0; i < n; i++ {
		dst = append(dst, byte(v>>(8*i)))
	}
	return dst
}

// AppendU16 appends v little-endian.
func AppendU16(dst []byte, v uint16) []byte { return append(dst, byte(v), byte(v>>8)) }

// AppendU24 appends the low 3 bytes of v little-endian.
func AppendU24(dst []byte, v uint32) []byte { return append(dst, byte(v), byte(v>>8), byte(v>>16)) }

// AppendU32 appends v little-endian.
func AppendU32(dst []byte, v uint32) []byte {
	return append(dst, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

// AppendU48 appends the low 6 bytes of v little-endian.
func AppendU48(dst []byte, v uint64) []byte { return AppendUint(dst, v, 6) }

// AppendU64 appends v little-endian.
func AppendU64(dst []byte, v uint64) []byte { return AppendUint(dst, v, 8) }

// PackedIntLen returns the encoded length of v as a length-encoded integer.
func PackedIntLen(v uint64) int {
	switch {
	case v < 251:
		return 1
	case v < 1<<16:
		return 3
	case v < 1<<24:
		return 4
	}
	return 9
}

// AppendPackedInt appends v as a length-encoded integer in its shortest form.
func AppendPackedInt(dst []byte, v uint64) []byte {
	switch {
	case v < 251:
		return append(dst, byte(v))
	case v < 1<<16:
		return AppendU16(append(dst, 0xfc), uint16(v))
	case v < 1<<24:
		return AppendU24(append(dst, 0xfd), uint32(v))
	}
	return AppendU64(append(dst, 0xfe), v)
}

// AppendPackedBytes appends len(b) as a length-encoded integer and then b.
func AppendPackedBytes(dst, b []byte) []byte {
	return append(AppendPackedInt(dst, uint64(len(b))), b...)
}

// BitMSB reports bit i of an MSB-first bitmap (the order of a TABLE_MAP's
// SIGNEDNESS and COLUMN_VISIBILITY fields).
func BitMSB(b []byte, i int) bool {
	return i >= 0 && i/8 < len(b) && b[i/8]&(0x80>>(i%8)) != 0
}
