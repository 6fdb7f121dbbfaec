package event

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/binlogkit/binlogkit/internal/bin"
)

func TestRotate(t *testing.T) {
	body := append(bin.AppendU64(nil, 4), "mysql-bin.000002"...)
	r := roundTrip(t, DefaultFormat(), RotateEvent, body).(*Rotate)
	if r.Position != 4 || string(r.NextFile) != "mysql-bin.000002" {
		t.Fatalf("%+v", r)
	}
	if err := new(Rotate).DecodeBody(DefaultFormat(), RotateEvent, []byte{1, 2}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("short: %v", err)
	}
	// bug33029-slave-relay-bin.000001: "Rotate to master-bin.000001  pos: 4".
	ev := corpusFind(t, "bug33029-slave-relay-bin.000001", RotateEvent, 0)
	if err := r.DecodeBody(ev.Format, RotateEvent, ev.Body); err != nil {
		t.Fatal(err)
	}
	if r.Position != 4 || string(r.NextFile) != "master-bin.000001" {
		t.Fatalf("%+v", r)
	}
}

func TestXID(t *testing.T) {
	x := roundTrip(t, DefaultFormat(), XIDEvent, []byte{10, 0, 0, 0, 0, 0, 0, 0}).(*XID)
	if x.XID != 10 {
		t.Fatal(x.XID)
	}
	// ver_5_1-wl2325_r.001: the XID event of size 0x26 must be corrupt.
	n := 0
	walkCorpus(t, func(ev corpusEvent) {
		if ev.File == "ver_5_1-wl2325_r.001" && ev.Header.Type == XIDEvent && ev.Header.EventSize == 0x26 {
			n++
			if err := new(XID).DecodeBody(ev.Format, XIDEvent, ev.Body); !errors.Is(err, ErrCorrupt) {
				t.Errorf("@%d: got %v, want ErrCorrupt", ev.Pos, err)
			}
		}
	})
	if n == 0 {
		t.Skip("broken XID not found in the corpus")
	}
	// bug11747887-bin.000003 "Xid = 10".
	ev := corpusFind(t, "bug11747887-bin.000003", XIDEvent, 0)
	if err := x.DecodeBody(ev.Format, XIDEvent, ev.Body); err != nil || x.XID != 10 {
		t.Fatalf("%v %d", err, x.XID)
	}
}

// TESTCASES.md #7: INTVAR, RAND, INCIDENT, XA_PREPARE.
func TestIntvarRandIncidentXAPrepare(t *testing.T) {
	iv := roundTrip(t, DefaultFormat(), IntvarEvent, bin.AppendU64([]byte{2}, 539886539)).(*Intvar)
	if iv.Kind != IntvarInsertID || iv.Value != 539886539 || iv.Kind.String() != "INSERT_ID" {
		t.Fatalf("%+v", iv)
	}
	rd := roundTrip(t, DefaultFormat(), RandEvent, append(bin.AppendU64(nil, 206881985), bin.AppendU64(nil, 103665823)...)).(*Rand)
	if rd.Seed1 != 206881985 || rd.Seed2 != 103665823 {
		t.Fatalf("%+v", rd)
	}
	in := roundTrip(t, DefaultFormat(), IncidentEvent, append([]byte{1, 0, 11}, "LOST_EVENTS"...)).(*Incident)
	if in.Number != IncidentLostEvents || string(in.Message) != "LOST_EVENTS" || !in.HasMessage {
		t.Fatalf("%+v", in)
	}
	roundTrip(t, DefaultFormat(), IncidentEvent, []byte{1, 0})
	xa := []byte{0, 1, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 'a', 'b', 'c', 'x', 'y'}
	xp := roundTrip(t, DefaultFormat(), XAPrepareEvent, xa).(*XAPrepare)
	if xp.OnePhase || xp.FormatID != 1 || string(xp.GTRID) != "abc" || string(xp.BQUAL) != "xy" {
		t.Fatalf("%+v", xp)
	}
	for name, c := range map[Type][]byte{
		IntvarEvent:    {2, 0, 0},
		RandEvent:      make([]byte, 15),
		IncidentEvent:  {1, 0, 5, 'a'},
		XAPrepareEvent: {0, 1, 0, 0, 0, 65, 0, 0, 0, 0, 0, 0, 0},
		StopEvent:      {0},
	} {
		if err := NewBody(name).DecodeBody(DefaultFormat(), name, c); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%v: got %v, want ErrCorrupt", name, err)
		}
	}
	// ver_5_1_23.001: "SET @@RAND_SEED1=206881985, @@RAND_SEED2=103665823",
	// "SET LAST_INSERT_ID=0"; bug33029: "SET INSERT_ID=1".
	ev := corpusFind(t, "ver_5_1_23.001", RandEvent, 0)
	if err := rd.DecodeBody(ev.Format, RandEvent, ev.Body); err != nil || rd.Seed1 != 206881985 || rd.Seed2 != 103665823 {
		t.Fatalf("%v %+v", err, rd)
	}
	ev = corpusFind(t, "ver_5_1_23.001", IntvarEvent, 0)
	if err := iv.DecodeBody(ev.Format, IntvarEvent, ev.Body); err != nil || iv.Kind != IntvarLastInsertID || iv.Value != 0 {
		t.Fatalf("%v %+v", err, iv)
	}
	ev = corpusFind(t, "bug33029-slave-relay-bin.000001", IntvarEvent, 0)
	if err := iv.DecodeBody(ev.Format, IntvarEvent, ev.Body); err != nil || iv.Kind != IntvarInsertID || iv.Value != 1 {
		t.Fatalf("%v %+v", err, iv)
	}
	// bug40482-bin.000001 holds an incident with an unknown number (66) and
	// an empty message, which mariadb-binlog rejects.
	ev = corpusFind(t, "bug40482-bin.000001", IncidentEvent, 0)
	if err := in.DecodeBody(ev.Format, IncidentEvent, ev.Body); err != nil || in.Number != 66 || !in.HasMessage || len(in.Message) != 0 {
		t.Fatalf("%v %+v", err, in)
	}
}

