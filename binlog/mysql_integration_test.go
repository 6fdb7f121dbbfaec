//go:build integration

package binlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mysqlproto"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

// The MySQL suites set the start of a dump and read the checkpoint's GTID
// set only through these two helpers, the one place that knows the types
// of DialConfig.GTIDSet and Checkpoint.GTIDSet.

// startAfter returns cfg starting after the transactions of the GTID set.
func startAfter(t *testing.T, cfg DialConfig, set string) DialConfig {
	t.Helper()
	s, err := ParseGTIDSet(set)
	if err != nil {
		t.Fatal(err)
	}
	cfg.GTIDSet = s
	return cfg
}

// checkpointGTIDs returns the checkpoint's GTID set in text form.
func checkpointGTIDs(cp Checkpoint) string {
	if cp.GTIDSet == nil {
		return ""
	}
	return cp.GTIDSet.String()
}

// TestIntegrationMySQL runs the live-replication suite against one private
// MySQL 9.7 server with gtid_mode=ON (a server start costs seconds, so
// the cases share it and run in order): authentication, byte-for-byte
// equality of the stream and the files, tagged GTIDs, SHOW BINARY LOG
// STATUS and heartbeats, semi-sync, and kill -9 of mysqld inside large
// transactions.
func TestIntegrationMySQL(t *testing.T) {
	ca, cert, key := writeCerts(t, t.TempDir())
	srv := mysqltest.Start(t, mysqltest.WithArgs("--ssl-ca="+ca, "--ssl-cert="+cert, "--ssl-key="+key, "--max-allowed-packet=64M"))
	t.Run("Auth", func(t *testing.T) { testMySQLAuth(t, srv, ca) })
	t.Run("Compare", func(t *testing.T) {
		mysqlCompareWorkload(t, srv)
		testMySQLCompare(t, srv, true)
	})
	t.Run("TaggedGTIDs", func(t *testing.T) { testMySQLTaggedGTIDs(t, srv) })
	t.Run("BinaryLogStatusHeartbeat", func(t *testing.T) { testMySQLFromCurrent(t, srv) })
	t.Run("SemiSync", func(t *testing.T) { testMySQLSemiSync(t, srv) })
	t.Run("Crash", func(t *testing.T) {
		for _, byGTID := range []bool{false, true} {
			name := "filepos"
			if byGTID {
				name = "gtid"
			}
			t.Run(name, func(t *testing.T) { testMySQLDialCrash(t, srv, byGTID) })
		}
	})
	// The files now include two crashed ones (no STOP, maybe a torn end)
	// and the restarts' new ones.
	t.Run("CompareAfterCrashes", func(t *testing.T) { testMySQLCompare(t, srv, false) })
}

