//go:build integration

package flashback

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/sqlgen"
)

const rtSchema = `
CREATE DATABASE fb;
USE fb;
CREATE TABLE k (id INT PRIMARY KEY, u INT UNIQUE, name VARCHAR(40), note TEXT, amount DECIMAL(12,3),
  f FLOAT, d DOUBLE, dt DATETIME(6), ts TIMESTAMP(3) NULL, dd DATE, tm TIME(2), y YEAR, b MEDIUMBLOB, bits BIT(10),
  e ENUM('x','y','z'), s SET('p','q','r'), j JSON, big BIGINT UNSIGNED, bin VARBINARY(20)) ENGINE=InnoDB;
CREATE TABLE nokey (a INT, b VARCHAR(20), c DOUBLE) ENGINE=InnoDB;
CREATE TABLE child (id INT AUTO_INCREMENT PRIMARY KEY, k_id INT, v VARCHAR(10)) ENGINE=InnoDB;
INSERT INTO k VALUES
 (1, 10, 'one', 'n1', 1.5, 1.25, 2.5, '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00.5', '2024-01-01', '10:11:12.34', 2024, x'00ff', b'1010101010', 'x', 'p,q', '{"a":1}', 18446744073709551615, x'0102'),
 (2, 20, 'two', NULL, -3.25, NULL, 1e100, '1999-12-31 23:59:59', NULL, '1000-01-01', '-838:59:59', 1901, NULL, b'0', 'y', '', '[1,2,{"b":null}]', 0, ''),
 (3, 30, 'three', REPEAT('t', 300), 0, 0, 0, NULL, '2038-01-19 03:14:07', NULL, NULL, NULL, REPEAT('b', 70000), NULL, NULL, NULL, NULL, 5, NULL);
INSERT INTO nokey VALUES (1,'a',1.5),(1,'a',1.5),(2,'b',NULL),(NULL,NULL,NULL);
INSERT INTO child (k_id, v) VALUES (1,'c1'),(2,'c2'),(3,'c3');
`

const rtWorkload = `
USE fb;
UPDATE k SET u = -u WHERE id IN (1,3);
UPDATE k SET u = CASE id WHEN 1 THEN 30 ELSE 10 END WHERE id IN (1,3);
DELETE FROM k WHERE id = 2;
INSERT INTO k (id, u, name) VALUES (2, 20, 'two again');
INSERT INTO k (id, u, name) VALUES (1, 99, 'dup') ON DUPLICATE KEY UPDATE name = 'dup-updated', amount = amount + 1;
REPLACE INTO k (id, u, name, j) VALUES (3, 33, 'replaced', '{"r":true}');
REPLACE INTO k (id, u, name) VALUES (4, 44, 'new via replace');
BEGIN;
UPDATE nokey SET c = 9.5 WHERE a = 1;
DELETE FROM nokey WHERE a IS NULL;
INSERT INTO nokey VALUES (7,'z',7);
UPDATE child SET v = CONCAT(v, '!');
INSERT INTO child (k_id, v) VALUES (4, 'c4'), (4, 'c5');
DELETE FROM k WHERE id = 4;
COMMIT;
FLUSH BINARY LOGS;
BEGIN;
INSERT INTO k (id, u, name, b) VALUES (5, 50, 'five', REPEAT('x', 100000));
UPDATE k SET note = 'changed', bits = b'1111111111', e = 'z', s = 'p,r', dt = NOW(6) WHERE id < 10;
DELETE FROM child WHERE id = 2;
COMMIT;
DELETE FROM nokey WHERE a = 1 LIMIT 1;
UPDATE k SET id = id + 100;
DELETE FROM k;
`

func rtChecksums(t *testing.T, srv *mariadbtest.Server) string {
	t.Helper()
	return srv.Query(t, "CHECKSUM TABLE fb.k, fb.nokey, fb.child EXTENDED")
}

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// recordWorkload sets up the initial state, records its checksums, runs the
// workload and returns the binlog files holding only the workload.
func recordWorkload(t *testing.T, srv *mariadbtest.Server, schema, workload string) (want string, files []string) {
	srv.ExecFile(t, writeTemp(t, "schema.sql", schema))
	srv.FlushLogs(t)
	first := srv.BinlogFiles(t)
	want = rtChecksums(t, srv)
	srv.ExecFile(t, writeTemp(t, "workload.sql", workload))
	if rtChecksums(t, srv) == want {
		t.Fatal("workload changed nothing")
	}
	srv.FlushLogs(t)
	all := srv.BinlogFiles(t)
	files = all[len(first)-1 : len(all)-1]
	return want, files
}

