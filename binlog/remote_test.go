package binlog

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mysqlproto"
)

// A minimal in-process primary: handshake (any password), the set-up
// queries, COM_REGISTER_SLAVE, then COM_BINLOG_DUMP handed to a test
// function per connection.

type dumpReq struct {
	file     string
	pos      uint64
	flags    uint16
	queries  []string
	gtidData []byte
}

type fakePrimary struct {
	ln    net.Listener
	mu    sync.Mutex
	dumps []dumpReq
	errc  chan error
	dump  func(n int, pc *mysqlproto.PacketConn, req dumpReq) error
	// authErr, when set, refuses logins.
	authErr bool
	version string
}

func startPrimary(t *testing.T, dump func(n int, pc *mysqlproto.PacketConn, req dumpReq) error, opts ...func(*fakePrimary)) *fakePrimary {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fp := &fakePrimary{ln: ln, dump: dump, errc: make(chan error, 16), version: "5.5.5-10.11.6-MariaDB-fake"}
	for _, o := range opts {
		o(fp)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		defer wg.Wait()
		for n := 0; ; n++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.SetDeadline(time.Now().Add(20 * time.Second))
				if err := fp.serve(n, mysqlproto.NewPacketConn(c)); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
					fp.errc <- err
				}
				c.Close()
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		close(fp.errc)
		for err := range fp.errc {
			t.Errorf("fake primary: %v", err)
		}
	})
	return fp
}

func (fp *fakePrimary) dsn() string { return "repl:pw@tcp(" + fp.ln.Addr().String() + ")/" }

func (fp *fakePrimary) requests() []dumpReq {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	return append([]dumpReq(nil), fp.dumps...)
}

const fakePrimaryCaps = mysqlproto.ClientLongPassword | mysqlproto.ClientLongFlag | mysqlproto.ClientConnectWithDB |
	mysqlproto.ClientProtocol41 | mysqlproto.ClientTransactions | mysqlproto.ClientSecureConnection |
	mysqlproto.ClientPluginAuth | mysqlproto.ClientPluginAuthLenEncClientData

func (fp *fakePrimary) serve(n int, pc *mysqlproto.PacketConn) error {
	caps := fakePrimaryCaps
	b := []byte{10}
	b = append(b, fp.version...)
	b = append(b, 0)
	b = append(b, 42, 0, 0, 0)
	b = append(b, "abcdefgh"...)
	b = append(b, 0, byte(caps), byte(caps>>8), 45, 2, 0, byte(caps>>16), byte(caps>>24), 21)
	b = append(b, make([]byte, 10)...)
	b = append(b, "ijklmnopqrst"...)
	b = append(b, 0)
	b = append(b, "mysql_native_password\x00"...)
	if err := pc.WritePacket(b); err != nil {
		return err
	}
	if _, err := pc.ReadPacket(); err != nil {
		return err
	}
	if fp.authErr {
		return pc.WritePacket(mysqlproto.AppendError(nil, 1045, "28000", "Access denied for user 'repl'"))
	}
	ok := []byte{0, 0, 0, 2, 0, 0, 0}
	if err := pc.WritePacket(ok); err != nil {
		return err
	}
	var req dumpReq
	for {
		pc.Seq = 0
		pkt, err := pc.ReadPacket()
		if err != nil {
			return err
		}
		switch pkt[0] {
		case mysqlproto.ComQuit:
			return nil
		case mysqlproto.ComQuery:
			q := string(pkt[1:])
			req.queries = append(req.queries, q)
			switch q {
			case "SELECT @@global.binlog_checksum":
				err = writeResult(pc, "@@global.binlog_checksum", "CRC32")
			case "SHOW BINARY LOGS":
				err = writeResult(pc, "Log_name", "bin.000001")
			default:
				err = pc.WritePacket(ok)
			}
		case mysqlproto.ComRegisterSlave:
			err = pc.WritePacket(ok)
		case mysqlproto.ComBinlogDumpGTID:
			// flags 2, server id 4, name length 4, name, pos 8, data length 4, data
			req.flags = uint16(pkt[1]) | uint16(pkt[2])<<8
			nl := int(pkt[7]) | int(pkt[8])<<8
			rest := pkt[11+nl+8:]
			dl := int(rest[0]) | int(rest[1])<<8 | int(rest[2])<<16 | int(rest[3])<<24
			req.gtidData = append([]byte(nil), rest[4:4+dl]...)
			fp.mu.Lock()
			fp.dumps = append(fp.dumps, req)
			fp.mu.Unlock()
			return fp.dump(n, pc, req)
		case mysqlproto.ComBinlogDump:
			req.pos = uint64(pkt[1]) | uint64(pkt[2])<<8 | uint64(pkt[3])<<16 | uint64(pkt[4])<<24
			req.flags = uint16(pkt[5]) | uint16(pkt[6])<<8
			req.file = string(pkt[11:])
			fp.mu.Lock()
			fp.dumps = append(fp.dumps, req)
			fp.mu.Unlock()
			return fp.dump(n, pc, req)
		default:
			return fmt.Errorf("unexpected command 0x%02x", pkt[0])
		}
		if err != nil {
			return err
		}
	}
}