// TESTCASES.md #7: USER_VAR with and without the trailing flags byte.
func TestUserVar(t *testing.T) {
	intVal := func(flags ...byte) []byte {
		b := []byte{1, 0, 0, 0, 'x', 0, byte(UserVarInt), 63, 0, 0, 0, 8, 0, 0, 0}
		b = append(b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
		return append(b, flags...)
	}
	without := roundTrip(t, DefaultFormat(), UserVarEvent, intVal()).(*UserVar)
	if without.HasFlags || without.Unsigned() {
		t.Fatalf("%+v", without)
	}
	with := roundTrip(t, DefaultFormat(), UserVarEvent, intVal(UserVarUnsigned)).(*UserVar)
	if v, ok := with.Int(); !ok || !with.HasFlags || !with.Unsigned() || v != math.MaxUint64 {
		t.Fatalf("%+v", with)
	}
	null := roundTrip(t, DefaultFormat(), UserVarEvent, []byte{1, 0, 0, 0, '2', 1}).(*UserVar)
	if !null.IsNull || string(null.Name) != "2" {
		t.Fatalf("%+v", null)
	}
	real := append([]byte{1, 0, 0, 0, 'r', 0, byte(UserVarReal), 63, 0, 0, 0, 8, 0, 0, 0}, bin.AppendU64(nil, math.Float64bits(1.5))...)
	if v, ok := roundTrip(t, DefaultFormat(), UserVarEvent, real).(*UserVar).Real(); !ok || v != 1.5 {
		t.Fatal(v)
	}
	dec := []byte{1, 0, 0, 0, 'd', 0, byte(UserVarDecimal), 63, 0, 0, 0, 5, 0, 0, 0, 4, 1, 0x80, 0x7b, 0x04, 0}
	p, s, digits, ok := roundTrip(t, DefaultFormat(), UserVarEvent, dec).(*UserVar).Decimal()
	if !ok || p != 4 || s != 1 || !bytes.Equal(digits, []byte{0x80, 0x7b, 0x04}) {
		t.Fatal(p, s, digits)
	}
	str := []byte{1, 0, 0, 0, 's', 0, 0, 33, 0, 0, 0, 2, 0, 0, 0, 'h', 'i', 0}
	sv := roundTrip(t, DefaultFormat(), UserVarEvent, str).(*UserVar)
	if sv.Type != UserVarString || sv.Charset != 33 || string(sv.Value) != "hi" || !sv.HasFlags {
		t.Fatalf("%+v", sv)
	}
	for _, c := range [][]byte{{9, 0, 0, 0, 'x'}, {1, 0, 0, 0, 'x', 0, 2, 0, 0, 0, 0, 9, 0, 0, 0, 1}, append(intVal(0), 0), {1, 0, 0, 0, 'x', 1, 0}} {
		if err := new(UserVar).DecodeBody(DefaultFormat(), UserVarEvent, c); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%x: got %v", c, err)
		}
	}
	// bug11747887-bin.000003: "SET @`2`:=NULL".
	ev := corpusFind(t, "bug11747887-bin.000003", UserVarEvent, 0)
	var u UserVar
	if err := u.DecodeBody(ev.Format, UserVarEvent, ev.Body); err != nil || !u.IsNull || string(u.Name) != "2" {
		t.Fatalf("%v %+v", err, u)
	}
	// ver_5_1_23.001: "SET @`x`:=4" (no flags byte: 5.1).
	ev = corpusFind(t, "ver_5_1_23.001", UserVarEvent, 0)
	if err := u.DecodeBody(ev.Format, UserVarEvent, ev.Body); err != nil {
		t.Fatal(err)
	}
	if v, ok := u.Int(); !ok || v != 4 || string(u.Name) != "x" || u.HasFlags {
		t.Fatalf("%+v", u)
	}
}

