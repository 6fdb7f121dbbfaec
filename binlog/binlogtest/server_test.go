package binlogtest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mysqlproto"
	"github.com/binlogkit/binlogkit/rowcodec"
)

var cols = []binlogtest.Column{
	{Name: "id", Type: 3},
	{Name: "name", Type: 15, Meta: 200, Nullable: true},
	{Name: "amount", Type: 246, Meta: 10<<8 | 2},
}

func row(t testing.TB, id int, name string) []rowcodec.Value {
	d, err := rowcodec.DecimalValue(fmt.Sprintf("%d.25", id), 10, 2)
	if err != nil {
		t.Fatal(err)
	}
	return []rowcodec.Value{rowcodec.IntValue(int64(id)), rowcodec.StringValue([]byte(name), 45), d}
}

// fabricate builds two files of n transactions each: file 1 starts with a
// CREATE TABLE and ends with a ROTATE; file 2 has no ROTATE at its end.
func fabricate(t testing.TB, flavor event.Flavor, n int) []binlogtest.File {
	var files []binlogtest.File
	id := 0
	var s *binlogtest.Stream
	for f := 1; f <= 2; f++ {
		if f == 1 {
			s = binlogtest.NewStream(flavor)
		} else {
			s = s.NextFile()
		}
		if f == 1 {
			s.DDL("shop", "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(50), amount DECIMAL(10,2))")
		}
		for i := 0; i < n; i++ {
			id++
			s.Begin().TableMap(100, "shop", "t", cols...).Insert(100, row(t, id, "a"), row(t, id+1000, "b"))
			if i%3 == 1 {
				s.TableMap(100, "shop", "t", cols...).Update(100, rowcodec.Row{Before: row(t, id, "a"), After: row(t, id, "c")})
			}
			if i%3 == 2 {
				s.TableMap(100, "shop", "t", cols...).Delete(100, row(t, id+1000, "b"))
			}
			s.XID()
		}
		if f == 1 {
			s.Rotate("binlog.000002")
		}
		file, err := s.File(fmt.Sprintf("binlog.%06d", f))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	return files
}

// fileEvents returns the raw events of the files, in order.
func fileEvents(t testing.TB, files []binlogtest.File) [][]byte {
	var out [][]byte
	for _, f := range files {
		src := binlog.NewStreamSource(bytes.NewReader(f.Data), f.Name)
		r := binlog.NewReader(src)
		for ev, err := range r.Events(context.Background()) {
			if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			out = append(out, bytes.Clone(ev.Raw))
		}
	}
	return out
}

// streamed reads src to io.EOF through a Reader and returns the raw events
// that are in the files (not the artificial ones) and the Reader's
// transactions count.
func streamed(t testing.TB, src binlog.Source) (evs [][]byte, committed int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r := binlog.NewReader(src)
	for tx, err := range r.Transactions(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		for ev, err := range tx.Events() {
			if err != nil {
				t.Fatal(err)
			}
			if ev.Header.Flags&event.FlagArtificial != 0 || ev.Header.LogPos == 0 {
				continue
			}
			evs = append(evs, bytes.Clone(ev.Raw))
		}
		if tx.Complete && tx.Transactional {
			committed++
		}
	}
	return evs, committed
}

func TestDialReceivesEveryEvent(t *testing.T) {
	for _, flavor := range []event.Flavor{event.MySQL, event.MariaDB} {
		t.Run(flavor.String(), func(t *testing.T) {
			files := fabricate(t, flavor, 20)
			version := "8.0.40-binlogtest"
			if flavor == event.MariaDB {
				version = "10.11.99-MariaDB-binlogtest-log"
			}
			srv, err := binlogtest.NewServer(binlogtest.Config{Version: version, Password: "pw"}, files...)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			src, err := binlog.Dial(context.Background(), binlog.DialConfig{DSN: srv.DSN(), NonBlocking: true})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			got, committed := streamed(t, src)
			want := fileEvents(t, files)
			if len(got) != len(want) {
				t.Fatalf("received %d events, the files hold %d", len(got), len(want))
			}
			for i := range want {
				if !bytes.Equal(got[i], want[i]) {
					t.Fatalf("event %d differs:\n got %x\nwant %x", i, got[i], want[i])
				}
			}
			if committed != 41 { // the CREATE TABLE and 2×20 transactions
				t.Errorf("%d committed transactions, want 41", committed)
			}
		})
	}
}

func TestDialGTIDSkipsKnownTransactions(t *testing.T) {
	for _, flavor := range []event.Flavor{event.MySQL, event.MariaDB} {
		t.Run(flavor.String(), func(t *testing.T) {
			files := fabricate(t, flavor, 5)
			version := "8.0.40-binlogtest"
			set := "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-4"
			if flavor == event.MariaDB {
				version = "10.11.99-MariaDB-binlogtest-log"
				set = "0-1-4"
			}
			gtids, err := binlog.ParseGTIDSet(set)
			if err != nil {
				t.Fatal(err)
			}
			srv, err := binlogtest.NewServer(binlogtest.Config{Version: version}, files...)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			src, err := binlog.Dial(context.Background(), binlog.DialConfig{DSN: srv.DSN(), GTIDSet: gtids, NonBlocking: true})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			_, committed := streamed(t, src)
			if committed != 11-4 {
				t.Errorf("%d committed transactions after %s, want 7", committed, set)
			}
		})
	}
}

// TestDialReconnectsExactlyOnce feeds a blocking replica one transaction
// at a time and cuts the connection again and again meanwhile, sometimes
// inside a transaction: every transaction arrives committed exactly once, in
// order.
func TestDialReconnectsExactlyOnce(t *testing.T) {
	const n = 60
	s := binlogtest.NewStream(event.MariaDB)
	s.DDL("shop", "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(50), amount DECIMAL(10,2))")
	cuts := []uint64{s.Pos()}
	for i := 1; i <= n; i++ {
		s.Begin().TableMap(100, "shop", "t", cols...).Insert(100, row(t, i, "a"))
		cuts = append(cuts, s.Pos()) // inside the transaction
		s.TableMap(100, "shop", "t", cols...).Insert(100, row(t, i+1000, "b")).XID()
		cuts = append(cuts, s.Pos())
	}
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := binlogtest.NewServer(binlogtest.Config{HeartbeatPeriod: 50 * time.Millisecond},
		binlogtest.File{Name: "binlog.000001", Data: data[:cuts[0]]})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	src, err := binlog.Dial(context.Background(), binlog.DialConfig{DSN: srv.DSN(),
		RetryMinBackoff: time.Millisecond, RetryMaxBackoff: 10 * time.Millisecond, HeartbeatPeriod: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var drops atomic.Int32
	go func() {
		for i := 1; i < len(cuts); i++ {
			time.Sleep(time.Millisecond)
			srv.Append(data[cuts[i-1]:cuts[i]])
			if i%10 == 5 || i%10 == 8 { // after half a transaction, and after a whole one
				time.Sleep(2 * time.Millisecond)
				srv.DropConnections()
				drops.Add(1)
			}
		}
	}()
	r := binlog.NewReader(src)
	var xids []uint64
	interrupted := 0
	for tx, err := range r.Transactions(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range tx.Events() {
			if err != nil {
				t.Fatal(err)
			}
		}
		if tx.Complete && tx.XID != 0 {
			xids = append(xids, tx.XID)
		} else if tx.Transactional && !tx.Complete {
			interrupted++
		}
		if len(xids) == n {
			break
		}
	}
	for i, x := range xids {
		if want := uint64(i + 1); x != want {
			t.Fatalf("transaction %d has XID %d, want %d (all: %v)", i, x, want, xids)
		}
	}
	if len(xids) != n {
		t.Fatalf("%d transactions, want %d", len(xids), n)
	}
	if src.Reconnects() < 3 {
		t.Errorf("%d reconnects; the test cut the stream %d times", src.Reconnects(), drops.Load())
	}
	t.Logf("%d reconnects, %d transactions interrupted and delivered again", src.Reconnects(), interrupted)
}

func TestAppendReachesWaitingReplica(t *testing.T) {
	s := binlogtest.NewStream(event.MySQL)
	s.DDL("shop", "CREATE TABLE t (id INT)")
	first, _ := s.Bytes()
	s.Begin().TableMap(7, "shop", "t", cols...).Insert(7, row(t, 1, "x")).XID()
	all, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := binlogtest.NewServer(binlogtest.Config{Version: "8.0.40"}, binlogtest.File{Name: "b.000001", Data: first})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	src, err := binlog.Dial(context.Background(), binlog.DialConfig{DSN: srv.DSN()})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	time.AfterFunc(100*time.Millisecond, func() { srv.Append(all[len(first):]) })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r := binlog.NewReader(src)
	for {
		ev, err := r.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rows, ok := ev.Body.(*event.Rows); ok {
			if rows.TableID != 7 {
				t.Fatalf("rows of table %d", rows.TableID)
			}
			return
		}
	}
}

func TestBadPassword(t *testing.T) {
	srv, err := binlogtest.NewServer(binlogtest.Config{Password: "right"}, fabricate(t, event.MySQL, 1)...)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	_, err = binlog.Dial(context.Background(), binlog.DialConfig{DSN: "root:wrong@tcp(" + srv.Addr() + ")/", NoReconnect: true})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("1045")) {
		t.Fatalf("Dial with a wrong password: %v, want error 1045", err)
	}
}

// TestHeartbeatsAndNonBlock speaks the protocol directly: a blocking dump
// gets heartbeats naming the file and its end position once the events run
// out; a NON_BLOCK dump gets an EOF packet after the last event.
func TestHeartbeatsAndNonBlock(t *testing.T) {
	files := fabricate(t, event.MySQL, 2)
	srv, err := binlogtest.NewServer(binlogtest.Config{Version: "8.4.3"}, files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, nonBlock := range []bool{false, true} {
		cfg, err := mysqlproto.ParseDSN(srv.DSN())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, err := mysqlproto.Connect(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Exec(ctx, "SET @master_heartbeat_period = 20000000"); err != nil { // 20 ms
			t.Fatal(err)
		}
		res, err := c.Query(ctx, "SHOW BINARY LOG STATUS")
		if err != nil || len(res.Rows) != 1 || res.Rows[0][0].Value != "binlog.000001" {
			t.Fatalf("SHOW BINARY LOG STATUS: %+v, %v", res, err)
		}
		end := res.Rows[0][1].Value
		var flags uint16
		if nonBlock {
			flags = mysqlproto.BinlogDumpNonBlock
		}
		cmd := []byte{mysqlproto.ComBinlogDump, 4, 0, 0, 0, byte(flags), byte(flags >> 8), 9, 0, 0, 0}
		cmd = append(cmd, "binlog.000001"...)
		c.Seq = 0
		if err := c.WritePacket(cmd); err != nil {
			t.Fatal(err)
		}
		events := 0
		for {
			pkt, err := c.ReadPacket()
			if err != nil {
				t.Fatalf("non-block %v: after %d events: %v", nonBlock, events, err)
			}
			if pkt[0] == mysqlproto.EOFPacket {
				if !nonBlock {
					t.Fatal("EOF packet on a blocking dump")
				}
				break
			}
			if pkt[0] != mysqlproto.OKPacket {
				t.Fatalf("packet 0x%02x", pkt[0])
			}
			h, err := event.ParseHeader(pkt[1:])
			if err != nil {
				t.Fatal(err)
			}
			if h.Type == event.HeartbeatEvent {
				if nonBlock {
					t.Fatal("heartbeat on a NON_BLOCK dump that has ended")
				}
				name := string(pkt[1+event.HeaderLen : len(pkt)-event.ChecksumLen])
				if name != "binlog.000001" || fmt.Sprint(h.LogPos) != end {
					t.Fatalf("heartbeat names %q at %d, want binlog.000001 at %s", name, h.LogPos, end)
				}
				break
			}
			events++
		}
		if want := len(fileEvents(t, files[:1])) + 1; events != want { // + the artificial ROTATE
			t.Errorf("non-block %v: %d events before the end, want %d", nonBlock, events, want)
		}
		c.PacketConn.Close()
		cancel()
	}
	if q := srv.Queries(); len(q) < 2 || q[0] != "SET @master_heartbeat_period = 20000000" {
		t.Errorf("queries recorded: %q", q)
	}
}

// gtidFiles builds three MySQL files of three transactions each, every one
// with the PREVIOUS_GTIDS a server writes after the FORMAT_DESCRIPTION.
func gtidFiles(t *testing.T) []binlogtest.File {
	var files []binlogtest.File
	s := binlogtest.NewStream(event.MySQL)
	prev := new(binlog.GTIDSet)
	for f := 1; f <= 3; f++ {
		if f > 1 {
			s = s.NextFile()
		}
		p, err := prev.PreviousGTIDs()
		if err != nil {
			t.Fatal(err)
		}
		s.Event(p)
		for i := 0; i < 3; i++ {
			s.Begin().Query("shop", fmt.Sprintf("INSERT INTO t VALUES (%d)", f*10+i)).XID()
			g, err := binlog.ParseGTID(s.LastGTID())
			if err != nil {
				t.Fatal(err)
			}
			prev.Add(g)
		}
		if f < 3 {
			s.Rotate(fmt.Sprintf("binlog.%06d", f+1))
		}
		file, err := s.File(fmt.Sprintf("binlog.%06d", f))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	return files
}

// rawEvents is a Source over events already read.
type rawEvents [][]byte

func (r *rawEvents) ReadEvent(context.Context) ([]byte, error) {
	if len(*r) == 0 {
		return nil, io.EOF
	}
	ev := (*r)[0]
	*r = (*r)[1:]
	return ev, nil
}

// TestGTIDDumpStartFile: like a MySQL primary, the fake starts a
// COM_BINLOG_DUMP_GTID in the newest file whose PREVIOUS_GTIDS the replica
// has, and reads the replica's GTID set whether or not the request has
// BINLOG_THROUGH_GTID (mysqlbinlog --exclude-gtids sends it without).
func TestGTIDDumpStartFile(t *testing.T) {
	files := gtidFiles(t)
	srv, err := binlogtest.NewServer(binlogtest.Config{Version: "9.7.4-binlogtest"}, files...)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	const uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
	ctx := context.Background()
	for _, c := range []struct {
		set         string
		throughGTID bool
		file        string
		gtids       string
	}{
		{uuid + ":1-4", true, "binlog.000002", uuid + ":5-9"},
		{uuid + ":1-7", false, "binlog.000003", uuid + ":8-9"},
		{uuid + ":1-2:5", false, "binlog.000001", uuid + ":3-4:6-9"},
		{"", false, "binlog.000001", uuid + ":1-9"},
	} {
		cfg, err := mysqlproto.ParseDSN(srv.DSN())
		if err != nil {
			t.Fatal(err)
		}
		cl, err := mysqlproto.Connect(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		set := new(binlog.GTIDSet)
		if c.set != "" {
			if set, err = binlog.ParseGTIDSet(c.set); err != nil {
				t.Fatal(err)
			}
		}
		p, err := set.PreviousGTIDs()
		if err != nil {
			t.Fatal(err)
		}
		data, err := p.AppendBody(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		flags := mysqlproto.BinlogDumpNonBlock
		if c.throughGTID {
			flags |= mysqlproto.BinlogThroughGTID
		}
		cmd := []byte{mysqlproto.ComBinlogDumpGTID, byte(flags), byte(flags >> 8), 9, 0, 0, 0}
		cmd = append(cmd, byte(len("binlog.000001")), 0, 0, 0)
		cmd = append(cmd, "binlog.000001"...)
		cmd = append(cmd, 4, 0, 0, 0, 0, 0, 0, 0)
		cmd = append(cmd, byte(len(data)), byte(len(data)>>8), byte(len(data)>>16), byte(len(data)>>24))
		cmd = append(cmd, data...)
		cl.Seq = 0
		if err := cl.WritePacket(cmd); err != nil {
			t.Fatal(err)
		}
		var evs rawEvents
		for {
			pkt, err := cl.ReadPacket()
			if err != nil {
				t.Fatal(err)
			}
			if pkt[0] == mysqlproto.EOFPacket && len(pkt) < 9 {
				break
			}
			if pkt[0] != mysqlproto.OKPacket {
				t.Fatalf("set %q: packet %x", c.set, pkt)
			}
			evs = append(evs, bytes.Clone(pkt[1:]))
		}
		cl.Close()
		if h, _ := event.ParseHeader(evs[0]); h.Type != event.RotateEvent || !bytes.Contains(evs[0], []byte(c.file)) {
			t.Errorf("set %q: the dump starts with %v %q, want the ROTATE to %s", c.set, h.Type, evs[0][event.HeaderLen:], c.file)
		}
		got := new(binlog.GTIDSet)
		for tx, err := range binlog.NewReader(&evs).Transactions(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			for _, err := range tx.Events() {
				if err != nil {
					t.Fatal(err)
				}
			}
			if tx.HasGTID && tx.Complete {
				got.Add(tx.GTID)
			}
		}
		if got.String() != c.gtids {
			t.Errorf("set %q (BINLOG_THROUGH_GTID %v): transactions %s, want %s", c.set, c.throughGTID, got, c.gtids)
		}
	}
}
