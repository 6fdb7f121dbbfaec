package bin

import "testing"

func TestFixedWidthReads(t *testing.T) {
	r := NewReader([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	if v := r.U16(); v != 0x0201 {
		t.Fatalf("U16 = %#x", v)
	}
	if v := r.U32(); v != 0x06050403 {
		t.Fatalf("U32 = %#x", v)
	}
	if v := r.U64(); v != 0x0e0d0c0b0a090807 {
		t.Fatalf("U64 = %#x", v)
	}
	if r.Off != 14 || r.Err() != nil {
		t.Fatalf("offset %d, error %v", r.Off, r.Err())
	}
	if v := r.U16(); v != 0 || r.Err() != ErrShort || r.Off != 14 {
		t.Fatalf("U16 past the end = %#x, error %v, offset %d", v, r.Err(), r.Off)
	}
	if v := r.U8(); v != 0 {
		t.Fatalf("U8 after an error = %d: the error must be sticky", v)
	}
	for _, f := range []func(*Reader) uint64{
		func(r *Reader) uint64 { return uint64(r.U16()) },
		func(r *Reader) uint64 { return uint64(r.U32()) },
		func(r *Reader) uint64 { return r.U64() },
	} {
		r := NewReader([]byte{1})
		if v := f(&r); v != 0 || r.Err() != ErrShort || r.Off != 0 {
			t.Fatalf("short read = %d, error %v, offset %d", v, r.Err(), r.Off)
		}
	}
}
