package event

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const testSID = "006c2cf2b1ea11e490578c705a3d3e78"

// TestGTIDLengths is TESTCASES.md #8: GTID events of 5.6, 5.7 and 8.0
// lengths, and ANONYMOUS_GTID.
func TestGTIDLengths(t *testing.T) {
	base := "01" + testSID + "0300000000000000" // flags, SID, GNO 3
	clock := "02" + "0500000000000000" + "0600000000000000"
	t.Run("5.6", func(t *testing.T) {
		g := roundTrip(t, nil, GTIDEvent, unhex(t, base)).(*GTID)
		if g.HasLogicalClock || g.GNO != 3 || g.Flags != GTIDFlagMayHaveSBR {
			t.Fatalf("%#v", g)
		}
		if s := g.String(); s != "006c2cf2-b1ea-11e4-9057-8c705a3d3e78:3" {
			t.Fatalf("text %q", s)
		}
	})
	t.Run("5.7", func(t *testing.T) {
		g := roundTrip(t, nil, GTIDEvent, unhex(t, base+clock)).(*GTID)
		if !g.HasLogicalClock || g.HasCommitTimestamps || g.LastCommitted != 5 || g.SequenceNumber != 6 {
			t.Fatalf("%#v", g)
		}
	})
	t.Run("5.7.4-typecode", func(t *testing.T) {
		// An older logical-clock typecode: MySQL ignores what follows; it is kept.
		g := roundTrip(t, nil, GTIDEvent, unhex(t, base+"01aabbcc")).(*GTID)
		if g.LogicalClockType != 1 || !bytes.Equal(g.Extra, []byte{0xaa, 0xbb, 0xcc}) {
			t.Fatalf("%#v", g)
		}
	})
	// 8.0: immediate timestamp 0x0005d0a1b2c3d4e5 (top bit clear: no original).
	ts := "e5d4c3b2a1d005"
	t.Run("8.0-timestamps-only", func(t *testing.T) {
		g := roundTrip(t, nil, GTIDEvent, unhex(t, base+clock+ts)).(*GTID)
		if !g.HasCommitTimestamps || g.HasTransactionLength || g.ImmediateCommitTimestamp != 0x0005d0a1b2c3d4e5 ||
			g.OriginalCommitTimestamp != g.ImmediateCommitTimestamp {
			t.Fatalf("%#v", g)
		}
	})
	t.Run("8.0", func(t *testing.T) {
		// transaction length 300 (fc 2c 01), server version 80032.
		g := roundTrip(t, nil, GTIDEvent, unhex(t, base+clock+ts+"fc2c01"+"a0380100")).(*GTID)
		if g.TransactionLength != 300 || g.ImmediateServerVersion != 80032 || g.OriginalServerVersion != 80032 ||
			g.HasOriginalServerVersion || g.HasCommitGroupTicket {
			t.Fatalf("%#v", g)
		}
	})
	t.Run("8.0-replica", func(t *testing.T) {
		// Both timestamps and both server versions (top bits set), and a
		// commit group ticket.
		b := base + clock + "e5d4c3b2a1d085" + "01020304050607" + "7b" + "a0380180" + "10390100" + "0900000000000000"
		g := roundTrip(t, nil, GTIDEvent, unhex(t, b)).(*GTID)
		if !g.HasOriginalCommitTimestamp || g.ImmediateCommitTimestamp != 0x0005d0a1b2c3d4e5 || g.OriginalCommitTimestamp != 0x07060504030201 ||
			g.TransactionLength != 123 || g.ImmediateServerVersion != 80032 || g.OriginalServerVersion != 80144 ||
			!g.HasCommitGroupTicket || g.CommitGroupTicket != 9 {
			t.Fatalf("%#v", g)
		}
	})
	t.Run("anonymous", func(t *testing.T) {
		b := "01" + strings.Repeat("00", 24) + clock
		g := roundTrip(t, nil, AnonymousGTIDEvent, unhex(t, b)).(*GTID)
		if !g.Anonymous() || g.String() != "ANONYMOUS" {
			t.Fatalf("%#v", g)
		}
	})
	t.Run("short", func(t *testing.T) {
		var g GTID
		for _, b := range []string{base[:48], base + "02" + "0500"} {
			if err := g.DecodeBody(DefaultFormat(), GTIDEvent, unhex(t, b)); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("%s: err %v", b, err)
			}
		}
	})
}

