package binlog

import (
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

func mustSelection(t testing.TB, s string) *GTIDSelection {
	t.Helper()
	sel, err := ParseGTIDSelection(s)
	if err != nil {
		t.Fatalf("ParseGTIDSelection(%q): %v", s, err)
	}
	return sel
}

// TestGTIDSelectionMariaDB: a MariaDB GTID names one transaction (not every
// seq_no up to it, as in a GTIDSet), lists of one domain work, and ranges
// name several.
func TestGTIDSelectionMariaDB(t *testing.T) {
	for _, c := range []struct {
		in, str string
		in1     []string // contained
		out     []string // not contained
	}{
		{"0-1-8", "0-1-8", []string{"0-1-8"}, []string{"0-1-7", "0-1-9", "0-2-8", "1-1-8", "0-1-1"}},
		{"0-1-7,0-1-8", "0-1-7..8", []string{"0-1-7", "0-1-8"}, []string{"0-1-6", "0-1-9"}},
		{" 0-1-5..8 , 0-1-20 ", "0-1-5..8,0-1-20", []string{"0-1-5", "0-1-6", "0-1-8", "0-1-20"}, []string{"0-1-4", "0-1-9", "0-1-19", "0-1-21"}},
		{"0-1-9,0-1-3..5,0-1-6..8", "0-1-3..9", []string{"0-1-3", "0-1-9"}, []string{"0-1-2", "0-1-10"}},
		{"0-1-1..3,0-1-2..10,0-1-12", "0-1-1..10,0-1-12", []string{"0-1-10", "0-1-12"}, []string{"0-1-11"}},
		{"1-2-3,0-2-4,0-1-5", "0-1-5,0-2-4,1-2-3", []string{"1-2-3", "0-2-4", "0-1-5"}, []string{"0-1-4", "1-1-3"}},
		{"0-1-18446744073709551615,0-1-18446744073709551614", "0-1-18446744073709551614..18446744073709551615", []string{"0-1-18446744073709551615"}, []string{"0-1-0"}},
		{"", "", nil, []string{"0-1-1", uuidA + ":1"}},
		// Flavors may mix.
		{uuidA + ":1-3, 0-1-2", uuidA + ":1-3,0-1-2", []string{uuidA + ":2", "0-1-2"}, []string{uuidA + ":4", "0-1-1"}},
		{uuidA + ":1-3:tag_a:5," + uuidA + ":4", uuidA + ":1-4:tag_a:5", []string{uuidA + ":tag_a:5", uuidA + ":4"}, []string{uuidA + ":tag_a:4", uuidA + ":5"}},
	} {
		s := mustSelection(t, c.in)
		if got := s.String(); got != c.str {
			t.Errorf("%q: String() = %q, want %q", c.in, got, c.str)
		}
		if got := mustSelection(t, s.String()).String(); got != c.str {
			t.Errorf("%q: reparsed %q", c.in, got)
		}
		if s.IsEmpty() != (c.in == "") {
			t.Errorf("%q: IsEmpty %v", c.in, s.IsEmpty())
		}
		for _, g := range c.in1 {
			if !s.Contains(mustGTID(t, g)) {
				t.Errorf("%q does not contain %s", c.in, g)
			}
		}
		for _, g := range c.out {
			if s.Contains(mustGTID(t, g)) {
				t.Errorf("%q contains %s", c.in, g)
			}
		}
	}
	var nilSel *GTIDSelection
	if nilSel.Contains(mustGTID(t, "0-1-1")) || !nilSel.IsEmpty() || nilSel.String() != "" {
		t.Error("nil selection")
	}
	var s GTIDSelection
	for _, g := range []string{"0-1-8", "0-1-7", uuidA + ":3"} {
		if err := s.Add(mustGTID(t, g)); err != nil {
			t.Fatal(err)
		}
	}
	if s.String() != uuidA+":3,0-1-7..8" {
		t.Errorf("Add: %q", s.String())
	}
	if err := s.Add(GTID{}); err == nil {
		t.Error("a GTID of no flavor added")
	}
}

func TestGTIDSelectionErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0-1-x", `element 1 "0-1-x": "0-1-x" is not domain-server-seq (or domain-server-first..last)`},
		{"0-1-5..3", `range "0-1-5..3" ends before it starts`},
		{"0-1-5..", `"0-1-5.." is not domain-server-first..last`},
		{"0-1..5", `"0-1..5" is not domain-server-first..last`},
		{"0-1-5..x", `is not domain-server-first..last`},
		{"0-1-1,,0-1-2", "empty element 2"},
		{uuidA + ":0", "numbers start at 1"},
		{"0-1-5-9", "is not domain-server-seq"},
	} {
		_, err := ParseGTIDSelection(c.in)
		if err == nil || !strings.HasPrefix(err.Error(), "binlog: bad GTID selection") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v; want %q", c.in, err, c.want)
		}
	}
}

// TestGTIDFilterSelection keeps exactly the named MariaDB transactions of
// a stream.
func TestGTIDFilterSelection(t *testing.T) {
	gtid := func(seq uint64) *event.Event {
		return &event.Event{Header: event.Header{Type: event.MariaGTIDEvent, ServerID: 1}, Body: &event.MariaGTID{SeqNo: seq}}
	}
	q := &event.Event{Header: event.Header{Type: event.QueryEvent}, Body: &event.Query{Query: []byte("INSERT")}}
	for _, c := range []struct {
		include, exclude string
		want             string
	}{
		{"0-1-8", "", "8"},
		{"0-1-7,0-1-8", "", "78"},
		{"0-1-6..9", "0-1-7", "689"},
		{"", "0-1-6..7", "589"},
	} {
		f := &GTIDFilter{Include: mustSelection(t, c.include), Exclude: mustSelection(t, c.exclude)}
		if c.include == "" {
			f.Include = nil
		}
		got := ""
		for seq := uint64(5); seq <= 9; seq++ {
			kg, kq := f.Keep(gtid(seq)), f.Keep(q)
			if kg != kq {
				t.Errorf("%+v: seq %d: GTID kept %v, its statement %v", c, seq, kg, kq)
			}
			if kg {
				got += string(rune('0' + seq))
			}
		}
		if got != c.want {
			t.Errorf("include %q exclude %q kept %s, want %s", c.include, c.exclude, got, c.want)
		}
	}
}

func FuzzParseGTIDSelection(f *testing.F) {
	for _, s := range []string{"0-1-8", "0-1-7,0-1-8", "0-1-5..8, 1-2-3", uuidA + ":1-4:aaaa:1, 0-1-2", "", "0-1-5..3", "0-1-18446744073709551615"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseGTIDSelection(in)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "binlog: bad GTID selection") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		out := s.String()
		s2, err := ParseGTIDSelection(out)
		if err != nil {
			t.Fatalf("%q formats as %q, which does not parse: %v", in, out, err)
		}
		if out2 := s2.String(); out2 != out {
			t.Fatalf("%q: %q then %q", in, out, out2)
		}
	})
}
