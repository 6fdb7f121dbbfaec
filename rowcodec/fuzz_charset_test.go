package rowcodec

import (
	"bytes"
	"encoding/hex"
	"testing"
	"unicode/utf8"
)

// FuzzAppendUTF8 converts random bytes under a random collation id: it
// never panics, a conversion that succeeds yields valid UTF-8 after the
// untouched dst prefix, and one that fails appends the input unchanged.
func FuzzAppendUTF8(f *testing.F) {
	for _, c := range convVectors {
		in, _ := hex.DecodeString(c.in)
		f.Add(c.id, in)
	}
	for _, id := range []uint16{8, 28, 35, 54, 56, 60, 248, 1, 13, 95, 12, 97, 19, 24, 2304, 3271} {
		f.Add(id, []byte{0x81})
		f.Add(id, []byte{0xff, 0xfe, 0xfd})
		f.Add(id, []byte{0xd8, 0x00, 0xdc})
	}
	prefix := []byte("dst")
	f.Fuzz(func(t *testing.T, id uint16, in []byte) {
		dst := append(make([]byte, 0, len(prefix)+len(in)), prefix...)
		orig := append([]byte(nil), in...)
		out, ok := StringValue(in, id).AppendUTF8(dst)
		if !bytes.Equal(in, orig) {
			t.Fatal("input modified")
		}
		if !bytes.HasPrefix(out, prefix) {
			t.Fatalf("dst prefix lost: %q", out)
		}
		got := out[len(prefix):]
		if !ok {
			if !bytes.Equal(got, in) {
				t.Fatalf("collation %d: failed conversion appended % x, want the input % x", id, got, in)
			}
			return
		}
		if !utf8.Valid(got) {
			t.Fatalf("collation %d: % x converted to invalid UTF-8 % x", id, in, got)
		}
		if CharsetName(id) == "" || IsBinaryCollation(id) {
			t.Fatalf("collation %d (unknown or binary) converted", id)
		}
		// Conversion is deterministic and independent of dst's capacity.
		again, ok2 := AppendUTF8From(nil, id, in)
		if !ok2 || !bytes.Equal(again, got) {
			t.Fatalf("collation %d: % x converts to %q, then %q ok=%v", id, in, got, again, ok2)
		}
	})
}