func writeResult(pc *mysqlproto.PacketConn, col, val string) error {
	pc.WritePacket([]byte{1})
	def := mysqlproto.AppendLenEncString(nil, "def")
	for _, s := range []string{"", "", "", col, col} {
		def = mysqlproto.AppendLenEncString(def, s)
	}
	def = append(def, 0x0c, 45, 0, 0, 1, 0, 0, 0xfd, 0, 0, 0, 0, 0)
	pc.WritePacket(def)
	pc.WritePacket([]byte{0xfe, 0, 0, 2, 0})
	pc.WritePacket(mysqlproto.AppendLenEncString(nil, val))
	return pc.WritePacket([]byte{0xfe, 0, 0, 2, 0})
}

// fabricated binlog file bin.000001: events with positions and checksums.
type fakeFile struct {
	fd  *event.FormatDescription
	pos uint64
	evs [][]byte
	at  []uint64 // offset of each event
}

func newFakeFile(t *testing.T) *fakeFile {
	f := &fakeFile{fd: event.NewFormatDescription("10.11.6-MariaDB-log", event.ChecksumCRC32), pos: 4}
	f.add(t, f.fd, 0)
	return f
}

func (f *fakeFile) add(t *testing.T, b event.Body, flags uint16) []byte {
	t.Helper()
	raw, err := event.Append(nil, event.Header{Timestamp: 1700000000, Type: b.EventType(), ServerID: 1, Flags: flags}, b, f.fd)
	if err != nil {
		t.Fatal(err)
	}
	f.at = append(f.at, f.pos)
	f.pos += uint64(len(raw))
	setLogPos(raw, uint32(f.pos))
	f.evs = append(f.evs, raw)
	return raw
}

func setLogPos(raw []byte, lp uint32) {
	raw[13], raw[14], raw[15], raw[16] = byte(lp), byte(lp>>8), byte(lp>>16), byte(lp>>24)
	n := len(raw) - 4
	c := event.Checksum(raw[:n])
	raw[n], raw[n+1], raw[n+2], raw[n+3] = byte(c), byte(c>>8), byte(c>>16), byte(c>>24)
}

// tx adds a MariaDB transaction: GTID, a statement, XID.
func (f *fakeFile) tx(t *testing.T, seq uint64) {
	f.add(t, &event.MariaGTID{SeqNo: seq}, 0)
	f.add(t, &event.Query{Schema: []byte("d"), Query: []byte(fmt.Sprintf("INSERT INTO t VALUES (%d)", seq))}, 0)
	f.add(t, &event.XID{XID: seq}, 0)
}

// artificial returns the ROTATE and FDE a dump at pos starts with.
func (f *fakeFile) artificial(t *testing.T, pos uint64) [][]byte {
	rot, err := event.Append(nil, event.Header{Type: event.RotateEvent, ServerID: 1, Flags: event.FlagArtificial},
		&event.Rotate{Position: pos, NextFile: []byte("bin.000001")}, f.fd)
	if err != nil {
		t.Fatal(err)
	}
	fde := append([]byte(nil), f.evs[0]...)
	if pos > 4 {
		setLogPos(fde, 0)
	}
	return [][]byte{rot, fde}
}

