//go:build integration

package binlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/rowcodec"
)

func isArtificial(raw []byte) bool {
	h, err := event.ParseHeader(raw)
	return err == nil && (h.Flags&event.FlagArtificial != 0 || h.LogPos == 0)
}

// TestIntegrationDialCompare streams a workload from a live server and
// compares every event with the server's binlog files read from disk: the
// same bytes and the same positions.
func TestIntegrationDialCompare(t *testing.T) {
	srv := mariadbtest.Start(t, mariadbtest.WithArgs("--max-allowed-packet=64M"))
	srv.Exec(t, `CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(200), b LONGBLOB) ENGINE=InnoDB; CREATE TABLE d.m (id INT) ENGINE=MyISAM`)
	for i := 0; i < 30; i++ {
		srv.Exec(t, fmt.Sprintf(`BEGIN; INSERT INTO d.t VALUES (%d, REPEAT('v', %d), REPEAT('b', %d)); UPDATE d.t SET v = CONCAT(v, 'x') WHERE id <= %d; COMMIT; INSERT INTO d.m VALUES (%d)`, i, i+20, 1+i*i*300, i, i))
		if i == 10 {
			srv.FlushLogs(t)
		}
	}
	srv.Exec(t, `BEGIN; DELETE FROM d.t WHERE id < 5; ROLLBACK; ALTER TABLE d.t ADD COLUMN w INT AFTER id; INSERT INTO d.t (id, b) VALUES (100, REPEAT('z', 20000000))`)
	srv.Exec(t, `XA START 'x1'; INSERT INTO d.t (id) VALUES (101); XA END 'x1'; XA PREPARE 'x1'; XA COMMIT 'x1'`)

	ctx := context.Background()
	src, err := Dial(ctx, DialConfig{DSN: srv.DSN(), NonBlocking: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Flavor() != event.MariaDB {
		t.Errorf("flavor %v", src.Flavor())
	}
	files := OpenFiles(srv.BinlogFiles(t)...)
	defer files.Close()
	n, art, inUse := 0, 0, 0
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
			h1, _ := event.ParseHeader(raw)
			h2, _ := event.ParseHeader(want)
			t.Fatalf("event %d at %s:%d (%v %+v), file says %s:%d (%v %+v)", n, gf, gp, h1.Type, h1, wf, wp, h2.Type, h2)
		}
		if len(want) > 17 && event.Type(want[4]) == event.FormatDescriptionEvent && want[17]&1 != 0 && len(raw) == len(want) && raw[17]&1 == 0 {
			// The server clears LOG_EVENT_BINLOG_IN_USE_F in the FDE of
			// the file it is still writing when it sends it (the
			// checksum leaves that flag out).
			want = bytes.Clone(want)
			want[17] &^= 1
			inUse++
		}
		if !bytes.Equal(raw, want) {
			for i := range min(len(raw), len(want)) {
				if raw[i] != want[i] {
					t.Logf("first difference at byte %d of %d/%d: %x vs %x", i, len(raw), len(want), raw[i], want[i])
					break
				}
			}
			t.Fatalf("event %d at %s:%d differs: %d vs %d bytes\n%x\n%x", n, gf, gp, len(raw), len(want), raw, want)
		}
		n++
	}
	if _, err := files.ReadEvent(ctx); err != io.EOF {
		t.Fatalf("files have more events than the stream (%d): %v", n, err)
	}
	if art == 0 {
		t.Error("no artificial event")
	}
	t.Logf("%d events equal (%d FDE with the in-use flag cleared), %d artificial", n, inUse, art)
	cp := src.Checkpoint()
	last := srv.BinlogFiles(t)
	if cp.File != filepath.Base(last[len(last)-1]) || cp.GTIDSet.IsEmpty() {
		t.Errorf("checkpoint %v", cp)
	}
}