// TESTCASES.md #7: HEARTBEAT v2 with a log position above 4 GiB.
func TestHeartbeat(t *testing.T) {
	h := roundTrip(t, DefaultFormat(), HeartbeatEvent, []byte("binlog.000007")).(*Heartbeat)
	if pos, f := h.MariaDBPosition(Header{LogPos: 1234}); pos != 1234 || string(f) != "binlog.000007" {
		t.Fatal(pos, f)
	}
	long := append(bin.AppendU64(nil, 5<<30), "mariadb-bin.000009"...)
	h = roundTrip(t, DefaultFormat(), HeartbeatEvent, long).(*Heartbeat)
	if pos, f := h.MariaDBPosition(Header{}); pos != 5<<30 || string(f) != "mariadb-bin.000009" {
		t.Fatal(pos, f)
	}

	v2 := &HeartbeatV2{LogFile: []byte("binlog.000041"), HasLogFile: true, Position: 5 << 30, HasPosition: true}
	enc, err := v2.AppendBody(nil, DefaultFormat())
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte{1, 13}, "binlog.000041"...)
	want = append(want, 2, 9, 0xfe, 0, 0, 0, 0x40, 1, 0, 0, 0, 0)
	if !bytes.Equal(enc, want) {
		t.Fatalf("encoded %x\n   want %x", enc, want)
	}
	back := roundTrip(t, DefaultFormat(), HeartbeatEventV2, enc).(*HeartbeatV2)
	if back.Position != 5<<30 || string(back.LogFile) != "binlog.000041" {
		t.Fatalf("%+v", back)
	}
	// Non-canonical forms and unknown fields survive a round trip.
	odd := []byte{2, 3, 0xfc, 4, 0, 7, 1, 'z', 1, 2, 'f', '1', 0}
	o := roundTrip(t, DefaultFormat(), HeartbeatEventV2, odd).(*HeartbeatV2)
	if o.Position != 4 || string(o.LogFile) != "f1" || !bytes.Equal(o.Unknown, []byte{7, 1, 'z'}) {
		t.Fatalf("%+v", o)
	}
	for _, c := range [][]byte{{1, 5, 'a'}, {2, 1, 0xfe}, {0xfb}} {
		if err := new(HeartbeatV2).DecodeBody(DefaultFormat(), HeartbeatEventV2, c); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%x: %v", c, err)
		}
	}
}

func TestIgnorableRowsQuery(t *testing.T) {
	ig := roundTrip(t, DefaultFormat(), IgnorableEvent, []byte{1, 2, 3}).(*Ignorable)
	if !bytes.Equal(ig.Data, []byte{1, 2, 3}) {
		t.Fatal(ig.Data)
	}
	// The length byte is the length modulo 256; any value is kept.
	text := bytes.Repeat([]byte("a"), 300)
	rq := roundTrip(t, DefaultFormat(), RowsQueryEvent, append([]byte{44}, text...)).(*RowsQuery)
	if rq.LengthByte != 44 || !bytes.Equal(rq.Query, text) {
		t.Fatalf("%+v", rq)
	}
	if err := new(RowsQuery).DecodeBody(DefaultFormat(), RowsQueryEvent, nil); !errors.Is(err, ErrCorrupt) {
		t.Fatal(err)
	}
}

