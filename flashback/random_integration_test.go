//go:build integration

package flashback

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/sqlgen"
)

const randSchema = `
DROP DATABASE IF EXISTS fb;
CREATE DATABASE fb;
USE fb;
CREATE TABLE k (id INT PRIMARY KEY, u INT UNIQUE, name VARCHAR(40), note TEXT, amount DECIMAL(12,3),
  dt DATETIME(3), b BLOB, j JSON) ENGINE=InnoDB;
CREATE TABLE nokey (a INT, b VARCHAR(20), c DOUBLE) ENGINE=InnoDB;
CREATE TABLE child (id INT AUTO_INCREMENT PRIMARY KEY, k_id INT, v VARCHAR(40)) ENGINE=InnoDB;
`

// randomWorkload returns the initial data and a workload of n statements
// drawn from r: inserts, updates (also of the key and the unique column),
// deletes, REPLACE and INSERT … ON DUPLICATE KEY UPDATE on a keyed and a
// keyless table, grouped into transactions, some rolled back.
func randomWorkload(r *rand.Rand, n int) (initial, workload string) {
	str := func() string {
		const letters = "abcxyz'\\\"é"
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(string([]rune(letters)[r.IntN(len([]rune(letters)))]))
		}
		return "'" + strings.NewReplacer("\\", "\\\\", "'", "\\'").Replace(b.String()) + "'"
	}
	uval := func() string {
		if r.IntN(4) == 0 {
			return "NULL"
		}
		return fmt.Sprint(r.IntN(200))
	}
	row := func() string {
		return fmt.Sprintf("(%d, %s, %s, REPEAT('n', %d), %d.%03d, '2024-0%d-1%d 10:00:0%d.%d', REPEAT(x'ff00', %d), '{\"k\":%d}')",
			r.IntN(60), uval(), str(), r.IntN(50), r.IntN(100000)-50000, r.IntN(1000), 1+r.IntN(9), r.IntN(10), r.IntN(10), r.IntN(1000), r.IntN(300), r.IntN(9))
	}
	var ini strings.Builder
	ini.WriteString("USE fb;\n")
	for range 30 {
		fmt.Fprintf(&ini, "INSERT IGNORE INTO k VALUES %s;\n", row())
		fmt.Fprintf(&ini, "INSERT INTO nokey VALUES (%d, %s, %d.5);\n", r.IntN(10), str(), r.IntN(100))
		fmt.Fprintf(&ini, "INSERT INTO child (k_id, v) VALUES (%d, %s);\n", r.IntN(60), str())
	}
	stmts := []func() string{
		func() string { return "INSERT IGNORE INTO k VALUES " + row() + ", " + row() },
		func() string {
			return fmt.Sprintf("UPDATE IGNORE k SET name = %s, amount = amount + 1 WHERE id BETWEEN %d AND %d", str(), r.IntN(60), r.IntN(60))
		},
		func() string { return fmt.Sprintf("UPDATE IGNORE k SET u = %s WHERE id = %d", uval(), r.IntN(60)) },
		func() string { return fmt.Sprintf("UPDATE IGNORE k SET id = id + 100 WHERE id %% 7 = %d", r.IntN(7)) },
		func() string { return fmt.Sprintf("DELETE FROM k WHERE id %% 5 = %d LIMIT %d", r.IntN(5), 1+r.IntN(3)) },
		func() string { return "REPLACE INTO k VALUES " + row() },
		func() string {
			return "INSERT INTO k VALUES " + row() + " ON DUPLICATE KEY UPDATE name = VALUES(name), note = CONCAT(IFNULL(note,''), 'x')"
		},
		func() string {
			return fmt.Sprintf("INSERT INTO nokey VALUES (%d, %s, NULL), (%d, %s, 1e300)", r.IntN(10), str(), r.IntN(10), str())
		},
		func() string {
			return fmt.Sprintf("UPDATE nokey SET c = c * 2, b = %s WHERE a = %d", str(), r.IntN(10))
		},
		func() string { return fmt.Sprintf("DELETE FROM nokey WHERE a = %d LIMIT 1", r.IntN(10)) },
		func() string { return fmt.Sprintf("UPDATE child SET v = %s WHERE k_id < %d", str(), r.IntN(60)) },
		func() string { return fmt.Sprintf("DELETE FROM child WHERE id = %d", 1+r.IntN(40)) },
		func() string { return fmt.Sprintf("INSERT INTO child (k_id, v) VALUES (%d, %s)", r.IntN(60), str()) },
	}
	var w strings.Builder
	w.WriteString("USE fb;\n")
	for i := 0; i < n; {
		group := 1 + r.IntN(5)
		tx := r.IntN(3) != 0
		if tx {
			w.WriteString("BEGIN;\n")
		}
		for range group {
			w.WriteString(stmts[r.IntN(len(stmts))]() + ";\n")
			i++
		}
		if tx {
			if r.IntN(8) == 0 {
				w.WriteString("ROLLBACK;\n")
			} else {
				w.WriteString("COMMIT;\n")
			}
		}
	}
	return ini.String(), w.String()
}

// TestRoundTripRandom runs generated workloads on one server, each undone
// alternately by rollback SQL and by the rollback binlog replayed with
// mariadb-binlog, and checks every table's checksum comes back.
func TestRoundTripRandom(t *testing.T) {
	srv := mariadbtest.Start(t)
	rounds := 8
	if s := os.Getenv("FLASHBACK_RANDOM_ROUNDS"); s != "" {
		fmt.Sscan(s, &rounds)
	}
	for seed := range uint64(rounds) {
		r := rand.New(rand.NewPCG(seed, 34))
		initial, workload := randomWorkload(r, 40+r.IntN(80))
		want, files := recordWorkload(t, srv, randSchema+initial, workload)
		fb := flashbackFiles(t, files, Options{TempDir: t.TempDir(), MemoryBudget: 1 << 20})
		var how string
		if seed%2 == 0 {
			how = "SQL"
			g := sqlgen.New(nil, sqlgen.Options{})
			var out bytes.Buffer
			out.Write(g.Preamble(nil))
			opts := SQLOptions{ChunkRows: int(seed % 3 * 7), OneTransaction: seed%4 == 2}
			if err := fb.WriteSQL(&out, g, opts); err != nil {
				t.Fatal(err)
			}
			srv.ExecFile(t, writeTemp(t, "rollback.sql", out.String()))
		} else {
			how = "binlog"
			opts := BinlogOptions{MaxFileSize: 16 << 10, ChunkRows: int(seed % 3 * 7), OneTransaction: seed%4 == 3}
			names, err := fb.WriteBinlogOpts(filepath.Join(t.TempDir(), "rb"), opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range names {
				if out, err := exec.Command("mariadb-binlog", "--verify-binlog-checksum", n).CombinedOutput(); err != nil {
					t.Fatalf("seed %d: verify %s: %v\n%s", seed, n, err, out)
				}
			}
			text, err := exec.Command("mariadb-binlog", names...).Output()
			if err != nil {
				t.Fatal(err)
			}
			srv.ExecFile(t, writeTemp(t, "replay.sql", string(text)))
		}
		if got := rtChecksums(t, srv); got != want {
			keep := filepath.Join(os.TempDir(), fmt.Sprintf("flashback-random-%d.sql", seed))
			os.WriteFile(keep, []byte(workload), 0o644)
			t.Errorf("seed %d (%s): checksums after rollback differ (workload in %s)\n got %s\nwant %s", seed, how, keep, got, want)
		} else {
			t.Logf("seed %d (%s): %d transactions undone", seed, how, fb.Summary().Transactions)
		}
	}
}
