//go:build integration

package binlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
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
	if src.Flavor() != "mariadb" {
		t.Errorf("flavor %q", src.Flavor())
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
	if cp.File != filepath.Base(last[len(last)-1]) || cp.GTIDSet == "" {
		t.Errorf("checkpoint %v", cp)
	}
	_ = errors.Is
	_ = time.Second
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