func TestTransactionContextViewChange(t *testing.T) {
	tc := &TransactionContext{
		ServerUUID: []byte("3E11FA47-71CA-11E1-9E33-C80AA9429562"), ThreadID: 9, GTIDSpecified: true,
		SnapshotVersion: []byte{1, 2, 3},
		WriteSetCount:   2, WriteSet: []byte{1, 0, 'a', 2, 0, 'b', 'c'},
		ReadSetCount: 0,
	}
	enc, err := tc.AppendBody(nil, DefaultFormat())
	if err != nil {
		t.Fatal(err)
	}
	back := roundTrip(t, DefaultFormat(), TransactionContextEvent, enc).(*TransactionContext)
	var items []string
	for it, err := range Items(back.WriteSet) {
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, string(it))
	}
	if back.ThreadID != 9 || !back.GTIDSpecified || len(items) != 2 || items[1] != "bc" || string(back.ServerUUID) != string(tc.ServerUUID) {
		t.Fatalf("%+v %q", back, items)
	}
	if err := new(TransactionContext).DecodeBody(DefaultFormat(), TransactionContextEvent, enc[:len(enc)-1]); !errors.Is(err, ErrCorrupt) {
		t.Fatal(err)
	}

	vc := &ViewChange{ViewID: []byte("15012:2"), SeqNumber: 77, CertInfoCount: 1, CertInfo: []byte{1, 0, 'k', 2, 0, 0, 0, 'v', 'w'}}
	enc, err = vc.AppendBody(nil, DefaultFormat())
	if err != nil {
		t.Fatal(err)
	}
	vb := roundTrip(t, DefaultFormat(), ViewChangeEvent, enc).(*ViewChange)
	for e, err := range vb.CertInfoEntries() {
		if err != nil || string(e.Key) != "k" || string(e.Value) != "vw" {
			t.Fatal(e, err)
		}
	}
	if vb.SeqNumber != 77 || !bytes.HasPrefix(vb.ViewID, []byte("15012:2\x00")) {
		t.Fatalf("%+v", vb)
	}
	if err := new(ViewChange).DecodeBody(DefaultFormat(), ViewChangeEvent, enc[:len(enc)-1]); !errors.Is(err, ErrCorrupt) {
		t.Fatal(err)
	}
}

// TestMalformedLists checks that the iterators over item lists and
// certification entries report a list cut inside an item instead of
// stopping as if it had ended.
func TestMalformedLists(t *testing.T) {
	for _, c := range []struct {
		list []byte
		want []string
	}{
		{[]byte{1, 0, 'a', 2, 0, 'b'}, []string{"a"}},
		{[]byte{1, 0, 'a', 2}, []string{"a"}},
		{[]byte{9, 0}, nil},
	} {
		var got []string
		var errs int
		for it, err := range Items(c.list) {
			if err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Errorf("%v: %v does not wrap ErrCorrupt", c.list, err)
				}
				errs++
				continue
			}
			got = append(got, string(it))
		}
		if errs != 1 || !slices.Equal(got, c.want) {
			t.Errorf("Items(%v) = %q with %d errors, want %q and 1 error", c.list, got, errs, c.want)
		}
	}
	vc := &ViewChange{CertInfo: []byte{1, 0, 'k', 1, 0, 0, 0, 'v', 1, 0, 'k', 9, 0, 0, 0, 'v'}}
	var n, errs int
	for _, err := range vc.CertInfoEntries() {
		if err != nil {
			errs++
		} else {
			n++
		}
	}
	if n != 1 || errs != 1 {
		t.Errorf("CertInfoEntries: %d entries and %d errors, want 1 and 1", n, errs)
	}
}

func TestMiscDecodeAllocs(t *testing.T) {
	var d Decoder
	f := DefaultFormat()
	bodies := map[Type][]byte{
		XIDEvent:         make([]byte, 8),
		RotateEvent:      append(make([]byte, 8), "b.000001"...),
		UserVarEvent:     []byte{1, 0, 0, 0, 'x', 1},
		HeartbeatEventV2: {1, 1, 'f', 2, 1, 4, 0},
	}
	if n := testing.AllocsPerRun(50, func() {
		for typ, b := range bodies {
			if _, err := d.Decode(f, typ, b); err != nil {
				t.Fatal(err)
			}
		}
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
