package cli

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// TestBarrierFollowsEarlyDDL: DDL applied before any batch asks for a
// precision is followed all the same, so that once batches do ask, DDL
// changing a table that was made with temporal columns is a barrier, and
// DDL on other tables is not.
func TestBarrierFollowsEarlyDDL(t *testing.T) {
	s, err := OpenSchema(context.Background(), "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var pos uint64
	ddl := func(text string) *event.Event {
		pos += 100
		return &event.Event{Header: event.Header{Type: event.QueryEvent}, File: "f.000001", Pos: pos,
			Body: &event.Query{Schema: []byte("d"), Query: []byte(text)}}
	}
	for _, q := range []string{"CREATE TABLE h (id INT, d DATETIME(3))", "CREATE TABLE p (id INT)"} {
		if s.Barrier(ddl(q)) {
			t.Errorf("%s: a barrier before any lookup", q)
		}
	}
	// A compressed payload: its table maps are not read, so lookups may follow.
	s.Barrier(&event.Event{Header: event.Header{Type: event.TransactionPayloadEvent}})
	for _, c := range []struct {
		q    string
		want bool
	}{
		{"ALTER TABLE h ADD x INT FIRST", true}, // h has temporal columns
		{"ALTER TABLE p ADD x INT FIRST", false},
		{"ALTER TABLE p ADD t TIMESTAMP(2)", true},
		{"ALTER TABLE p DROP x", true},
		{"DROP DATABASE d", true},
	} {
		if got := s.Barrier(ddl(c.q)); got != c.want {
			t.Errorf("%s: barrier %v, want %v", c.q, got, c.want)
		}
	}
}

// TestFoldCase: a lower-case word is found in foldCase's result exactly
// where a byte-at-a-time case-insensitive search finds it, and lowerKey
// agrees with strings.ToLower.
func TestFoldCase(t *testing.T) {
	ref := func(b []byte, w string) bool {
		for i := 0; i+len(w) <= len(b); i++ {
			j := 0
			for j < len(w) && b[i+j]|0x20 == w[j] {
				j++
			}
			if j == len(w) {
				return true
			}
		}
		return false
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("tTiImMeElLkKsScC _`(),\x00\xc3\x84")
	var buf []byte
	for n := range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		buf = foldCase(buf, b)
		for _, w := range []string{"time", "like", "select", "rename"} {
			if got, want := bytes.Contains(buf, []byte(w)), ref(b, w); got != want {
				t.Fatalf("case %d: %q in %q: %v, want %v", n, w, b, got, want)
			}
		}
		if got, want := string(lowerKey(bytes.Clone(b))), strings.ToLower(string(b)); got != want {
			t.Fatalf("lowerKey(%q) = %q, want %q", b, got, want)
		}
	}
}