// from returns the events starting at pos.
func (f *fakeFile) from(pos uint64) [][]byte {
	for i, at := range f.at {
		if at == pos {
			return f.evs[i:]
		}
	}
	return nil
}

func sendEvent(pc *mysqlproto.PacketConn, raw []byte, semi, needACK bool) error {
	b := []byte{0}
	if semi {
		flag := byte(0)
		if needACK {
			flag = mysqlproto.SemiSyncNeedACK
		}
		b = append(b, mysqlproto.SemiSyncIndicator, flag)
	}
	return pc.WritePacket(append(b, raw...))
}

func readRemote(t *testing.T, src *RemoteSource) (evs [][]byte, pos []uint64, err error) {
	ctx := context.Background()
	for {
		raw, err := src.ReadEvent(ctx)
		if err != nil {
			return evs, pos, err
		}
		evs = append(evs, append([]byte(nil), raw...))
		_, p := src.Position()
		pos = append(pos, p)
	}
}

// TestDialReconnectResume drops the connection in the middle of a
// transaction: the new dump asks for the end of the last complete one, the
// interrupted transaction is delivered again whole, and the checkpoint
// ends after it.
func TestDialReconnectResume(t *testing.T) {
	f := newFakeFile(t)
	f.tx(t, 1)
	cut := f.pos
	f.tx(t, 2)
	f.tx(t, 3)
	fp := startPrimary(t, func(n int, pc *mysqlproto.PacketConn, req dumpReq) error {
		for _, ev := range f.artificial(t, req.pos) {
			sendEvent(pc, ev, false, false)
		}
		evs := f.from(req.pos)
		if n == 0 {
			// Half of transaction 2, then the connection drops.
			evs = f.from(4)[:len(f.from(4))-len(f.from(cut))+2]
			for _, ev := range evs {
				sendEvent(pc, ev, false, false)
			}
			return nil
		}
		for _, ev := range evs {
			sendEvent(pc, ev, false, false)
		}
		return pc.WritePacket([]byte{0xfe, 0, 0, 2, 0})
	})
	src, err := Dial(context.Background(), DialConfig{DSN: fp.dsn(), NonBlocking: true, RetryMinBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	evs, _, err := readRemote(t, src)
	if err != io.EOF {
		t.Fatal(err)
	}
	reqs := fp.requests()
	if len(reqs) != 2 || reqs[0].file != "bin.000001" || reqs[0].pos != 4 || reqs[1].file != "bin.000001" || reqs[1].pos != cut {
		t.Fatalf("dump requests %+v, want bin.000001:4 then bin.000001:%d", reqs, cut)
	}
	if src.Reconnects() != 1 {
		t.Errorf("%d reconnects", src.Reconnects())
	}
	// Through a Reader: transaction 2 once incomplete, then complete; 1
	// and 3 once.
	var types []string
	for _, ev := range evs {
		types = append(types, event.Type(ev[4]).String())
	}
	r := NewReader(&sliceSource{evs: evs})
	complete := map[uint64]int{}
	incomplete := 0
	for tx, err := range r.Transactions(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		for range tx.Events() {
		}
		if tx.HasGTID && tx.Complete {
			complete[tx.GTID.Seq]++
		} else if tx.HasGTID {
			incomplete++
		}
	}
	if complete[1] != 1 || complete[2] != 1 || complete[3] != 1 || incomplete != 1 {
		t.Errorf("complete %v, incomplete %d; events %s", complete, incomplete, strings.Join(types, " "))
	}
	cp := src.Checkpoint()
	if cp.File != "bin.000001" || cp.Pos != f.pos || cp.GTIDSet.String() != "0-1-3" {
		t.Errorf("checkpoint %+v, want bin.000001:%d 0-1-3", cp, f.pos)
	}
}

type sliceSource struct{ evs [][]byte }

func (s *sliceSource) ReadEvent(context.Context) ([]byte, error) {
	if len(s.evs) == 0 {
		return nil, io.EOF
	}
	b := s.evs[0]
	s.evs = s.evs[1:]
	return b, nil
}

// TestDialGTIDReconnect resumes a MariaDB GTID dump with the state after
// the last complete transaction.
func TestDialGTIDReconnect(t *testing.T) {
	f := newFakeFile(t)
	f.tx(t, 1)
	f.tx(t, 2)
	fp := startPrimary(t, func(n int, pc *mysqlproto.PacketConn, req dumpReq) error {
		for _, ev := range f.artificial(t, 4) {
			sendEvent(pc, ev, false, false)
		}
		evs := f.from(4)[1:]
		if n == 0 {
			evs = evs[:4] // transaction 1 and the GTID of 2
		}
		for _, ev := range evs {
			sendEvent(pc, ev, false, false)
		}
		if n == 0 {
			return nil
		}
		return pc.WritePacket([]byte{0xfe, 0, 0, 2, 0})
	})
	src, err := Dial(context.Background(), DialConfig{DSN: fp.dsn(), GTIDSet: mustSet(t, "0-1-0"), NonBlocking: true, RetryMinBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, _, err := readRemote(t, src); err != io.EOF {
		t.Fatal(err)
	}
	reqs := fp.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d dumps", len(reqs))
	}
	for i, want := range []string{"SET @slave_connect_state = '0-1-0'", "SET @slave_connect_state = '0-1-1'"} {
		found := false
		for _, q := range reqs[i].queries {
			found = found || q == want
		}
		if !found || reqs[i].file != "" {
			t.Errorf("dump %d: queries %q file %q, want %q and no file", i, reqs[i].queries, reqs[i].file, want)
		}
	}
	if cp := src.Checkpoint(); cp.GTIDSet.String() != "0-1-2" {
		t.Errorf("checkpoint %+v", cp)
	}
}

// TestDialSemiSyncACK checks that the ACK of an event is sent only when
// the consumer asks for the next event, with the event's end position and
// file name, as a new command (sequence id 0).
func TestDialSemiSyncACK(t *testing.T) {
	f := newFakeFile(t)
	f.tx(t, 1)
	type ackResult struct {
		early bool
		pkt   []byte
		seq   uint8
		err   error
	}
	acks := make(chan ackResult, 1)
	fp := startPrimary(t, func(n int, pc *mysqlproto.PacketConn, req dumpReq) error {
		for _, ev := range f.artificial(t, 4) {
			sendEvent(pc, ev, true, false)
		}
		evs := f.from(4)
		for i, ev := range evs {
			sendEvent(pc, ev, true, i == len(evs)-1)
		}
		// The consumer has the XID but has not accepted it yet.
		pc.Conn().SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		var r ackResult
		pc.Seq = 0
		if _, err := pc.ReadPacket(); err == nil {
			r.early = true
		}
		pc.Conn().SetReadDeadline(time.Now().Add(10 * time.Second))
		var hdr [4]byte
		if _, err := io.ReadFull(pc.Conn(), hdr[:]); err != nil {
			r.err = err
		} else {
			r.seq = hdr[3]
			r.pkt = make([]byte, int(hdr[0])|int(hdr[1])<<8|int(hdr[2])<<16)
			_, r.err = io.ReadFull(pc.Conn(), r.pkt)
		}
		acks <- r
		pc.Seq = 100
		return pc.WritePacket([]byte{0xfe, 0, 0, 2, 0})
	})
	src, err := Dial(context.Background(), DialConfig{DSN: fp.dsn(), SemiSync: true, NonBlocking: true, NoReconnect: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx := context.Background()
	for {
		raw, err := src.ReadEvent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if raw[0] == 0xef {
			t.Fatal("semi-sync prefix left in the event")
		}
		if event.Type(raw[4]) == event.XIDEvent {
			break
		}
	}
	time.Sleep(400 * time.Millisecond) // past the server's early-ACK window
	if _, err := src.ReadEvent(ctx); err != io.EOF {
		t.Fatalf("after the ACK: %v, want io.EOF", err)
	}
	r := <-acks
	if r.early {
		t.Fatal("ACK sent before the consumer accepted the event")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	want := binary.LittleEndian.AppendUint64([]byte{0xef}, f.pos)
	want = append(want, "bin.000001"...)
	if string(r.pkt) != string(want) || r.seq != 0 {
		t.Errorf("ACK %x seq %d, want %x seq 0", r.pkt, r.seq, want)
	}
	var qs []string
	for _, q := range fp.requests()[0].queries {
		qs = append(qs, q)
	}
	if !strings.Contains(strings.Join(qs, ";"), "SET @rpl_semi_sync_slave = 1") {
		t.Errorf("queries %q", qs)
	}
}

// TestDialErrors: an ERR packet in the dump is returned with its code and
// state (no reconnect); refused credentials are not retried; a corrupt
// event is a checksum error naming file and offset.
func TestDialErrors(t *testing.T) {
	fp := startPrimary(t, func(n int, pc *mysqlproto.PacketConn, req dumpReq) error {
		return pc.WritePacket(mysqlproto.AppendError(nil, 1236, "HY000", "Could not find first log file name in binary log index file"))
	})
	src, err := Dial(context.Background(), DialConfig{DSN: fp.dsn(), RetryMinBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.ReadEvent(context.Background())
	var se *mysqlproto.ServerError
	if !errors.As(err, &se) || se.Code != 1236 || se.State != "HY000" {
		t.Fatalf("got %v, want server error 1236", err)
	}
	if _, err2 := src.ReadEvent(context.Background()); err2 != err {
		t.Errorf("error not sticky: %v", err2)
	}
	src.Close()
	if len(fp.requests()) != 1 {
		t.Errorf("%d dumps after a 1236 error, want 1", len(fp.requests()))
	}

	fp2 := startPrimary(t, nil, func(fp *fakePrimary) { fp.authErr = true })
	_, err = Dial(context.Background(), DialConfig{DSN: fp2.dsn()})
	if !errors.As(err, &se) || se.Code != 1045 {
		t.Fatalf("got %v, want server error 1045", err)
	}

	f := newFakeFile(t)
	f.tx(t, 1)
	bad := f.evs[2]
	bad[len(bad)-6] ^= 0xff
	fp3 := startPrimary(t, func(n int, pc *mysqlproto.PacketConn, req dumpReq) error {
		for _, ev := range append(f.artificial(t, 4), f.from(4)...) {
			sendEvent(pc, ev, false, false)
		}
		return nil
	})
	src, err = Dial(context.Background(), DialConfig{DSN: fp3.dsn()})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	_, _, err = readRemote(t, src)
	e, ok := AsError(err)
	if !errors.Is(err, ErrChecksum) || !ok || e.File != "bin.000001" || e.Offset != f.at[2] || e.Type != event.QueryEvent {
		t.Fatalf("got %v, want a checksum error at bin.000001:%d (QUERY)", err, f.at[2])
	}
}

// TestDialHeartbeatSilence: a server that stops sending (no heartbeat for
// two periods) is taken for dead and the source reconnects.
func TestDialHeartbeatSilence(t *testing.T) {
	f := newFakeFile(t)
	f.tx(t, 1)
	fp := startPrimary(t, func(n int, pc *mysqlproto.PacketConn, req dumpReq) error {
		for _, ev := range append(f.artificial(t, req.pos), f.from(req.pos)...) {
			sendEvent(pc, ev, false, false)
		}
		if n == 0 {
			time.Sleep(time.Second) // silent, connection open
			return nil
		}
		return pc.WritePacket([]byte{0xfe, 0, 0, 2, 0})
	})
	start := time.Now()
	src, err := Dial(context.Background(), DialConfig{DSN: fp.dsn(), NonBlocking: true, HeartbeatPeriod: 100 * time.Millisecond, RetryMinBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, _, err := readRemote(t, src); err != io.EOF {
		t.Fatal(err)
	}
	if src.Reconnects() != 1 || time.Since(start) > 900*time.Millisecond {
		t.Errorf("%d reconnects after %v", src.Reconnects(), time.Since(start))
	}
	if reqs := fp.requests(); len(reqs) != 2 || reqs[1].pos != f.pos {
		t.Errorf("dumps %+v, want the second at %d", reqs, f.pos)
	}
	if !strings.Contains(strings.Join(fp.requests()[0].queries, ";"), "SET @master_heartbeat_period = 100000000") {
		t.Errorf("queries %q", fp.requests()[0].queries)
	}
}

// TestDialMySQLGTID: against a MySQL server, a GTID set start sends
// COM_BINLOG_DUMP_GTID with the set encoded as in PREVIOUS_GTIDS.
func TestDialMySQLGTID(t *testing.T) {
	const set = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7"
	fp := startPrimary(t, func(n int, pc *mysqlproto.PacketConn, req dumpReq) error {
		return pc.WritePacket([]byte{0xfe, 0, 0, 2, 0})
	}, func(fp *fakePrimary) { fp.version = "8.4.3" })
	src, err := Dial(context.Background(), DialConfig{DSN: fp.dsn(), GTIDSet: mustSet(t, set), NonBlocking: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Flavor() != event.MySQL {
		t.Errorf("flavor %v", src.Flavor())
	}
	if _, err := src.ReadEvent(context.Background()); err != io.EOF {
		t.Fatal(err)
	}
	req := fp.requests()[0]
	if req.flags != mysqlproto.BinlogThroughGTID|mysqlproto.BinlogDumpNonBlock {
		t.Errorf("flags %#x", req.flags)
	}
	var p event.PreviousGTIDs
	if err := p.DecodeBody(event.DefaultFormat(), event.PreviousGTIDsEvent, req.gtidData); err != nil {
		t.Fatal(err)
	}
	got := new(GTIDSet)
	if err := got.AddPreviousGTIDs(&p); err != nil {
		t.Fatal(err)
	}
	if got.String() != set {
		t.Errorf("dumped set %q, want %q", got, set)
	}
	for _, q := range req.queries {
		if strings.Contains(q, "slave_connect_state") || strings.Contains(q, "mariadb_slave_capability") {
			t.Errorf("MariaDB query sent to MySQL: %q", q)
		}
	}
}

// TestCheckpointAfterTransaction checks the README's recipe: a consumer
// that saves the Checkpoint once a transaction is complete saves a point
// after it, so that a new dump from there starts with the next transaction
// (it delivered the last one again when the checkpoint moved only at the
// next ReadEvent).
func TestCheckpointAfterTransaction(t *testing.T) {
	f := newFakeFile(t)
	var ends []uint64
	for i := uint64(1); i <= 3; i++ {
		f.tx(t, i)
		ends = append(ends, f.pos)
	}
	fp := startPrimary(t, func(n int, pc *mysqlproto.PacketConn, req dumpReq) error {
		for _, ev := range f.artificial(t, req.pos) {
			sendEvent(pc, ev, false, false)
		}
		for _, ev := range f.from(req.pos) {
			sendEvent(pc, ev, false, false)
		}
		return pc.WritePacket([]byte{0xfe, 0, 0, 2, 0})
	})
	src, err := Dial(context.Background(), DialConfig{DSN: fp.dsn(), NonBlocking: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r := NewReader(src)
	i := 0
	for tx, err := range r.Transactions(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		for range tx.Events() {
		}
		if !tx.Complete || !tx.HasGTID {
			continue
		}
		cp := src.Checkpoint()
		want := fmt.Sprintf("0-1-%d", tx.GTID.Seq)
		if cp.Pos != ends[i] || cp.GTIDSet.String() != want {
			t.Fatalf("after transaction %d: checkpoint %v, want bin.000001:%d gtid %s", tx.GTID.Seq, cp, ends[i], want)
		}
		i++
	}
	if i != 3 {
		t.Fatalf("%d complete transactions", i)
	}
}