// dialToEnd dials, reads a non-blocking dump from the current position to
// its end and returns the number of events.
func dialToEnd(ctx context.Context, dsn string) (int, error) {
	src, err := Dial(ctx, DialConfig{DSN: dsn, FromCurrent: true, NonBlocking: true, NoReconnect: true})
	if err != nil {
		return 0, err
	}
	defer src.Close()
	n := 0
	for {
		_, err := src.ReadEvent(ctx)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

func mysqlStatus(t *testing.T, srv *mysqltest.Server, name string) int {
	t.Helper()
	f := strings.Fields(srv.Query(t, "SHOW GLOBAL STATUS LIKE '"+name+"'"))
	if len(f) != 2 {
		t.Fatalf("status %s: %q", name, f)
	}
	n, err := strconv.Atoi(f[1])
	if err != nil {
		t.Fatalf("status %s: %q", name, f)
	}
	return n
}

// testMySQLAuth dials as accounts of every authentication plugin MySQL 9.7
// offers, over every channel.
func testMySQLAuth(t *testing.T, srv *mysqltest.Server, ca string) {
	srv.Exec(t, `CREATE USER csha@'%' IDENTIFIED WITH caching_sha2_password BY 'c@sha:2!';
		CREATE USER s256@'%' IDENTIFIED WITH sha256_password BY 's256:pw';
		CREATE USER tlsonly@'%' IDENTIFIED BY 'tl5' REQUIRE SSL;
		GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO csha@'%', s256@'%', tlsonly@'%'`)
	pub := filepath.Join(srv.DataDir(), "public_key.pem")
	tcp := fmt.Sprintf("tcp(127.0.0.1:%d)", srv.Port())
	sock := "unix(" + srv.Socket() + ")"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, c := range []struct {
		name  string
		flush bool   // FLUSH PRIVILEGES first: caching_sha2_password forgets the accounts it cached
		dsn   string // user:password@net/?params
		tls   bool   // the connection must be encrypted
		fail  error  // the error wanted, nil for success
		code  uint16 // or the server error wanted
	}{
		{name: "caching_sha2 full auth without TLS or key", flush: true, dsn: "csha:c@sha:2!@" + tcp + "/?tls=false", fail: mysqlproto.ErrAuth},
		{name: "caching_sha2 full auth with the key retrieved", dsn: "csha:c@sha:2!@" + tcp + "/?tls=false&allowPublicKeyRetrieval=true"},
		{name: "caching_sha2 fast auth once cached", dsn: "csha:c@sha:2!@" + tcp + "/?tls=false"},
		{name: "caching_sha2 full auth with a configured key", flush: true, dsn: "csha:c@sha:2!@" + tcp + "/?tls=false&serverPubKey=" + pub},
		{name: "caching_sha2 full auth over TLS", flush: true, dsn: "csha:c@sha:2!@" + tcp + "/?tls=verify-identity&tls-ca=" + ca, tls: true},
		{name: "caching_sha2 TLS preferred", flush: true, dsn: "csha:c@sha:2!@" + tcp + "/?tls=preferred", tls: true},
		{name: "caching_sha2 over the socket", flush: true, dsn: "csha:c@sha:2!@" + sock + "/"},
		{name: "caching_sha2 wrong password", dsn: "csha:wrong@" + tcp + "/?tls=required", code: 1045},
		{name: "sha256 without TLS or key", dsn: "s256:s256:pw@" + tcp + "/?tls=false", fail: mysqlproto.ErrAuth},
		{name: "sha256 with the key retrieved", dsn: "s256:s256:pw@" + tcp + "/?tls=false&allowPublicKeyRetrieval=true"},
		{name: "sha256 with a configured key", dsn: "s256:s256:pw@" + tcp + "/?tls=false&serverPubKey=" + pub},
		{name: "sha256 over TLS", dsn: "s256:s256:pw@" + tcp + "/?tls=verify-ca&tls-ca=" + ca, tls: true},
		// sha256_password, unlike caching_sha2_password, counts only TLS
		// as secure: over the socket too the password is RSA-encrypted.
		{name: "sha256 over the socket without key", dsn: "s256:s256:pw@" + sock + "/", fail: mysqlproto.ErrAuth},
		{name: "sha256 over the socket", dsn: "s256:s256:pw@" + sock + "/?allowPublicKeyRetrieval=true"},
		{name: "REQUIRE SSL without TLS", dsn: "tlsonly:tl5@" + tcp + "/?tls=false&allowPublicKeyRetrieval=true", code: 1045},
		{name: "REQUIRE SSL over TLS", flush: true, dsn: "tlsonly:tl5@" + tcp + "/?tls=required", tls: true},
		{name: "root over the socket", dsn: "root@" + sock + "/"},
		{name: "root over TCP", dsn: "root@" + tcp + "/?tls=false"},
	} {
		if c.flush {
			srv.Exec(t, "FLUSH PRIVILEGES")
		}
		before := mysqlStatus(t, srv, "Ssl_accepts")
		n, err := dialToEnd(ctx, c.dsn)
		after := mysqlStatus(t, srv, "Ssl_accepts")
		switch {
		case c.fail != nil:
			if !errors.Is(err, c.fail) {
				t.Errorf("%s: %v, want %v", c.name, err, c.fail)
			}
		case c.code != 0:
			var se *mysqlproto.ServerError
			if !errors.As(err, &se) || se.Code != c.code {
				t.Errorf("%s: %v, want server error %d", c.name, err, c.code)
			}
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
		case n < 2:
			t.Errorf("%s: %d events, want the artificial ROTATE and the FORMAT_DESCRIPTION", c.name, n)
		case c.tls != (after > before):
			t.Errorf("%s: encrypted %v (Ssl_accepts %d → %d), want %v", c.name, after > before, before, after, c.tls)
		default:
			t.Logf("%s: %d events", c.name, n)
		}
	}
	// MySQL 9 removed the server side of mysql_native_password (the
	// plugin directory's mysql_native_password.so is the clients' half).
	if n := srv.Query(t, "SELECT COUNT(*) FROM information_schema.plugins WHERE plugin_name = 'mysql_native_password'"); n != "0" {
		t.Logf("this server offers mysql_native_password")
	}
}

// mysqlCompareWorkload writes transactions of every shape the stream must
// carry unchanged: multi-statement, MyISAM, rolled back, DDL, an event
// over 16 MB (several packets), XA, compressed (TRANSACTION_PAYLOAD),
// tagged GTIDs, across FLUSH BINARY LOGS.
func mysqlCompareWorkload(t *testing.T, srv *mysqltest.Server) {
	srv.Exec(t, `CREATE DATABASE cmp; CREATE TABLE cmp.t (id INT PRIMARY KEY, v VARCHAR(200), b LONGBLOB, j JSON) ENGINE=InnoDB; CREATE TABLE cmp.m (id INT) ENGINE=MyISAM`)
	var sb strings.Builder
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&sb, "BEGIN; INSERT INTO cmp.t VALUES (%d, REPEAT('v', %d), REPEAT('b', %d), JSON_OBJECT('i', %d)); UPDATE cmp.t SET v = CONCAT(v, 'x') WHERE id <= %d; COMMIT; INSERT INTO cmp.m VALUES (%d);\n", i, i+20, 1+i*i*300, i, i, i)
		if i == 10 {
			sb.WriteString("FLUSH BINARY LOGS;\n")
		}
	}
	srv.Exec(t, sb.String())
	srv.Exec(t, `BEGIN; DELETE FROM cmp.t WHERE id < 5; ROLLBACK; ALTER TABLE cmp.t ADD COLUMN w INT AFTER id; INSERT INTO cmp.t (id, b) VALUES (100, REPEAT('z', 20000000))`)
	srv.Exec(t, `XA START 'x1'; INSERT INTO cmp.t (id) VALUES (101); XA END 'x1'; XA PREPARE 'x1'; XA COMMIT 'x1'`)
	srv.Exec(t, `SET SESSION binlog_transaction_compression = ON; INSERT INTO cmp.t (id, v) VALUES (102, REPEAT('c', 190)), (103, 'd'); UPDATE cmp.t SET w = id; SET SESSION binlog_transaction_compression = OFF`)
	srv.Exec(t, `SET gtid_next = 'AUTOMATIC:cmp'; INSERT INTO cmp.t (id) VALUES (104); SET gtid_next = 'AUTOMATIC'`)
	srv.FlushLogs(t)
	srv.Exec(t, `UPDATE cmp.t SET j = JSON_SET(j, '$.k', 'v') WHERE id < 3`)
}

