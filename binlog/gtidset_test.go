package binlog

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

func mustSet(t testing.TB, s string) *GTIDSet {
	t.Helper()
	set, err := ParseGTIDSet(s)
	if err != nil {
		t.Fatalf("ParseGTIDSet(%q): %v", s, err)
	}
	return set
}

func mustGTID(t testing.TB, s string) GTID {
	t.Helper()
	g, err := ParseGTID(s)
	if err != nil {
		t.Fatalf("ParseGTID(%q): %v", s, err)
	}
	return g
}

const (
	uuidA = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
	uuidB = "b9b88c66-0755-11f1-9899-4a9da94c4d71"
)

func TestParseGTID(t *testing.T) {
	for in, want := range map[string]string{
		"3E11FA47-71CA-11E1-9E33-C80AA9429562:23":    uuidA + ":23",
		" 3e11fa4771ca11e19e33c80aa9429562:Tag_1:7 ": uuidA + ":tag_1:7",
		"{" + uuidA + "}:1":                          uuidA + ":1",
		"0-1-100":                                    "0-1-100",
		"4294967295-4294967295-18446744073709551615": "4294967295-4294967295-18446744073709551615",
	} {
		g := mustGTID(t, in)
		if s := g.String(); s != want {
			t.Errorf("%q: %q, want %q", in, s, want)
		}
		if g2 := mustGTID(t, g.String()); g2 != g {
			t.Errorf("%q: reparsed %+v", in, g2)
		}
	}
	g := mustGTID(t, "1-2-3")
	if g.Flavor != event.MariaDB || g.Domain != 1 || g.ServerID != 2 || g.Seq != 3 {
		t.Fatalf("%+v", g)
	}
	for _, bad := range []string{"", "x", uuidA, uuidA + ":0", uuidA + ":-1", uuidA + ":1-2", uuidA + ":1tag:1",
		uuidA + ":a:b:1", "1-2", "1-2-3-4", "1-2-x", "4294967296-1-1", uuidA[:35] + ":1", uuidA + ":9223372036854775807"} {
		if g, err := ParseGTID(bad); err == nil {
			t.Errorf("%q parsed as %+v", bad, g)
		}
	}
}

// TestGTIDSetTags is TESTCASES.md #8: GTID-set strings with tags
// (uuid:1-4:aaaa:1:abc:1-3) parse and format round-trip.
func TestGTIDSetTags(t *testing.T) {
	cases := map[string]string{
		uuidA + ":1-4:aaaa:1:abc:1-3": uuidA + ":1-4:aaaa:1:abc:1-3",
		// Tags sort, untagged intervals first, case folds to lower.
		"3E11FA47-71CA-11E1-9E33-C80AA9429562:ABC:1-3:AAAA:1, " + uuidA + ":1-4": uuidA + ":1-4:aaaa:1:abc:1-3",
		// Only tagged intervals.
		uuidA + ":x:5": uuidA + ":x:5",
		// Newlines and blanks around tokens (as @@gtid_executed prints).
		uuidB + ":1-2,\n" + uuidA + " : 1 - 5 : 11-18": uuidA + ":1-5:11-18," + uuidB + ":1-2",
		// The MySQL manual's example.
		"3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:11-18, " + uuidB + ":1-4:aaaa:1:abc:1-3": uuidA + ":1-5:11-18," + uuidB + ":1-4:aaaa:1:abc:1-3",
		// Merging: overlaps, adjacency, repeats, out of order.
		uuidA + ":7-9:1-3:4:2:10-12:6,3e11fa4771ca11e19e33c80aa9429562:20:5": uuidA + ":1-12:20",
		"": "",
		// A UUID without intervals adds nothing.
		uuidA: "",
	}
	for in, want := range cases {
		s := mustSet(t, in)
		if got := s.String(); got != want {
			t.Errorf("%q:\n got %q\nwant %q", in, got, want)
		}
		if again := mustSet(t, s.String()); !again.Equal(s) || again.String() != s.String() {
			t.Errorf("%q: not stable: %q", in, again.String())
		}
	}
	s := mustSet(t, uuidA+":1-4:aaaa:1:abc:1-3")
	for g, want := range map[string]bool{
		uuidA + ":4": true, uuidA + ":5": false, uuidA + ":AAAA:1": true, uuidA + ":aaaa:2": false,
		uuidA + ":abc:3": true, uuidA + ":abd:1": false, uuidB + ":1": false, "0-1-1": false,
	} {
		if got := s.Contains(mustGTID(t, g)); got != want {
			t.Errorf("Contains(%s) = %v", g, got)
		}
	}
}

