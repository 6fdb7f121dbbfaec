//go:build integration

package binlog

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// TestLiveMariaDB records binlogs from a private MariaDB running a workload
// (row and statement events, transactions, a rollback, DDL, compressed events,
// checksums on), then reads them with the Reader and checks, per file: the
// event positions equal mariadb-binlog's "# at" lines; every event
// re-encodes to its exact bytes; and the transactions the iterator finds equal
// the commits the workload made.
func TestLiveMariaDB(t *testing.T) {
	for _, variant := range []struct {
		name string
		args []string
	}{
		{"full-crc32", nil},
		{"minimal-nochecksum-compressed", []string{"--binlog-row-image=MINIMAL", "--binlog-checksum=NONE", "--log-bin-compress=ON", "--log-bin-compress-min-len=10"}},
	} {
		t.Run(variant.name, func(t *testing.T) {
			srv := mariadbtest.Start(t, mariadbtest.WithArgs(variant.args...), mariadbtest.WithServerID(7))
			srv.Exec(t, `CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(200), b BLOB) ENGINE=InnoDB;`)
			const commits = 40
			for i := 0; i < commits; i++ {
				srv.Exec(t, fmt.Sprintf(`BEGIN; INSERT INTO shop.t VALUES (%d, REPEAT('v', %d), REPEAT('b', 300)); UPDATE shop.t SET v = CONCAT(v, 'x') WHERE id <= %d; COMMIT;`, i, i+20, i))
			}
			srv.Exec(t, `BEGIN; DELETE FROM shop.t WHERE id < 5; ROLLBACK;`)
			srv.Exec(t, `ALTER TABLE shop.t ADD COLUMN w INT AFTER id; DELETE FROM shop.t WHERE id >= 35;`)
			srv.FlushLogs(t)
			files := srv.BinlogFiles(t)

			tool, err := exec.LookPath("mariadb-binlog")
			if err != nil {
				t.Skip("mariadb-binlog not installed")
			}
			xids := 0
			for _, f := range files {
				out, err := exec.Command(tool, "--no-defaults", f).Output()
				if err != nil {
					t.Fatalf("mariadb-binlog %s: %v", f, err)
				}
				var theirs []uint64
				sc := bufio.NewScanner(bytes.NewReader(out))
				sc.Buffer(nil, 1<<24)
				for sc.Scan() {
					if rest, ok := strings.CutPrefix(sc.Text(), "# at "); ok {
						n, _ := strconv.ParseUint(rest, 10, 64)
						theirs = append(theirs, n)
					}
				}
				s := readAll(t, f)
				if s.end != nil {
					t.Fatalf("%s: %v", filepath.Base(f), s.end)
				}
				var ours []uint64
				for _, ev := range s.events {
					ours = append(ours, ev.Pos)
					if ev.Header.Type == event.XIDEvent {
						xids++
					}
					got, err := event.AppendEvent(nil, ev)
					if err != nil || !bytes.Equal(got, ev.Raw) {
						t.Errorf("%s@%d %v: re-encoding differs (%v)", filepath.Base(f), ev.Pos, ev.Header.Type, err)
					}
				}
				if !slices.Equal(ours, theirs) {
					t.Errorf("%s: positions differ from mariadb-binlog\n ours   %v\n theirs %v", filepath.Base(f), ours, theirs)
				}
			}

			// Transactions across all files: every commit is one complete
			// transaction with a GTID; the rollback is not logged.
			r := NewReader(OpenFiles(files...))
			complete, withGTID := 0, 0
			for tx, err := range r.Transactions(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				for _, err := range tx.Events() {
					if err != nil {
						t.Fatal(err)
					}
				}
				if tx.Transactional && tx.Complete && tx.XID != 0 {
					complete++
				}
				if tx.HasGTID {
					withGTID++
					if tx.GTID.Domain != 0 || tx.GTID.ServerID != 7 {
						t.Errorf("transaction at %d: GTID %v, want domain 0 server 7", tx.Pos, tx.GTID)
					}
				}
			}
			if complete != commits+1 || xids != commits+1 { // + the autocommit DELETE
				t.Errorf("%d complete XID transactions, %d XID events; want %d", complete, xids, commits+1)
			}
			if withGTID < commits+2 { // the commits, CREATE TABLE, ALTER, ...
				t.Errorf("%d transactions with a GTID, want at least %d", withGTID, commits+2)
			}
		})
	}
}
