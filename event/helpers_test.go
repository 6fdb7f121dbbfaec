package event

import (
	"bytes"
	"testing"
)

// roundTrip decodes b as typ, checks the re-encoded bytes are b again, and
// returns the decoded body.
func roundTrip(t *testing.T, f *FormatDescription, typ Type, b []byte) Body {
	t.Helper()
	if f == nil {
		f = DefaultFormat()
	}
	body := NewBody(typ)
	if err := body.DecodeBody(f, typ, b); err != nil {
		t.Fatalf("%v: decode: %v", typ, err)
	}
	got, err := body.AppendBody(nil, f)
	if err != nil {
		t.Fatalf("%v: encode: %v", typ, err)
	}
	if !bytes.Equal(got, b) {
		t.Fatalf("%v: re-encoded\n got %x\nwant %x", typ, got, b)
	}
	return body
}
