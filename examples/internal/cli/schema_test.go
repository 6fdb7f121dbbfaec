package cli

import (
	"bytes"
	"context"
	"fmt"
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

// TestObserveAfterBarrier: a worker's Observe applies only the DDL that
// Barrier left to it (the statements of barrier transactions, and those in
// transaction payloads, which Barrier does not see), each once, and
// applies everything when no Barrier is in use.
func TestObserveAfterBarrier(t *testing.T) {
	var pos uint64
	ddl := func(text string, inPayload bool) *event.Event {
		pos += 100
		return &event.Event{Header: event.Header{Type: event.QueryEvent}, File: "f.000001", Pos: pos, InPayload: inPayload,
			Body: &event.Query{Schema: []byte("d"), Query: []byte(text)}}
	}
	columns := func(s *Schema, table string) int {
		tb, err := s.Provider().Table("d", table)
		if err != nil || tb == nil {
			return -1 // not known
		}
		return len(tb.Columns)
	}
	s, err := OpenSchema(context.Background(), "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	// As binlog.Parallel calls them: Barrier on every statement in stream
	// order, Observe on a worker once the batch holding it is read.
	var applied []*event.Event
	for _, q := range []string{"CREATE TABLE a (id INT)", "CREATE TABLE h (id INT, d DATETIME(3))", "DROP TABLE a", "CREATE TABLE a (id INT, b INT)"} {
		ev := ddl(q, false)
		if s.Barrier(ev) {
			t.Fatalf("%s: a barrier before any lookup", q)
		}
		applied = append(applied, ev)
	}
	for _, ev := range applied[:3] { // a worker behind Barrier
		s.Observe(ev)
	}
	if n := columns(s, "a"); n != 2 {
		t.Errorf("a has %d columns after Barrier and Observe, want 2 (each statement applied once)", n)
	}
	s.Barrier(&event.Event{Header: event.Header{Type: event.TransactionPayloadEvent}}) // lookups from here on
	later := ddl("ALTER TABLE a ADD c INT", false)                                     // not a barrier: applied at once
	barrier := ddl("ALTER TABLE h ADD x INT", false)
	if s.Barrier(later) {
		t.Errorf("ALTER TABLE a: a barrier")
	}
	if !s.Barrier(barrier) {
		t.Fatalf("ALTER TABLE h: not a barrier")
	}
	if n := columns(s, "h"); n != 2 {
		t.Errorf("h has %d columns before its barrier batch is read, want 2", n)
	}
	s.Observe(later)
	s.Observe(barrier)
	s.Observe(barrier) // read again: already applied
	s.Observe(ddl("ALTER TABLE a ADD p INT", true))
	if a, h := columns(s, "a"), columns(s, "h"); a != 4 || h != 3 {
		t.Errorf("a has %d columns, h %d; want 4 and 3", a, h)
	}
	if n := s.nDeferred.Load(); n != 0 {
		t.Errorf("%d statements left to Observe, want 0", n)
	}

	// Without Barrier (a sequential run) Observe applies every DDL.
	seq, err := OpenSchema(context.Background(), "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"CREATE TABLE a (id INT)", "ALTER TABLE a ADD b INT"} {
		seq.Observe(ddl(q, false))
	}
	if n := columns(seq, "a"); n != 2 {
		t.Errorf("sequential: a has %d columns, want 2", n)
	}
}

// TestBarrierFactsByText: the facts Barrier keeps by statement text give
// the answers of a Schema that reads every statement afresh, for the same
// text in other default databases too, and the cache stays bounded.
func TestBarrierFactsByText(t *testing.T) {
	var pos uint64
	ddl := func(db, text string) *event.Event {
		pos += 100
		return &event.Event{Header: event.Header{Type: event.QueryEvent}, File: "f.000001", Pos: pos,
			Body: &event.Query{Schema: []byte(db), Query: []byte(text)}}
	}
	open := func() *Schema {
		s, err := OpenSchema(context.Background(), "", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Barrier(&event.Event{Header: event.Header{Type: event.TransactionPayloadEvent}}) // lookups
		return s
	}
	cached, fresh := open(), open()
	texts := []string{
		"CREATE TABLE h (id INT, d DATETIME(3))", "CREATE TABLE p (id INT)", "ALTER TABLE h ADD x INT",
		"ALTER TABLE p ADD y INT", "DROP TABLE h", "DROP TABLE p", "CREATE TABLE q LIKE h",
		"INSERT INTO p VALUES (1)", "SAVEPOINT a",
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		db := []string{"d", "e"}[rng.IntN(2)]
		text := texts[rng.IntN(len(texts))]
		if rng.IntN(8) == 0 {
			text = fmt.Sprintf("CREATE TABLE t%d (id INT)", i) // new texts: the cache fills and starts again
		}
		fresh.factsByText = nil
		got, want := cached.Barrier(ddl(db, text)), fresh.Barrier(ddl(db, text))
		if got != want {
			t.Fatalf("statement %d, %q in %s: barrier %v, afresh %v", i, text, db, got, want)
		}
		if len(cached.factsByText) > maxFacts || cached.factsBytes > maxFactsBytes {
			t.Fatalf("statement %d: %d statements, %d bytes kept", i, len(cached.factsByText), cached.factsBytes)
		}
	}
	if cached.fixed != fresh.fixed || len(cached.temporal) != len(fresh.temporal) {
		t.Errorf("fixed %v, %d temporal tables; afresh %v, %d", cached.fixed, len(cached.temporal), fresh.fixed, len(fresh.temporal))
	}
	if len(cached.factsByText) == 0 {
		t.Errorf("nothing kept")
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
