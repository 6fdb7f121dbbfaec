//go:build integration

package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

// natsURL is the machine's NATS server with JetStream (.ci/run starts it).
const natsURL = "nats://127.0.0.1:4222"

// server is what the kill test needs of a private MariaDB or MySQL.
type server interface {
	DSN() string
	Exec(t testing.TB, sql string)
	Query(t testing.TB, sql string) string
	Kill(t testing.TB)
	Restart(t testing.TB)
}

func buildBinlogcdc(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "binlogcdc")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func connectNATS(t *testing.T) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := nats.Connect(natsURL, nats.Timeout(2*time.Second))
	if err != nil {
		t.Skipf("NATS with JetStream is not running on %s (.ci/run starts it): %v", natsURL, err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.AccountInfo(context.Background()); err != nil {
		t.Skipf("the NATS server on %s has no JetStream: %v", natsURL, err)
	}
	return nc, js
}

// uniqueStream returns a stream name of this test alone and deletes the
// stream and its checkpoint bucket when the test ends. The name is the
// subject prefix too: a stream left behind by a killed run, or another
// test's, never overlaps this one's subjects.
func uniqueStream(t *testing.T, js jetstream.JetStream) string {
	name := fmt.Sprintf("T%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
	t.Cleanup(func() {
		ctx := context.Background()
		js.DeleteStream(ctx, name)
		js.DeleteKeyValue(ctx, name+"_checkpoints")
	})
	return name
}

const killSchema = `CREATE DATABASE shop;
CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, qty INT, price DECIMAL(10,2), note TEXT);
CREATE TABLE shop.lines (order_id INT NOT NULL, line INT NOT NULL, sku VARCHAR(20), amount BIGINT, PRIMARY KEY (order_id, line))`

// killWorkload commits n transactions of inserts, updates, deletes and
// primary-key changes on both tables, tolerating a server that restarts.
func killWorkload(db *sql.DB, n int, seed uint64) (done, failed int) {
	r := rand.New(rand.NewPCG(seed, 7))
	next := 100000
	for i := 0; i < n; i++ {
		var stmts []string
		for k := 0; k < 1+r.IntN(6); k++ {
			id := 1 + r.IntN(20000)
			switch r.IntN(7) {
			case 0, 1:
				next++
				stmts = append(stmts, fmt.Sprintf("INSERT INTO shop.items VALUES (%d, 'new-%d', %d, %d.25, 'w')", next, next, r.IntN(100), r.IntN(1000)))
			case 2:
				stmts = append(stmts, fmt.Sprintf("UPDATE shop.items SET qty = qty + 1, note = CONCAT(COALESCE(note, ''), 'u') WHERE id = %d", id))
			case 3:
				stmts = append(stmts, fmt.Sprintf("DELETE FROM shop.items WHERE id = %d", id))
			case 4:
				next++
				stmts = append(stmts, fmt.Sprintf("UPDATE shop.items SET id = %d WHERE id = %d", next, id))
			case 5:
				o := 1 + r.IntN(1000)
				stmts = append(stmts, fmt.Sprintf("UPDATE shop.lines SET amount = amount * 2, line = line + 100 WHERE order_id = %d", o))
			case 6:
				o := 1 + r.IntN(1000)
				stmts = append(stmts, fmt.Sprintf("DELETE FROM shop.lines WHERE order_id = %d AND line < 3", o))
				stmts = append(stmts, fmt.Sprintf("INSERT IGNORE INTO shop.lines VALUES (%d, %d, 'sku-%d', %d)", 2000+i, k, i, r.IntN(1<<40)))
			}
		}
		if err := execTx(db, stmts); err != nil {
			failed++
			time.Sleep(200 * time.Millisecond)
			continue
		}
		done++
		time.Sleep(10 * time.Millisecond) // a workload that spans the consumer's runs
	}
	return done, failed
}

func execTx(db *sql.DB, stmts []string) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := tx.Exec(s); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

func openDB(t *testing.T, dsn string) *sql.DB {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestIntegrationKillMariaDB is the kill test on MariaDB: 25,000 rows
// snapshotted while 300 transactions run, binlogcdc killed -9 twice and
// restarted with the same arguments; the tables rebuilt from the stream
// equal the server's, and no change appears twice.
func TestIntegrationKillMariaDB(t *testing.T) {
	killTest(t, mariadbtest.Start(t), false)
}

// TestIntegrationKillMySQL is the same on MySQL 9.7 with GTIDs, with the
// server killed -9 once while a large transaction commits.
func TestIntegrationKillMySQL(t *testing.T) {
	killTest(t, mysqltest.Start(t), true)
}

func killTest(t *testing.T, srv server, killServer bool) {
	bin := buildBinlogcdc(t)
	_, js := connectNATS(t)
	stream := uniqueStream(t, js)
	srv.Exec(t, killSchema)
	// 20,000 items and 5,000 order lines.
	var sb strings.Builder
	for i := 0; i < 20000; i += 1000 {
		sb.Reset()
		sb.WriteString("INSERT INTO shop.items VALUES ")
		for j := i; j < i+1000; j++ {
			if j > i {
				sb.WriteString(",")
			}
			fmt.Fprintf(&sb, "(%d, 'item-%d', %d, %d.50, NULL)", j+1, j+1, j%50, j%997)
		}
		srv.Exec(t, sb.String())
	}
	for i := 0; i < 5000; i += 1000 {
		sb.Reset()
		sb.WriteString("INSERT INTO shop.lines VALUES ")
		for j := i; j < i+1000; j++ {
			if j > i {
				sb.WriteString(",")
			}
			fmt.Fprintf(&sb, "(%d, %d, 'sku-%d', %d)", 1+j/5, j%5, j, j*1000)
		}
		srv.Exec(t, sb.String())
	}
	db := openDB(t, srv.DSN())
	args := []string{"--dsn", srv.DSN(), "--nats", natsURL, "--stream", stream, "--subject-prefix", stream,
		"--snapshot", "--tables", "shop", "--chunk-size", "100", "--server-id", "4242"}
	logs := filepath.Join(t.TempDir(), "binlogcdc.log")
	logf, err := os.Create(logs)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	start := func(extra ...string) *exec.Cmd {
		cmd := exec.Command(bin, append(append([]string(nil), args...), extra...)...)
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	var wg sync.WaitGroup
	wg.Add(1)
	var done, failed int
	go func() {
		defer wg.Done()
		done, failed = killWorkload(db, 300, 1)
	}()
	if killServer {
		// A large transaction, and the server killed while it commits.
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(1500 * time.Millisecond)
			go db.Exec("INSERT INTO shop.lines SELECT 900000 + id, 1, 'big', id FROM shop.items")
			time.Sleep(60 * time.Millisecond)
			srv.Kill(t)
			srv.Restart(t)
		}()
	}
	for kill := 0; kill < 2; kill++ {
		cmd := start()
		if kill == 0 {
			// The first kill lands inside the snapshot.
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if b, _ := os.ReadFile(logs); strings.Contains(string(b), "snapshot started") {
					break
				}
			}
		}
		time.Sleep(time.Duration(200+kill*700+rand.IntN(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	wg.Wait()
	t.Logf("workload: %d transactions committed, %d failed (server restart)", done, failed)
	// SIGTERM stops a run cleanly: exit status 0, the checkpoint stored.
	cmd := start()
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		b, _ := os.ReadFile(logs)
		t.Fatalf("binlogcdc after SIGTERM: %v\n%s", err, tail(b, 2000))
	}
	cmd = start("--non-blocking")
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			b, _ := os.ReadFile(logs)
			t.Fatalf("last binlogcdc run: %v\n%s", err, tail(b, 3000))
		}
	case <-time.After(3 * time.Minute):
		cmd.Process.Kill()
		b, _ := os.ReadFile(logs)
		t.Fatalf("the last binlogcdc run did not end\n%s", tail(b, 3000))
	}
	b, _ := os.ReadFile(logs)
	t.Logf("binlogcdc's log (tail):\n%s", tail(b, 1500))
	resumed, snapResumed := strings.Count(string(b), "binlogcdc: resuming at"), strings.Count(string(b), "snapshot resumed")
	t.Logf("runs resumed from a checkpoint: %d, of which in the middle of the snapshot: %d", resumed, snapResumed)
	if resumed < 3 || snapResumed < 1 {
		t.Errorf("the kills did not interrupt the runs as planned (%d resumed, %d mid-snapshot)", resumed, snapResumed)
	}

	got, stats := rebuild(t, js, stream)
	t.Logf("stream: %d messages (%d snapshot reads, %d snapshot ids)", stats.messages, stats.reads, len(stats.snapshots))
	want := sourceTables(t, db)
	for _, tbl := range []string{"items", "lines"} {
		compareTables(t, tbl, got[tbl], want[tbl])
	}
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

type rebuildStats struct {
	messages, reads int
	snapshots       map[string]bool
}

// rebuild reads every message of the stream in order and applies them:
// reads and inserts put the row under its key, updates move it (a key
// change deletes the old key), deletes remove it. It fails the test when a
// change appears twice: a binlog change by its file, position and row, a
// snapshot read by its snapshot and key.
func rebuild(t *testing.T, js jetstream.JetStream, stream string) (map[string]map[string]string, rebuildStats) {
	ctx := context.Background()
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	info, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	si, _ := info.Info(ctx)
	total := int(si.State.Msgs)
	tables := map[string]map[string]string{}
	seen := map[string]int{}
	st := rebuildStats{snapshots: map[string]bool{}}
	for st.messages < total {
		batch, err := cons.Fetch(1000, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for m := range batch.Messages() {
			n++
			st.messages++
			var ev struct {
				Before, After map[string]any
				Op            string
				Source        struct {
					Snapshot string
					DB       string
					Table    string
					File     string
					Pos      uint64
					Row      int
				}
			}
			if err := json.Unmarshal(m.Data(), &ev); err != nil {
				t.Fatalf("message %d: %v: %s", st.messages, err, m.Data())
			}
			var id string
			if ev.Op == "r" {
				st.reads++
				snap := m.Headers().Get("Nats-Msg-Id")
				st.snapshots[strings.Split(snap, ":")[1]] = true
				id = snap
			} else {
				id = fmt.Sprintf("%s:%d:%d", ev.Source.File, ev.Source.Pos, ev.Source.Row)
			}
			seen[id]++
			if seen[id] == 2 {
				t.Errorf("change %s (%s on %s) appears twice", id, ev.Op, ev.Source.Table)
			}
			tbl := tables[ev.Source.Table]
			if tbl == nil {
				tbl = map[string]string{}
				tables[ev.Source.Table] = tbl
			}
			key := m.Headers().Get("Cdc-Key")
			switch ev.Op {
			case "c", "r":
				tbl[key] = canon(ev.After)
			case "u":
				delete(tbl, keyOf(ev.Source.Table, ev.Before))
				tbl[key] = canon(ev.After)
			case "d":
				delete(tbl, key)
			case "t":
				clear(tbl)
			}
		}
		if err := batch.Error(); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatalf("read %d of %d messages", st.messages, total)
		}
	}
	return tables, st
}

// keyOf renders the key of a row of the test's tables as the sink's key
// header does.
func keyOf(table string, row map[string]any) string {
	if table == "lines" {
		return fmt.Sprintf(`{"order_id":%v,"line":%v}`, row["order_id"], row["line"])
	}
	return fmt.Sprintf(`{"id":%v}`, row["id"])
}

func canon(row map[string]any) string {
	keys := make([]string, 0, len(row))
	for k := range row {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v;", k, row[k])
	}
	return b.String()
}

// sourceTables reads the tables from the server in the same form.
func sourceTables(t *testing.T, db *sql.DB) map[string]map[string]string {
	out := map[string]map[string]string{"items": {}, "lines": {}}
	rows, err := db.Query("SELECT id, name, qty, price, note FROM shop.items")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var name string
		var qty sql.NullInt64
		var price, note sql.NullString
		if err := rows.Scan(&id, &name, &qty, &price, &note); err != nil {
			t.Fatal(err)
		}
		row := map[string]any{"id": float64(id), "name": name, "qty": nil, "price": nil, "note": nil}
		if qty.Valid {
			row["qty"] = float64(qty.Int64)
		}
		if price.Valid {
			row["price"] = price.String
		}
		if note.Valid {
			row["note"] = note.String
		}
		out["items"][keyOf("items", row)] = canon(row)
	}
	rows.Close()
	rows, err = db.Query("SELECT order_id, line, sku, amount FROM shop.lines")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var o, l int64
		var sku sql.NullString
		var amount sql.NullInt64
		if err := rows.Scan(&o, &l, &sku, &amount); err != nil {
			t.Fatal(err)
		}
		row := map[string]any{"order_id": float64(o), "line": float64(l), "sku": nil, "amount": nil}
		if sku.Valid {
			row["sku"] = sku.String
		}
		if amount.Valid {
			row["amount"] = float64(amount.Int64)
		}
		out["lines"][keyOf("lines", row)] = canon(row)
	}
	rows.Close()
	return out
}

func compareTables(t *testing.T, name string, got, want map[string]string) {
	t.Helper()
	bad := 0
	for k, w := range want {
		if g, ok := got[k]; !ok {
			if bad++; bad < 10 {
				t.Errorf("%s: row %s missing from the stream (want %s)", name, k, w)
			}
		} else if g != w {
			if bad++; bad < 10 {
				t.Errorf("%s: row %s is %s in the stream, %s in the server", name, k, g, w)
			}
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			if bad++; bad < 10 {
				t.Errorf("%s: row %s (%s) is in the stream, not in the server", name, k, g)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d rows differ (server %d rows, stream %d)", name, bad, len(want), len(got))
	} else {
		t.Logf("%s: %d rows, the same in the stream and the server", name, len(want))
	}
}