func TestGTIDSetErrors(t *testing.T) {
	for in, msg := range map[string]string{
		uuidA + ":0":      "numbers start at 1",
		uuidA + ":5-3":    "ends before it starts",
		uuidA + ":1-":     "not a number",
		uuidA + "::1":     "empty interval",
		uuidA + ":1,,":    "empty element",
		uuidA + ":9tag:1": "not a number",
		uuidA + ":ta-g:1": "not allowed",
		uuidA + ":" + strings.Repeat("t", 33) + ":1": "longer than 32",
		uuidA + ":t@g:1":                         "not allowed",
		"3e11fa47-71ca-11e1-9e33:1":              "bad UUID",
		"zz11fa47-71ca-11e1-9e33-c80aa9429562:1": "bad UUID",
		uuidA + ":9223372036854775807":           "out of range",
		uuidA + ":1,0-1-2":                       "cannot mix",
		"0-1-2," + uuidA + ":1":                  "cannot mix",
		"0-1-2,0-2-3":                            "domain 0 appears twice",
		"0-1":                                    "not domain-server-seq",
		"0-1-x":                                  "not domain-server-seq",
		"0-1-99999999999999999999":               "out of range",
	} {
		_, err := ParseGTIDSet(in)
		if err == nil {
			t.Errorf("%q parsed", in)
			continue
		}
		if !strings.Contains(err.Error(), msg) || !strings.HasPrefix(err.Error(), "binlog: bad GTID set") {
			t.Errorf("%q: error %q, want it to say %q", in, err, msg)
		}
	}
}

func TestGTIDSetMySQL(t *testing.T) {
	s := &GTIDSet{}
	for _, g := range []string{uuidA + ":3", uuidA + ":1", uuidA + ":2", uuidB + ":tag:9", uuidA + ":5"} {
		if err := s.Add(mustGTID(t, g)); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := s.String(), uuidA+":1-3:5,"+uuidB+":tag:9"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
	if err := s.Add(mustGTID(t, "0-1-1")); err == nil {
		t.Fatal("added a MariaDB GTID to a MySQL set")
	}
	c := s.Clone()
	if err := c.AddSet(mustSet(t, uuidA+":4,"+uuidB+":1-3")); err != nil {
		t.Fatal(err)
	}
	if got, want := c.String(), uuidA+":1-5,"+uuidB+":1-3:tag:9"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
	if s.String() != uuidA+":1-3:5,"+uuidB+":tag:9" {
		t.Fatal("Clone shares memory")
	}
	if !c.ContainsSet(s) || s.ContainsSet(c) || !c.ContainsSet(&GTIDSet{}) || !c.ContainsSet(nil) {
		t.Fatal("ContainsSet")
	}
	if !c.ContainsSet(mustSet(t, uuidA+":2-4")) || c.ContainsSet(mustSet(t, uuidA+":2-6")) || c.ContainsSet(mustSet(t, "0-1-1")) {
		t.Fatal("ContainsSet intervals")
	}
	if s.Equal(c) || !c.Equal(mustSet(t, c.String())) || !(&GTIDSet{}).Equal(mustSet(t, "")) {
		t.Fatal("Equal")
	}
	if s.IsEmpty() || !mustSet(t, " \n").IsEmpty() {
		t.Fatal("IsEmpty")
	}
	// Large GNOs at the top of the range.
	top := mustSet(t, uuidA+":9223372036854775805-9223372036854775806")
	if !top.Contains(mustGTID(t, uuidA+":9223372036854775806")) || top.String() != uuidA+":9223372036854775805-9223372036854775806" {
		t.Fatalf("top: %s", top)
	}
}

func TestGTIDSetMariaDB(t *testing.T) {
	s := mustSet(t, "1-2-200, 0-1-100")
	if got := s.String(); got != "0-1-100,1-2-200" {
		t.Fatalf("%q", got)
	}
	if s.Flavor() != event.MariaDB {
		t.Fatal("flavor")
	}
	for g, want := range map[string]bool{"0-1-100": true, "0-9-50": true, "0-1-101": false, "1-2-1": true, "2-1-1": false, uuidA + ":1": false} {
		if got := s.Contains(mustGTID(t, g)); got != want {
			t.Errorf("Contains(%s) = %v", g, got)
		}
	}
	// Add keeps the higher seq_no per domain, with its server id.
	_ = s.Add(mustGTID(t, "0-3-150"))
	_ = s.Add(mustGTID(t, "0-4-120"))
	_ = s.Add(mustGTID(t, "5-1-1"))
	if got := s.String(); got != "0-3-150,1-2-200,5-1-1" {
		t.Fatalf("%q", got)
	}
	if err := s.Add(mustGTID(t, uuidA+":1")); err == nil {
		t.Fatal("mixed flavors")
	}
	o := mustSet(t, "1-9-300,0-1-10")
	c := s.Clone()
	if err := c.AddSet(o); err != nil {
		t.Fatal(err)
	}
	if got := c.String(); got != "0-3-150,1-9-300,5-1-1" {
		t.Fatalf("%q", got)
	}
	if !c.ContainsSet(s) || s.ContainsSet(c) || !c.ContainsSet(mustSet(t, "0-7-1")) {
		t.Fatal("ContainsSet")
	}
	if err := c.AddSet(mustSet(t, uuidA+":1")); err == nil {
		t.Fatal("AddSet mixed flavors")
	}
	if !s.Equal(mustSet(t, s.String())) || s.Equal(c) || s.Equal(mustSet(t, "0-9-150,1-2-200,5-1-1")) {
		t.Fatal("Equal")
	}
}

func TestGTIDFromEvent(t *testing.T) {
	g := &event.GTID{Type: event.GTIDTaggedEvent, GNO: 5, Tag: []byte("aaaa")}
	copy(g.SID[:], []byte{0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1, 0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95, 0x62})
	got, ok := GTIDFromEvent(g, 1)
	if !ok || got.String() != uuidA+":aaaa:5" {
		t.Fatalf("%v %v", got, ok)
	}
	if _, ok := GTIDFromEvent(&event.GTID{Type: event.AnonymousGTIDEvent}, 1); ok {
		t.Fatal("anonymous")
	}
	m, ok := GTIDFromEvent(&event.MariaGTID{Domain: 0, SeqNo: 7}, 3)
	if !ok || m.String() != "0-3-7" {
		t.Fatalf("%v %v", m, ok)
	}
	if _, ok := GTIDFromEvent(&event.Unknown{}, 1); ok {
		t.Fatal("unknown")
	}
}

// FuzzParseGTIDSet: whatever parses formats to a string that parses to an
// equal set and formats the same (parse → String → parse → String stable),
// and every GTID of a MySQL set's text is contained in it.
func FuzzParseGTIDSet(f *testing.F) {
	for _, s := range []string{
		uuidA + ":1-4:aaaa:1:abc:1-3",
		"3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:11-18, " + uuidB + ":1-4:aaaa:1:abc:1-3",
		uuidA + ":7-9:1-3:4:2:10-12,\n" + uuidA + ":20",
		"0-1-100,1-2-200",
		"", uuidA, uuidA + ":x:5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseGTIDSet(in)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "binlog: bad GTID set") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		out := s.String()
		s2, err := ParseGTIDSet(out)
		if err != nil {
			t.Fatalf("%q formats as %q, which does not parse: %v", in, out, err)
		}
		if out2 := s2.String(); out2 != out || !s2.Equal(s) || !s.ContainsSet(s2) || !s2.ContainsSet(s) {
			t.Fatalf("%q: %q then %q", in, out, out2)
		}
		c := s.Clone()
		if err := c.AddSet(s2); err != nil || !c.Equal(s) {
			t.Fatalf("%q: AddSet of itself changed it: %v %q", in, err, c.String())
		}
	})
}