// TestGTIDFabricate builds bodies from plain structs.
func TestGTIDFabricate(t *testing.T) {
	g := &GTID{Type: GTIDEvent, GNO: 7, HasServerVersions: true, LogicalClockType: LogicalClockTypecode,
		ImmediateCommitTimestamp: 5, OriginalCommitTimestamp: 4, ImmediateServerVersion: 80400, TransactionLength: 1000}
	b, err := g.AppendBody(nil, DefaultFormat())
	if err != nil {
		t.Fatal(err)
	}
	var d GTID
	if err := d.DecodeBody(DefaultFormat(), GTIDEvent, b); err != nil {
		t.Fatal(err)
	}
	if d.GNO != 7 || d.OriginalCommitTimestamp != 4 || d.ImmediateCommitTimestamp != 5 || d.TransactionLength != 1000 || d.ImmediateServerVersion != 80400 {
		t.Fatalf("%#v", d)
	}
}

// TestGTIDTagged is TESTCASES.md #8 (tagged GTIDs, MySQL 8.3+: SET
// gtid_next='AUTOMATIC:tag'). There is no tagged event in the corpus; the
// vector is built by hand from mysql-server's source:
// libs/mysql/serialization (readme.md "Message format specification",
// variable_length_integers.h, serializer_default_impl.hpp
// encode_serializable_metadata/get_size_serializable) and
// libs/mysql/binlog/event/control_events.h Gtid_event::define_fields:
//
//	message  = varlen(format version 1) varlen(size) varlen(last non-ignorable id = 0) fields
//	size     = 1 + len(varlen(len(fields))) + 1 + len(fields)
//	field    = varlen(id) data; ids 0 flags, 1 uuid (16 varlen bytes), 2 gno
//	           (signed), 3 tag (varlen length + bytes), 4 last_committed
//	           (signed), 5 sequence_number (signed), 6 immediate ts, 7 original
//	           ts (only if different), 8 transaction length, 9 immediate server
//	           version, 10 original (only if different), 11 ticket (if set)
//	varlen   = count of bytes minus one as trailing one bits, a zero bit, the
//	           value little-endian in the rest; signed values zig-zag first.
func TestGTIDTagged(t *testing.T) {
	vec := "02 58 00" + // format 1, size 44, last non-ignorable 0
		"00 02" + // flags 1
		"02 22222222 4444 6666 8888 aaaaaaaaaaaa" + // SID 11111111-2222-3333-4444-555555555555
		"04 14" + // gno 5
		"06 08 61616161" + // tag "aaaa"
		"08 00" + // last_committed 0
		"0a 04" + // sequence_number 1
		"0c a10f" + // immediate_commit_timestamp 1000
		"10 2103" + // transaction_length 200
		"12 83d009" // immediate_server_version 80400
	g := roundTrip(t, nil, GTIDTaggedEvent, unhex(t, vec)).(*GTID)
	want := GTID{Type: GTIDTaggedEvent, Flags: 1, GNO: 5, Tag: []byte("aaaa"), SequenceNumber: 1,
		ImmediateCommitTimestamp: 1000, OriginalCommitTimestamp: 1000, TransactionLength: 200,
		ImmediateServerVersion: 80400, OriginalServerVersion: 80400}
	copy(want.SID[:], unhex(t, "11111111222233334444555555555555"))
	if !gtidEqual(g, &want) {
		t.Fatalf("got  %+v\nwant %+v", g, want)
	}
	if s := g.String(); s != "11111111-2222-3333-4444-555555555555:aaaa:5" {
		t.Fatalf("text %q", s)
	}
	// Built from the struct, the bytes are the same.
	b, err := want.AppendBody(nil, nil)
	if err != nil || !bytes.Equal(b, unhex(t, vec)) {
		t.Fatalf("fabricated %x, %v", b, err)
	}

	// All optional fields, SID bytes >= 0x80 (two varlen bytes each), large
	// and negative numbers.
	full := GTID{Type: GTIDTaggedEvent, Flags: 0, GNO: 1<<62 + 5, Tag: []byte("abc_1"),
		LastCommitted: -1, SequenceNumber: 1 << 40, ImmediateCommitTimestamp: 1<<63 + 1, OriginalCommitTimestamp: 12345,
		TransactionLength: 1 << 56, ImmediateServerVersion: 90100, OriginalServerVersion: 80036, CommitGroupTicket: 77}
	for i := range full.SID {
		full.SID[i] = byte(0x80 + i*7)
	}
	b, err = full.AppendBody(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := roundTrip(t, nil, GTIDTaggedEvent, b).(*GTID)
	full.HasOriginalCommitTimestamp, full.HasOriginalServerVersion, full.HasCommitGroupTicket = true, true, true
	if !gtidEqual(d, &full) {
		t.Fatalf("got  %+v\nwant %+v", d, full)
	}

	// Fields of a newer server after the known ones are kept.
	newer := append(bytes.Clone(unhex(t, vec)), 0x20, 0x06) // field 16 = 3
	newer[1] = byte(46 << 1)
	d = roundTrip(t, nil, GTIDTaggedEvent, newer).(*GTID)
	if !bytes.Equal(d.Extra, []byte{0x20, 0x06}) {
		t.Fatalf("extra %x", d.Extra)
	}

	bad := map[string]string{
		"empty":         "",
		"format 2":      "04 58 00",
		"size too big":  "02 ff 00",
		"non-ignorable": "02 06 40",
		"tag too long":  "02 4c 00 06 42" + strings.Repeat("61", 33),
		"trailing":      vec + "00",
		"flags > 255":   "02 0c 00 00 fd0701",
	}
	for name, v := range bad {
		var g GTID
		if err := g.DecodeBody(DefaultFormat(), GTIDTaggedEvent, unhex(t, v)); err == nil {
			t.Errorf("%s: decoded %+v", name, g)
		}
	}
}

func gtidEqual(a, b *GTID) bool {
	x, y := *a, *b
	if !bytes.Equal(x.Tag, y.Tag) || !bytes.Equal(x.Extra, y.Extra) {
		return false
	}
	x.Tag, y.Tag, x.Extra, y.Extra = nil, nil, nil, nil
	return reflect.DeepEqual(x, y)
}

func TestVarlen(t *testing.T) {
	// Examples of the serialization readme: 65535 is "00000111 11111111
	// 11111011" (big-endian), i.e. fb ff 07 in stream order.
	if got := appendVarlen(nil, 65535); !bytes.Equal(got, []byte{0xfb, 0xff, 0x07}) {
		t.Fatalf("65535: %x", got)
	}
	// Signed 65535 and -65535, -65536: "00001111 11111111 11110011",
	// "…11101011", "…11111011".
	for _, c := range []struct {
		v    int64
		want []byte
	}{{65535, []byte{0xf3, 0xff, 0x0f}}, {-65535, []byte{0xeb, 0xff, 0x0f}}, {-65536, []byte{0xfb, 0xff, 0x0f}}} {
		if got := appendVarlen(nil, zigzag(c.v)); !bytes.Equal(got, c.want) {
			t.Errorf("%d: %x, want %x", c.v, got, c.want)
		}
	}
	for _, v := range []uint64{0, 1, 127, 128, 1<<14 - 1, 1 << 14, 1<<56 - 1, 1 << 56, 1<<63 + 3, ^uint64(0)} {
		b := appendVarlen(nil, v)
		got, n, ok := readVarlen(b)
		if !ok || n != len(b) || got != v || n != gtidVarlenSize(v) {
			t.Errorf("%d: %x -> %d %d %v", v, b, got, n, ok)
		}
	}
	for _, v := range []int64{0, -1, 1, -1 << 63, 1<<63 - 1} {
		if unzigzag(zigzag(v)) != v {
			t.Errorf("zigzag %d", v)
		}
	}
}

// TestPreviousGTIDsTagged is TESTCASES.md #8 (tagged PREVIOUS_GTIDS): the
// set uuid:1-4:aaaa:1:abc:1-3 in the tagged format of mysql-server's
// Gtid_set::encode (sql/rpl_gtid_set.cc): n_sids with the format (1) in its
// first and last byte, and each UUID followed by its tag (varlen length +
// bytes, empty for untagged).
func TestPreviousGTIDsTagged(t *testing.T) {
	u := "3e11fa4771ca11e19e33c80aa9429562"
	vec := "01 030000000000 01" +
		u + "00" + "0100000000000000" + "0100000000000000" + "0500000000000000" +
		u + "08 61616161" + "0100000000000000" + "0100000000000000" + "0200000000000000" +
		u + "06 616263" + "0100000000000000" + "0100000000000000" + "0400000000000000"
	p := roundTrip(t, nil, PreviousGTIDsEvent, unhex(t, vec)).(*PreviousGTIDs)
	if !p.Tagged || p.NSIDs != 3 {
		t.Fatalf("%+v", p)
	}
	if s := p.String(); s != "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-4:aaaa:1:abc:1-3" {
		t.Fatalf("text %q", s)
	}
	var n int
	for iv := range p.Intervals() {
		n++
		if n == 3 && (string(iv.Tag) != "abc" || iv.Start != 1 || iv.End != 4) {
			t.Fatalf("%+v", iv)
		}
	}
	if n != 3 {
		t.Fatalf("%d intervals", n)
	}

	for name, v := range map[string]string{
		"format 2":        "02 030000000000 02",
		"first byte":      "00 030000000000 01",
		"count too big":   "0500000000000000",
		"out of order":    "0100000000000000" + u + "0200000000000000" + "0300000000000000" + "0400000000000000" + "0200000000000000" + "0500000000000000",
		"empty interval":  "0100000000000000" + u + "0100000000000000" + "0300000000000000" + "0300000000000000",
		"trailing":        "0000000000000000 00",
		"bad tag length":  "01 010000000000 01" + u + "ff",
		"too long tag":    "01 010000000000 01" + u + "42" + strings.Repeat("61", 33) + "0000000000000000",
		"intervals short": "0100000000000000" + u + "0200000000000000" + "0100000000000000" + "0200000000000000",
	} {
		var p PreviousGTIDs
		if err := p.DecodeBody(DefaultFormat(), PreviousGTIDsEvent, unhex(t, v)); err == nil {
			t.Errorf("%s: decoded %+v", name, p)
		}
	}
}

func TestPreviousGTIDsAllocs(t *testing.T) {
	vec := unhex(t, "0200000000000000"+testSID+"0200000000000000"+"0100000000000000"+"0300000000000000"+
		"0500000000000000"+"0a00000000000000"+"11111111111111111111111111111111"+"0100000000000000"+"0700000000000000"+"0800000000000000")
	p := roundTrip(t, nil, PreviousGTIDsEvent, vec).(*PreviousGTIDs)
	want := "006c2cf2-b1ea-11e4-9057-8c705a3d3e78:1-2:5-9,11111111-1111-1111-1111-111111111111:7"
	if s := p.String(); s != want {
		t.Fatalf("text %q", s)
	}
	buf := make([]byte, 0, 256)
	var d Decoder
	var g GTID
	gb := unhex(t, "01"+testSID+"0300000000000000")
	allocs := testing.AllocsPerRun(100, func() {
		body, err := d.Decode(DefaultFormat(), PreviousGTIDsEvent, vec)
		if err != nil {
			t.Fatal(err)
		}
		buf = body.(*PreviousGTIDs).AppendText(buf[:0])
		for iv := range body.(*PreviousGTIDs).Intervals() {
			_ = iv
		}
		if err := g.DecodeBody(DefaultFormat(), GTIDEvent, gb); err != nil {
			t.Fatal(err)
		}
		buf = g.AppendText(buf[:0])
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per run", allocs)
	}
}

// mariadbBinlogOutput returns the text mariadb-binlog printed for a corpus
// file, skipping when absent.
func mariadbBinlogOutput(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedCorpus, "mariadb-binlog-output", file+".mariadb-binlog.txt"))
	if err != nil {
		t.Skipf("no mariadb-binlog output for %s: %v", file, err)
	}
	return string(b)
}