// TestIntegrationDialReader reads a live stream through the Reader: the
// artificial ROTATE names the file, every event decodes, and Transactions
// sees the commits.
func TestIntegrationDialReader(t *testing.T) {
	srv := mariadbtest.Start(t)
	srv.Exec(t, `CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY) ENGINE=InnoDB`)
	for i := 0; i < 5; i++ {
		srv.Exec(t, fmt.Sprintf(`INSERT INTO d.t VALUES (%d)`, i))
	}
	ctx := context.Background()
	src, err := Dial(ctx, DialConfig{DSN: srv.DSN(), NonBlocking: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r := NewReader(src)
	first := true
	commits := 0
	for tx, err := range r.Transactions(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		for ev, err := range tx.Events() {
			if err != nil {
				t.Fatal(err)
			}
			if first {
				first = false
				rot, ok := ev.Body.(*event.Rotate)
				if !ok || string(rot.NextFile) != "binlog.000001" {
					t.Errorf("first event %v %+v", ev.Header.Type, ev.Body)
				}
			}
		}
		if tx.Complete && tx.XID != 0 {
			commits++
		}
	}
	if commits != 5 {
		t.Errorf("%d commits, want 5", commits)
	}
}

// crashConsumer reads committed transactions of table d.t (id, v) through
// the Reader's Transactions and keeps count: rows, the sum of v, the ids in
// order. The events of a transaction are kept until it completes; an
// incomplete one (cut by a reconnect) is dropped.
type crashConsumer struct {
	mu       sync.Mutex
	rows     int64
	sum      int64
	lastID   int64
	txs      int
	partial  int
	order    error
	bigSeen  chan struct{} // closed at the first rows event of id >= bigBase
	release  chan struct{} // the consumer waits for it there, so the kill lands mid-transaction
	bigOnce  sync.Once
	finished chan error
}

const bigBase = 1_000_000

func (c *crashConsumer) run(ctx context.Context, src *RemoteSource) {
	r := NewReader(src)
	var tb *rowcodec.Table
	vals := make([]rowcodec.Value, 8)
	for tx, err := range r.Transactions(ctx) {
		if err != nil {
			c.finished <- err
			return
		}
		var ids, vs []int64
		for ev, err := range tx.Events() {
			if err != nil {
				c.finished <- err
				return
			}
			rows, ok := ev.Body.(*event.Rows)
			if !ok || ev.Table == nil || string(ev.Table.Table) != "t" {
				continue
			}
			if tb == nil || tb.ID != ev.Table.TableID {
				if tb, err = rowcodec.NewTable(ev.Table); err != nil {
					c.finished <- err
					return
				}
			}
			it := tb.Rows(rows, nil, vals)
			for it.Next() {
				id := it.After[0].Int64()
				if id >= bigBase {
					c.bigOnce.Do(func() {
						close(c.bigSeen)
						<-c.release
					})
				}
				ids = append(ids, id)
				vs = append(vs, it.After[1].Int64())
			}
			if it.Err() != nil {
				c.finished <- it.Err()
				return
			}
		}
		c.mu.Lock()
		if !tx.Complete {
			c.partial++
		} else if len(ids) > 0 {
			c.txs++
			for i, id := range ids {
				if id <= c.lastID && c.order == nil {
					c.order = fmt.Errorf("row id %d after %d: a transaction delivered twice or out of order (tx at %s:%d)", id, c.lastID, tx.File, tx.Pos)
				}
				c.lastID = id
				c.rows++
				c.sum += vs[i]
			}
		}
		c.mu.Unlock()
	}
	c.finished <- io.EOF
}

func (c *crashConsumer) snapshot() (rows, sum int64, txs, partial int, order error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rows, c.sum, c.txs, c.partial, c.order
}

// TestIntegrationDialCrash kills the server (SIGKILL) twice while a
// consumer streams: once inside a large uncommitted transaction, once while
// a large committed transaction is being streamed. After each restart the
// consumer must see every committed transaction exactly once, in order,
// with the same row count and sum as the server's table.
func TestIntegrationDialCrash(t *testing.T) {
	for _, mode := range []string{"filepos", "gtid"} {
		t.Run(mode, func(t *testing.T) { testDialCrash(t, mode == "gtid") })
	}
}

func testDialCrash(t *testing.T, byGTID bool) {
	srv := mariadbtest.Start(t, mariadbtest.WithArgs("--max-allowed-packet=64M"))
	client, err := exec.LookPath("mariadb")
	if err != nil {
		t.Skip("mariadb client not found")
	}
	srv.Exec(t, `CREATE DATABASE d; CREATE TABLE d.t (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, pad VARCHAR(64)) ENGINE=InnoDB`)
	next := int64(1)
	small := func(n int) {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&sb, "BEGIN; INSERT INTO d.t VALUES (%d, %d, 'a'), (%d, %d, 'b'); COMMIT;\n", next, next*7, next+1, (next+1)*7)
			next += 2
		}
		srv.Exec(t, sb.String())
	}
	small(20)

	cfg := DialConfig{DSN: srv.DSN(), HeartbeatPeriod: time.Second, MaxRetries: -1,
		RetryMinBackoff: 50 * time.Millisecond, RetryMaxBackoff: 500 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))}
	if byGTID {
		cfg.GTIDSet = mustSet(t, "0-1-1") // after the CREATE DATABASE: the first GTID of the server
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	src, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	c := &crashConsumer{bigSeen: make(chan struct{}), release: make(chan struct{}), finished: make(chan error, 1)}
	go c.run(ctx, src)

	background := func(sql string) chan error {
		done := make(chan error, 1)
		go func() {
			cmd := exec.Command(client, "--no-defaults", "--user=root", "--socket="+srv.Socket(), "--protocol=socket", "--database=d", "-e", sql)
			out, err := cmd.CombinedOutput()
			if err != nil {
				err = fmt.Errorf("%v: %s", err, out)
			}
			done <- err
		}()
		return done
	}

	// 1. A large transaction that never commits: the server dies in it.
	open := background(fmt.Sprintf(`BEGIN; INSERT INTO d.t SELECT seq, seq, 'x' FROM seq_%d_to_%d; DO SLEEP(60); COMMIT;`, 2*bigBase, 2*bigBase+100000))
	time.Sleep(1500 * time.Millisecond)
	srv.Kill(t)
	if err := <-open; err == nil {
		t.Fatal("the uncommitted transaction's client did not fail")
	}
	srv.Restart(t)
	small(10)

	// 2. A large committed transaction, killed while the replica streams it.
	big := background(fmt.Sprintf(`INSERT INTO d.t SELECT seq, seq * 3, REPEAT('y', 40) FROM seq_%d_to_%d`, bigBase, bigBase+199999))
	// The consumer stops inside the transaction (at its first rows event)
	// until the server is dead, whether or not the INSERT has finished on
	// a loaded machine: the kill always lands while the replica streams it.
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
	// Later ids above the large transaction's.
	next = 2*bigBase + 200000
	small(10)

	want := srv.Query(t, "SELECT COUNT(*), COALESCE(SUM(v), 0) FROM d.t")
	f := strings.Fields(want)
	wantRows, _ := strconv.ParseInt(f[0], 10, 64)
	wantSum, _ := strconv.ParseInt(f[1], 10, 64)
	bigRows := srv.Query(t, fmt.Sprintf("SELECT COUNT(*) FROM d.t WHERE id BETWEEN %d AND %d", bigBase, 2*bigBase-1))
	t.Logf("large committed transaction: client error %v; rows on the server after restart: %s", bigErr, bigRows)
	deadline := time.Now().Add(time.Minute)
	for {
		rows, sum, txs, partial, order := c.snapshot()
		if order != nil {
			t.Fatal(order)
		}
		if rows == wantRows && sum == wantSum {
			t.Logf("%d transactions, %d rows, sum %d; %d incomplete transactions dropped", txs, rows, sum, partial)
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
	// Nothing more arrives: a second late check catches a re-delivery.
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
	if byGTID && cp.GTIDSet.IsEmpty() {
		t.Error("no GTID set in the checkpoint")
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// TestIntegrationDialSemiSync registers as a semi-sync replica: the server
// asks for an ACK of the commit, and the ACK (seen in
// Rpl_semi_sync_master_yes_tx, and in the committing client returning)
// comes only once the consumer has accepted the event.
func TestIntegrationDialSemiSync(t *testing.T) {
	srv := mariadbtest.Start(t, mariadbtest.WithArgs("--rpl-semi-sync-master-enabled=ON", "--rpl-semi-sync-master-timeout=30000", "--rpl-semi-sync-master-wait-no-slave=OFF"))
	client, err := exec.LookPath("mariadb")
	if err != nil {
		t.Skip("mariadb client not found")
	}
	srv.Exec(t, `CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY) ENGINE=InnoDB`)
	status := func(name string) string {
		out := srv.Query(t, "SHOW GLOBAL STATUS LIKE '"+name+"'")
		f := strings.Fields(out)
		if len(f) != 2 {
			t.Fatalf("status %s: %q", name, out)
		}
		return f[1]
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	src, err := Dial(ctx, DialConfig{DSN: srv.DSN(), FromCurrent: true, SemiSync: true, HeartbeatPeriod: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	// The server counts the replica once its dump runs.
	for i := 0; status("Rpl_semi_sync_master_clients") != "1"; i++ {
		if i > 100 {
			t.Fatal("the server never counted a semi-sync replica")
		}
		time.Sleep(50 * time.Millisecond)
	}
	noTx := status("Rpl_semi_sync_master_no_tx")
	t.Logf("semi-sync replica counted")
	done := make(chan error, 1)
	go func() {
		out, err := exec.Command(client, "--no-defaults", "--user=root", "--socket="+srv.Socket(), "-e", "INSERT INTO d.t VALUES (1)").CombinedOutput()
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
	if got := status("Rpl_semi_sync_master_yes_tx"); got != "0" {
		t.Fatalf("Rpl_semi_sync_master_yes_tx = %s before the consumer moved on", got)
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
	if got := status("Rpl_semi_sync_master_yes_tx"); got != "1" {
		t.Errorf("Rpl_semi_sync_master_yes_tx = %s after the ACK, want 1", got)
	}
	if got := status("Rpl_semi_sync_master_no_tx"); got != noTx {
		t.Errorf("Rpl_semi_sync_master_no_tx = %s, want %s", got, noTx)
	}
	t.Logf("commit acknowledged")
	rcancel()
	<-read
	src.Close()
	// Otherwise the shutdown waits for the ACK of its own events.
	srv.Exec(t, "SET GLOBAL rpl_semi_sync_master_enabled = OFF")
}

// TestIntegrationDialThroughput streams a few hundred MB-ish binlog over
// loopback and logs events/s and MB/s, beside mariadb-binlog
// --read-from-remote-server --raw on the same server when it is installed.
func TestIntegrationDialThroughput(t *testing.T) {
	srv := mariadbtest.Start(t)
	srv.Exec(t, `CREATE DATABASE d; CREATE TABLE d.t (id BIGINT PRIMARY KEY, v BIGINT, pad VARCHAR(100)) ENGINE=InnoDB`)
	for i := 0; i < 10; i++ {
		srv.Exec(t, fmt.Sprintf(`INSERT INTO d.t SELECT seq, seq, REPEAT('p', 60) FROM d.seq_%d_to_%d`, i*100000+1, (i+1)*100000))
		srv.Exec(t, fmt.Sprintf(`UPDATE d.t SET v = v + 1 WHERE id BETWEEN %d AND %d`, i*100000+1, i*100000+50000))
	}
	var fileEvents, fileBytes int64
	fl := OpenFiles(srv.BinlogFiles(t)...)
	for {
		raw, err := fl.ReadEvent(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		fileEvents++
		fileBytes += int64(len(raw))
	}
	fl.Close()

	ctx := context.Background()
	start := time.Now()
	src, err := Dial(ctx, DialConfig{DSN: srv.DSN(), NonBlocking: true})
	if err != nil {
		t.Fatal(err)
	}
	var n, bytes int64
	for {
		raw, err := src.ReadEvent(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !isArtificial(raw) {
			n++
			bytes += int64(len(raw))
		}
	}
	el := time.Since(start)
	src.Close()
	if n != fileEvents || bytes != fileBytes {
		t.Fatalf("streamed %d events / %d bytes, files hold %d / %d", n, bytes, fileEvents, fileBytes)
	}
	t.Logf("Dial: %d events, %.1f MB in %v: %.0f events/s, %.1f MB/s", n, float64(bytes)/1e6, el.Round(time.Millisecond),
		float64(n)/el.Seconds(), float64(bytes)/1e6/el.Seconds())
	tool, err := exec.LookPath("mariadb-binlog")
	if err != nil {
		return
	}
	dir := t.TempDir()
	files := srv.BinlogFiles(t)
	start = time.Now()
	cmd := exec.Command(tool, "--no-defaults", "--read-from-remote-server", "--raw", "--host=127.0.0.1",
		"--port="+strconv.Itoa(srv.Port()), "--user=root", "--to-last-log", "--result-file="+dir+"/", filepath.Base(files[0]))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mariadb-binlog: %v: %s", err, out)
	}
	el = time.Since(start)
	t.Logf("mariadb-binlog --read-from-remote-server --raw: %.1f MB in %v: %.0f events/s, %.1f MB/s", float64(fileBytes)/1e6,
		el.Round(time.Millisecond), float64(fileEvents)/el.Seconds(), float64(fileBytes)/1e6/el.Seconds())
}