// TestGTIDSetPreviousGTIDs is TESTCASES.md #8 (tagged PREVIOUS_GTIDS): a set
// encodes as MySQL's Gtid_set::encode does and decodes back.
func TestGTIDSetPreviousGTIDs(t *testing.T) {
	u := "3e11fa4771ca11e19e33c80aa9429562"
	tagged := "01030000000000" + "01" +
		u + "00" + "0100000000000000" + "0100000000000000" + "0500000000000000" +
		u + "0861616161" + "0100000000000000" + "0100000000000000" + "0200000000000000" +
		u + "06616263" + "0100000000000000" + "0100000000000000" + "0400000000000000"
	for in, want := range map[string]string{
		uuidA + ":1-4:aaaa:1:abc:1-3": tagged,
		uuidB + ":1-2," + uuidA + ":7": "0200000000000000" + u + "0100000000000000" + "0700000000000000" + "0800000000000000" +
			"b9b88c66075511f198994a9da94c4d71" + "0100000000000000" + "0100000000000000" + "0300000000000000",
		"": "0000000000000000",
	} {
		s := mustSet(t, in)
		p, err := s.PreviousGTIDs()
		if err != nil {
			t.Fatal(err)
		}
		b, err := p.AppendBody(nil, event.DefaultFormat())
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(b); got != want {
			t.Errorf("%q:\n got %s\nwant %s", in, got, want)
		}
		var d event.PreviousGTIDs
		if err := d.DecodeBody(event.DefaultFormat(), event.PreviousGTIDsEvent, b); err != nil {
			t.Fatal(err)
		}
		if d.String() != s.String() {
			t.Errorf("%q: event text %q", in, d.String())
		}
		back := &GTIDSet{}
		if err := back.AddPreviousGTIDs(&d); err != nil || !back.Equal(s) {
			t.Errorf("%q: back %q %v", in, back, err)
		}
	}
	if _, err := mustSet(t, "0-1-2").PreviousGTIDs(); err == nil {
		t.Fatal("MariaDB set as PREVIOUS_GTIDS")
	}
	l := &event.MariaGTIDList{Data: event.AppendMariaGTIDEntry(event.AppendMariaGTIDEntry(nil, 0, 1, 5), 0, 2, 9)}
	m := &GTIDSet{}
	if err := m.AddMariaGTIDList(l); err != nil || m.String() != "0-2-9" {
		t.Fatalf("%q %v", m, err)
	}
}