// corpusEvents returns the events of one corpus file, skipping when absent.
func corpusEvents(t *testing.T, file string) []corpusEvent {
	t.Helper()
	var evs []corpusEvent
	walkCorpus(t, func(ev corpusEvent) {
		if ev.File == file {
			evs = append(evs, ev)
		}
	})
	if len(evs) == 0 {
		t.Skipf("corpus file %s absent", file)
	}
	return evs
}

// TestCorpusGTIDValues checks decoded MySQL GTIDs against the corpus: the
// events sit where mariadb-binlog saw them ("# at N" then "Ignorable event
// type 33/34"), and carry the transactions of the file.
func TestCorpusGTIDValues(t *testing.T) {
	cases := []struct {
		file string
		want []string
	}{
		{"binlog_transaction_with_GTID.000001", []string{"006c2cf2-b1ea-11e4-9057-8c705a3d3e78:1", "006c2cf2-b1ea-11e4-9057-8c705a3d3e78:2", "006c2cf2-b1ea-11e4-9057-8c705a3d3e78:3"}},
		{"binlog_56_gtid_reserved_word.000001", []string{"11111111-1111-1111-1111-111111111111:1", "11111111-1111-1111-1111-111111111111:2",
			"11111111-1111-1111-1111-111111111111:3", "11111111-1111-1111-1111-111111111111:4", "11111111-1111-1111-1111-111111111111:5", "11111111-1111-1111-1111-111111111111:6"}},
		{"binlog_transaction_with_anonymous_GTID.000001", []string{"ANONYMOUS", "ANONYMOUS"}},
	}
	at := regexp.MustCompile(`# at (\d+)\n[^\n]*\n# Ignorable event type 3[34] `)
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			out := mariadbBinlogOutput(t, c.file)
			var wantPos []int
			for _, m := range at.FindAllStringSubmatch(out, -1) {
				p, _ := strconv.Atoi(m[1])
				wantPos = append(wantPos, p)
			}
			var got []string
			var gotPos []int
			var lastSeq int64
			for _, ev := range corpusEvents(t, c.file) {
				if ev.Header.Type != GTIDEvent && ev.Header.Type != AnonymousGTIDEvent {
					continue
				}
				var g GTID
				if err := g.DecodeBody(ev.Format, ev.Header.Type, ev.Body); err != nil {
					t.Fatal(err)
				}
				got = append(got, g.String())
				gotPos = append(gotPos, ev.Pos)
				if g.HasLogicalClock {
					if g.SequenceNumber <= lastSeq || g.LastCommitted >= g.SequenceNumber {
						t.Errorf("@%d: logical clock %d/%d after %d", ev.Pos, g.LastCommitted, g.SequenceNumber, lastSeq)
					}
					lastSeq = g.SequenceNumber
				}
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("GTIDs %q, want %q", got, c.want)
			}
			if len(gotPos) != len(wantPos) {
				t.Fatalf("positions %v, mariadb-binlog %v", gotPos, wantPos)
			}
			for i := range gotPos {
				if gotPos[i] != wantPos[i] {
					t.Errorf("positions %v, mariadb-binlog %v", gotPos, wantPos)
					break
				}
			}
		})
	}
	t.Run("previous-gtids", func(t *testing.T) {
		for _, ev := range corpusEvents(t, "binlog_transaction_previous_GTID_no_tag.000001") {
			if ev.Header.Type != PreviousGTIDsEvent {
				continue
			}
			var p PreviousGTIDs
			if err := p.DecodeBody(ev.Format, ev.Header.Type, ev.Body); err != nil {
				t.Fatal(err)
			}
			if s := p.String(); s != "b9b88c66-0755-11f1-9899-4a9da94c4d71:1-2" {
				t.Fatalf("text %q", s)
			}
			return
		}
		t.Fatal("no PREVIOUS_GTIDS")
	})
}