func flashbackFiles(t *testing.T, files []string, opts Options) *Flashback {
	fb, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fb.Close() })
	for _, f := range files {
		if err := fb.Add(context.Background(), binlog.NewReader(binlog.OpenFiles(f))); err != nil {
			t.Fatal(err)
		}
	}
	return fb
}

// serverVariants are the server settings each round trip runs under:
// plain, and with compressed rows events (MariaDB's log_bin_compress).
var serverVariants = map[string][]string{
	"Plain":      nil,
	"Compressed": {"--log-bin-compress=ON", "--log-bin-compress-min-len=10"},
}

func hasCompressedRows(t *testing.T, files []string) bool {
	r := binlog.NewReader(binlog.OpenFiles(files...))
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if rows, ok := ev.Body.(*event.Rows); ok && rows.IsCompressed() {
			return true
		}
	}
	return false
}

func TestRoundTripSQL(t *testing.T) {
	for name, args := range serverVariants {
		t.Run(name, func(t *testing.T) { roundTripSQL(t, args) })
	}
}

func TestRoundTripBinlog(t *testing.T) {
	for name, args := range serverVariants {
		t.Run(name, func(t *testing.T) { roundTripBinlog(t, args) })
	}
}

func roundTripSQL(t *testing.T, args []string) {
	srv := mariadbtest.Start(t, mariadbtest.WithArgs(args...))
	want, files := recordWorkload(t, srv, rtSchema, rtWorkload)
	if len(args) > 0 && !hasCompressedRows(t, files) {
		t.Fatal("no compressed rows events recorded")
	}
	fb := flashbackFiles(t, files, Options{TempDir: t.TempDir()})
	g := sqlgen.New(nil, sqlgen.Options{})
	var out bytes.Buffer
	out.Write(g.Preamble(nil))
	if err := fb.WriteSQL(&out, g, SQLOptions{}); err != nil {
		t.Fatal(err)
	}
	var sum bytes.Buffer
	fb.Summary().Write(&sum)
	t.Log(sum.String())
	srv.ExecFile(t, writeTemp(t, "rollback.sql", out.String()))
	if got := rtChecksums(t, srv); got != want {
		t.Errorf("after rollback SQL:\n%s\nwant\n%s\nSQL:\n%s", got, want, out.String())
	}
}

func roundTripBinlog(t *testing.T, args []string) {
	srv := mariadbtest.Start(t, mariadbtest.WithArgs(args...))
	want, files := recordWorkload(t, srv, rtSchema, rtWorkload)
	if len(files) < 2 {
		t.Fatalf("the workload spans %d binlog files, want several", len(files))
	}
	fb := flashbackFiles(t, files, Options{TempDir: t.TempDir()})
	dir := t.TempDir()
	names, err := fb.WriteBinlogFiles(filepath.Join(dir, "rollback-bin"), 4096)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 2 {
		t.Errorf("expected the rollback to be split into several files, got %v", names)
	}
	for _, n := range names {
		out, err := exec.Command("mariadb-binlog", "--verify-binlog-checksum", n).CombinedOutput()
		if err != nil {
			t.Fatalf("mariadb-binlog --verify-binlog-checksum %s: %v\n%s", n, err, out)
		}
		// Our own reader with verification accepts it too.
		r := binlog.NewReader(binlog.OpenFiles(n), binlog.WithChecksumVerification(true))
		for _, err := range r.Events(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	text, err := exec.Command("mariadb-binlog", names...).Output()
	if err != nil {
		t.Fatal(err)
	}
	srv.ExecFile(t, writeTemp(t, "replay.sql", string(text)))
	if got := rtChecksums(t, srv); got != want {
		t.Errorf("after rollback binlog:\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(string(text), "BINLOG '") {
		t.Error("no BINLOG statements in mariadb-binlog output")
	}
}