// testMySQLCompare streams every binlog of the server from its start and
// compares each event with the server's files read from disk: the same
// bytes at the same positions. With workload, the events of
// mysqlCompareWorkload must be among them.
func testMySQLCompare(t *testing.T, srv *mysqltest.Server, workload bool) {
	ctx := context.Background()
	src, err := Dial(ctx, DialConfig{DSN: srv.DSN(), NonBlocking: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if fmt.Sprint(src.Flavor()) != "mysql" || !strings.HasPrefix(src.ServerVersion(), srv.Install().ServerVersion()) {
		t.Errorf("flavor %v, version %q", src.Flavor(), src.ServerVersion())
	}
	paths := srv.BinlogFiles(t)
	files := OpenFiles(paths...)
	defer files.Close()
	n, art, inUse := 0, 0, 0
	var bytesEqual int64
	types := map[event.Type]int{}
	for {
		raw, err := src.ReadEvent(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d events: %v", n, err)
		}
		if isArtificial(raw) {
			art++
			continue
		}
		want, err := files.ReadEvent(ctx)
		if err != nil {
			t.Fatalf("file event %d: %v", n, err)
		}
		gf, gp := src.Position()
		wf, wp := files.Position()
		if gf != filepath.Base(wf) || gp != wp {
			t.Fatalf("event %d at %s:%d (%v), file says %s:%d (%v)", n, gf, gp, event.Type(raw[4]), wf, wp, event.Type(want[4]))
		}
		if len(want) > 17 && event.Type(want[4]) == event.FormatDescriptionEvent && want[17]&1 != 0 && len(raw) == len(want) && raw[17]&1 == 0 {
			// A server may clear LOG_EVENT_BINLOG_IN_USE_F in the FDE of
			// the file it is still writing when it sends it.
			want = bytes.Clone(want)
			want[17] &^= 1
			inUse++
		}
		if !bytes.Equal(raw, want) {
			t.Fatalf("event %d (%v) at %s:%d differs: %d vs %d bytes, first difference at byte %d", n, event.Type(raw[4]), gf, gp, len(raw), len(want), firstDifference(raw, want))
		}
		types[event.Type(raw[4])]++
		bytesEqual += int64(len(raw))
		n++
	}
	if _, err := files.ReadEvent(ctx); err != io.EOF {
		t.Fatalf("files have more events than the stream (%d): %v", n, err)
	}
	if art == 0 {
		t.Error("no artificial event")
	}
	var fileBytes int64
	for _, p := range paths {
		fileBytes += fileSizeOf(t, p)
	}
	// Every byte of every file but the 4-byte magics came through the stream.
	if want := fileBytes - int64(4*len(paths)); bytesEqual != want {
		t.Errorf("%d bytes streamed, the files hold %d events' bytes", bytesEqual, want)
	}
	t.Logf("%d events in %d files, %d bytes identical (%d FDE with the in-use flag cleared), %d artificial; %d GTID, %d GTID_TAGGED, %d TRANSACTION_PAYLOAD, %d XA_PREPARE",
		n, len(paths), bytesEqual, inUse, art, types[event.GTIDEvent], types[event.GTIDTaggedEvent], types[event.TransactionPayloadEvent], types[event.XAPrepareEvent])
	if workload && (types[event.GTIDTaggedEvent] == 0 || types[event.TransactionPayloadEvent] == 0 || types[event.XAPrepareEvent] == 0) {
		t.Errorf("the workload's tagged GTID or compressed transaction is missing: %v", types)
	}
	cp := src.Checkpoint()
	last := paths[len(paths)-1]
	if cp.File != filepath.Base(last) || cp.Pos != uint64(fileSizeOf(t, last)) {
		t.Errorf("checkpoint %v, want %s:%d", cp, filepath.Base(last), fileSizeOf(t, last))
	}
	mustEqualSets(t, "checkpoint GTID set", checkpointGTIDs(cp), srv.GTIDExecuted(t))
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func mustEqualSets(t *testing.T, what, got, want string) {
	t.Helper()
	g, err := ParseGTIDSet(got)
	if err != nil {
		t.Fatalf("%s %q: %v", what, got, err)
	}
	w, err := ParseGTIDSet(want)
	if err != nil {
		t.Fatalf("%s: server's %q: %v", what, want, err)
	}
	if !g.Equal(w) {
		t.Errorf("%s %s, server says %s", what, g, w)
	}
}

// testMySQLTaggedGTIDs starts COM_BINLOG_DUMP_GTID after a set holding a
// tagged GTID: exactly the transactions outside it arrive, tagged or not,
// and the checkpoint ends at the server's gtid_executed.
func testMySQLTaggedGTIDs(t *testing.T, srv *mysqltest.Server) {
	uuid := srv.Query(t, "SELECT @@server_uuid")
	srv.Exec(t, "CREATE DATABASE tg; CREATE TABLE tg.t (id INT PRIMARY KEY)")
	start := srv.GTIDExecuted(t) + "," + uuid + ":alpha:1"
	srv.Exec(t, `SET gtid_next = 'AUTOMATIC:alpha'; INSERT INTO tg.t VALUES (1); INSERT INTO tg.t VALUES (2);
		SET gtid_next = 'AUTOMATIC:Beta'; INSERT INTO tg.t VALUES (3);
		SET gtid_next = 'AUTOMATIC'; INSERT INTO tg.t VALUES (4);
		SET gtid_next = '`+uuid+`:gamma:7'; INSERT INTO tg.t VALUES (5); SET gtid_next = 'AUTOMATIC'`)
	want := strings.ReplaceAll(srv.Query(t, "SELECT GTID_SUBTRACT(@@global.gtid_executed, '"+start+"')"), `\n`, "")
	ctx := context.Background()
	src, err := Dial(ctx, startAfter(t, DialConfig{DSN: srv.DSN(), NonBlocking: true}, start))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var got []string
	delivered := new(GTIDSet)
	for tx, err := range NewReader(src).Transactions(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range tx.Events() {
			if err != nil {
				t.Fatal(err)
			}
		}
		if tx.HasGTID && tx.Complete {
			got = append(got, tx.GTID.String())
			delivered.Add(tx.GTID)
		}
	}
	wantList := []string{uuid + ":alpha:2", uuid + ":beta:1", "", uuid + ":gamma:7"}
	if len(got) != 4 || got[0] != wantList[0] || got[1] != wantList[1] || !strings.HasPrefix(got[2], uuid+":") || strings.Count(got[2], ":") != 1 || got[3] != wantList[3] {
		t.Errorf("delivered %v, want %v with an untagged GTID third", got, wantList)
	}
	mustEqualSets(t, "delivered", delivered.String(), want)
	mustEqualSets(t, "checkpoint GTID set", checkpointGTIDs(src.Checkpoint()), srv.GTIDExecuted(t))
	t.Logf("after %s: %d transactions delivered: %v", start, len(got), got)
}

// testMySQLFromCurrent starts at SHOW BINARY LOG STATUS's position (SHOW
// MASTER STATUS is gone in 9.x), stays idle on heartbeats without
// reconnecting, and delivers the next transaction at that position.
func testMySQLFromCurrent(t *testing.T, srv *mysqltest.Server) {
	if out, err := srv.Client("mysql", "-e", "SHOW MASTER STATUS").CombinedOutput(); err == nil {
		t.Logf("SHOW MASTER STATUS still answers: %s", out)
	} else {
		t.Logf("SHOW MASTER STATUS: %s", bytes.TrimSpace(out))
	}
	srv.Exec(t, "CREATE DATABASE IF NOT EXISTS cur; CREATE TABLE cur.t (id INT PRIMARY KEY)")
	st := strings.Split(srv.Query(t, "SHOW BINARY LOG STATUS"), "\t")
	if len(st) < 5 {
		t.Fatalf("SHOW BINARY LOG STATUS: %q", st)
	}
	file := st[0]
	pos, _ := strconv.ParseUint(st[1], 10, 64)
	mustEqualSets(t, "Executed_Gtid_Set", strings.ReplaceAll(st[4], `\n`, ""), srv.GTIDExecuted(t))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var logBuf bytes.Buffer
	src, err := Dial(ctx, DialConfig{DSN: srv.DSN(), FromCurrent: true, HeartbeatPeriod: 500 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	type ev struct {
		typ  event.Type
		file string
		pos  uint64
		art  bool
		err  error
	}
	evs := make(chan ev, 100)
	go func() {
		for {
			raw, err := src.ReadEvent(ctx)
			if err != nil {
				evs <- ev{err: err}
				return
			}
			f, p := src.Position()
			evs <- ev{typ: event.Type(raw[4]), file: f, pos: p, art: isArtificial(raw)}
		}
	}()
	next := func() ev {
		select {
		case e := <-evs:
			if e.err != nil {
				t.Fatalf("stream: %v", e.err)
			}
			return e
		case <-time.After(20 * time.Second):
			t.Fatal("no event within 20 s")
		}
		return ev{}
	}
	if e := next(); e.typ != event.RotateEvent || !e.art || e.file != file || e.pos != pos {
		t.Fatalf("first event %v at %s:%d (artificial %v), want the artificial ROTATE to %s:%d", e.typ, e.file, e.pos, e.art, file, pos)
	}
	if e := next(); e.typ != event.FormatDescriptionEvent {
		t.Fatalf("second event %v, want FORMAT_DESCRIPTION", e.typ)
	}
	// Idle for 4 s, 8 heartbeat periods: a silence of two periods would
	// count as a dead connection, so only heartbeats keep it.
	select {
	case e := <-evs:
		t.Fatalf("event while idle: %+v", e)
	case <-time.After(4 * time.Second):
	}
	if src.Reconnects() != 0 {
		t.Fatalf("%d reconnects while idle: heartbeats did not arrive\n%s", src.Reconnects(), logBuf.String())
	}
	srv.Exec(t, "INSERT INTO cur.t VALUES (1)")
	e := next()
	if e.typ != event.GTIDEvent || e.file != file || e.pos != pos {
		t.Fatalf("after the INSERT: %v at %s:%d, want its GTID at %s:%d", e.typ, e.file, e.pos, file, pos)
	}
	for e.typ != event.XIDEvent {
		e = next()
	}
	t.Logf("started at %s:%d from SHOW BINARY LOG STATUS, idle 4 s on 500 ms heartbeats without a reconnect, then the INSERT arrived there", file, pos)
}

// testMySQLSemiSync registers as a semi-sync replica of the
// rpl_semi_sync_source plugin: the commit waits for the ACK, which is sent
// only once the consumer accepted the event.
func testMySQLSemiSync(t *testing.T, srv *mysqltest.Server) {
	if out, err := srv.Client("mysql", "-e", "INSTALL PLUGIN rpl_semi_sync_source SONAME 'semisync_source.so'").CombinedOutput(); err != nil {
		t.Skipf("the semi-sync source plugin does not load: %v: %s", err, out)
	}
	srv.Exec(t, `SET GLOBAL rpl_semi_sync_source_timeout = 30000; SET GLOBAL rpl_semi_sync_source_wait_no_replica = OFF;
		SET GLOBAL rpl_semi_sync_source_enabled = ON; CREATE DATABASE semi; CREATE TABLE semi.t (id INT PRIMARY KEY)`)
	// Otherwise later commits wait for ACKs (the plugin stays: it cannot
	// be uninstalled until the server has seen the replica go).
	defer srv.Exec(t, "SET GLOBAL rpl_semi_sync_source_enabled = OFF")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	src, err := Dial(ctx, DialConfig{DSN: srv.DSN(), FromCurrent: true, SemiSync: true, HeartbeatPeriod: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for i := 0; mysqlStatus(t, srv, "Rpl_semi_sync_source_clients") != 1; i++ {
		if i > 100 {
			t.Fatal("the server never counted a semi-sync replica")
		}
		time.Sleep(50 * time.Millisecond)
	}
	noTx, yesTx := mysqlStatus(t, srv, "Rpl_semi_sync_source_no_tx"), mysqlStatus(t, srv, "Rpl_semi_sync_source_yes_tx")
	done := make(chan error, 1)
	go func() {
		out, err := srv.Client("mysql", "-e", "INSERT INTO semi.t VALUES (1)").CombinedOutput()
		if err != nil {
			err = fmt.Errorf("%v: %s", err, out)
		}
		done <- err
	}()
	for {
		raw, err := src.ReadEvent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if event.Type(raw[4]) == event.XIDEvent {
			break
		}
	}
	if !src.ack {
		t.Fatal("no ACK requested for the commit")
	}
	time.Sleep(time.Second)
	select {
	case err := <-done:
		t.Fatalf("the commit returned before the ACK: %v", err)
	default:
	}
	if got := mysqlStatus(t, srv, "Rpl_semi_sync_source_yes_tx"); got != yesTx {
		t.Fatalf("Rpl_semi_sync_source_yes_tx = %d before the consumer moved on, was %d", got, yesTx)
	}
	// Accept the XID: the next ReadEvent sends the ACK, then waits.
	rctx, rcancel := context.WithCancel(ctx)
	read := make(chan error, 1)
	go func() {
		_, err := src.ReadEvent(rctx)
		read <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the commit did not return after the ACK")
	}
	if got := mysqlStatus(t, srv, "Rpl_semi_sync_source_yes_tx"); got != yesTx+1 {
		t.Errorf("Rpl_semi_sync_source_yes_tx = %d after the ACK, want %d", got, yesTx+1)
	}
	if got := mysqlStatus(t, srv, "Rpl_semi_sync_source_no_tx"); got != noTx {
		t.Errorf("Rpl_semi_sync_source_no_tx = %d, want %d", got, noTx)
	}
	t.Logf("the commit waited for the consumer, then was acknowledged (yes_tx %d → %d)", yesTx, yesTx+1)
	rcancel()
	<-read
}

// testMySQLDialCrash kills mysqld (SIGKILL) twice while a consumer
// streams: once inside a large uncommitted transaction, once while a large
// committed transaction is being streamed. After each restart the consumer
// must see every committed transaction exactly once, in order, with the
// same row count and sum as the server's table.
func testMySQLDialCrash(t *testing.T, srv *mysqltest.Server, byGTID bool) {
	db := "crash_filepos"
	if byGTID {
		db = "crash_gtid"
	}
	srv.Exec(t, `CREATE DATABASE `+db+`; CREATE TABLE `+db+`.t (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, pad VARCHAR(64)) ENGINE=InnoDB`)
	cfg := DialConfig{DSN: srv.DSN(), HeartbeatPeriod: time.Second, MaxRetries: -1,
		RetryMinBackoff: 50 * time.Millisecond, RetryMaxBackoff: 500 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))}
	if byGTID {
		cfg = startAfter(t, cfg, srv.GTIDExecuted(t))
	} else {
		st := strings.Split(srv.Query(t, "SHOW BINARY LOG STATUS"), "\t")
		cfg.StartFile = st[0]
		cfg.StartPos, _ = strconv.ParseUint(st[1], 10, 64)
	}
	next := int64(1)
	small := func(n int) {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&sb, "BEGIN; INSERT INTO %s.t VALUES (%d, %d, 'a'), (%d, %d, 'b'); COMMIT;\n", db, next, next*7, next+1, (next+1)*7)
			next += 2
		}
		srv.Exec(t, sb.String())
	}
	small(20)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	src, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	c := &crashConsumer{bigSeen: make(chan struct{}), release: make(chan struct{}), finished: make(chan error, 1)}
	go c.run(ctx, src)

	// rows makes n rows from first with a recursive CTE (MySQL has no
	// sequence engine).
	rows := func(first, n int64, v, pad string) string {
		return fmt.Sprintf(`SET SESSION cte_max_recursion_depth = %d; INSERT INTO %s.t WITH RECURSIVE s(n) AS (SELECT %d UNION ALL SELECT n + 1 FROM s WHERE n < %d) SELECT n, %s, %s FROM s`,
			n+1, db, first, first+n-1, v, pad)
	}
	background := func(sql string) chan error {
		done := make(chan error, 1)
		go func() {
			out, err := srv.Client("mysql", "-e", sql).CombinedOutput()
			if err != nil {
				err = fmt.Errorf("%v: %s", err, out)
			}
			done <- err
		}()
		return done
	}

	// 1. A large transaction that never commits: the server dies in it.
	open := background("BEGIN; " + rows(2*bigBase, 100000, "n", "'x'") + "; DO SLEEP(60); COMMIT")
	time.Sleep(1500 * time.Millisecond)
	srv.Kill(t)
	if err := <-open; err == nil {
		t.Fatal("the uncommitted transaction's client did not fail")
	}
	srv.Restart(t)
	small(10)

	// 2. A large committed transaction, killed while the replica streams it.
	big := background(rows(bigBase, 200000, "n * 3", "REPEAT('y', 40)"))
	select {
	case <-c.bigSeen:
	case err := <-c.finished:
		t.Fatalf("consumer ended: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("the large transaction never reached the consumer")
	}
	srv.Kill(t)
	close(c.release)
	bigErr := <-big
	srv.Restart(t)
	next = 2*bigBase + 200000
	small(10)

	f := strings.Fields(srv.Query(t, "SELECT COUNT(*), COALESCE(SUM(v), 0) FROM "+db+".t"))
	wantRows, _ := strconv.ParseInt(f[0], 10, 64)
	wantSum, _ := strconv.ParseInt(f[1], 10, 64)
	bigRows := srv.Query(t, fmt.Sprintf("SELECT COUNT(*) FROM %s.t WHERE id BETWEEN %d AND %d", db, bigBase, 2*bigBase-1))
	t.Logf("large committed transaction: client error %v; its rows on the server after restart: %s", bigErr, bigRows)
	deadline := time.Now().Add(time.Minute)
	for {
		rows, sum, txs, partial, order := c.snapshot()
		if order != nil {
			t.Fatal(order)
		}
		if rows == wantRows && sum == wantSum {
			t.Logf("%d transactions, %d rows, sum %d delivered once each; %d incomplete transactions dropped", txs, rows, sum, partial)
			break
		}
		if rows > wantRows || time.Now().After(deadline) {
			t.Fatalf("consumer has %d rows (sum %d) in %d transactions, server %d (sum %d)", rows, sum, txs, wantRows, wantSum)
		}
		select {
		case err := <-c.finished:
			t.Fatalf("consumer ended: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	time.Sleep(500 * time.Millisecond)
	if rows, sum, _, _, order := c.snapshot(); rows != wantRows || sum != wantSum || order != nil {
		t.Fatalf("after settling: %d rows, sum %d, %v", rows, sum, order)
	}
	cancel()
	if err := <-c.finished; !errors.Is(err, context.Canceled) {
		t.Errorf("consumer ended with %v, want context.Canceled", err)
	}
	if src.Reconnects() < 2 {
		t.Errorf("%d reconnects, want at least 2", src.Reconnects())
	}
	cp := src.Checkpoint()
	t.Logf("checkpoint %v, %d reconnects", cp, src.Reconnects())
	if byGTID {
		mustEqualSets(t, "checkpoint GTID set", checkpointGTIDs(cp), srv.GTIDExecuted(t))
	}
}

func fileSizeOf(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