// TestGTIDTaggedSizeEdge covers messages whose field bytes are 125 to 127
// long: MySQL's size (get_size_serializable) counts the size field as long as
// the field bytes' size would need (1 byte), while the total (128 or more)
// needs 2, so the size written is one less than the message. Encoding follows
// MySQL; decoding reads every field regardless, so such bodies round-trip.
func TestGTIDTaggedSizeEdge(t *testing.T) {
	seen := 0
	for tl := 0; tl <= 32; tl++ {
		g := GTID{Type: GTIDTaggedEvent, GNO: 1 << 62, Tag: bytes.Repeat([]byte("t"), tl),
			LastCommitted: 1 << 60, SequenceNumber: 1 << 61, ImmediateCommitTimestamp: 1 << 62, OriginalCommitTimestamp: 1<<62 + 1,
			TransactionLength: 1 << 40, ImmediateServerVersion: 1 << 31, OriginalServerVersion: 1<<31 + 1, CommitGroupTicket: 1 << 62}
		for i := range g.SID {
			g.SID[i] = 0xff
		}
		b, err := g.AppendBody(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		size, n, _ := readVarlen(b[1:])
		fields := len(b) - 1 - n - 1
		want := uint64(len(b))
		if fields >= 125 && fields <= 127 {
			seen++
			want--
		}
		if size != want {
			t.Errorf("tag %d: size %d for a %d-byte message with %d field bytes", tl, size, len(b), fields)
		}
		d := roundTrip(t, nil, GTIDTaggedEvent, b).(*GTID)
		if d.CommitGroupTicket != g.CommitGroupTicket || !bytes.Equal(d.Tag, g.Tag) {
			t.Fatalf("tag %d: %#v", tl, d)
		}
	}
	if seen != 3 {
		t.Errorf("%d messages at the edge, want 3", seen)
	}
}
