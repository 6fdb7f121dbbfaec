//go:build integration

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

// mysqlWorkload covers the column types, keyless and keyed tables, DDL
// mid-stream, multi-table transactions, a tagged GTID and a compressed
// transaction, across three binlog files.
const mysqlWorkload = `CREATE DATABASE shop;
CREATE TABLE shop.items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100), price DECIMAL(12,4), qty BIGINT UNSIGNED,
  made DATETIME(6), flags SET('a','b','c'), kind ENUM('x','y'), bits BIT(12), doc JSON, data MEDIUMBLOB,
  f FLOAT, d DOUBLE, t TIME(3), y YEAR, pt POINT, ts TIMESTAMP(2) NULL) ENGINE=InnoDB;
CREATE TABLE shop.nokey (a INT, b VARCHAR(20) CHARACTER SET latin1) ENGINE=InnoDB;
CREATE TABLE shop.orders (id BIGINT PRIMARY KEY, item INT, n INT, KEY (item)) ENGINE=InnoDB;
SET SESSION cte_max_recursion_depth = 10000;
INSERT INTO shop.items (name, price, qty, made, flags, kind, bits, doc, data, f, d, t, y, pt, ts)
  WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 500)
  SELECT CONCAT('item ', n, ' ☃ 🐬'), n * 1.2345, n * 1000000000000, '2026-01-02 03:04:05.123456' + INTERVAL n SECOND,
    IF(n % 2, 'a,c', ''), IF(n % 3, 'x', 'y'), n, JSON_OBJECT('n', n, 'arr', JSON_ARRAY(n, 'x', 1.5)), REPEAT('b', n * 10),
    n / 3, n / 7, '12:34:56.789', 2000 + n % 100, ST_GeomFromText(CONCAT('POINT(', n, ' ', n, ')')), '2026-05-06 07:08:09.12' FROM s;
FLUSH BINARY LOGS;
BEGIN;
UPDATE shop.items SET qty = qty + 1, made = made + INTERVAL 1 DAY WHERE id % 3 = 0;
INSERT INTO shop.orders SELECT id, id, id % 7 FROM shop.items WHERE id % 2 = 0;
DELETE FROM shop.items WHERE id % 10 = 0;
COMMIT;
INSERT INTO shop.nokey VALUES (1, 'a'), (1, 'a'), (2, NULL), (3, 'café');
UPDATE shop.nokey SET b = 'z' WHERE a = 1 LIMIT 1;
ALTER TABLE shop.items ADD COLUMN note VARCHAR(10) DEFAULT 'n' AFTER name;
UPDATE shop.items SET note = 'm', doc = JSON_SET(doc, '$.k', 1) WHERE id < 50;
SET gtid_next = 'AUTOMATIC:fp';
INSERT INTO shop.orders VALUES (100001, 1, 1);
SET gtid_next = 'AUTOMATIC';
SET SESSION binlog_transaction_compression = ON;
UPDATE shop.orders SET n = n + 1 WHERE id < 300;
SET SESSION binlog_transaction_compression = OFF;
FLUSH BINARY LOGS;
DELETE FROM shop.orders WHERE id > 400;
DROP TABLE shop.nokey;
CREATE TABLE shop.nokey2 (a INT) ENGINE=InnoDB;
INSERT INTO shop.nokey2 VALUES (1), (2);
`

const mysqlTableList = "SELECT CONCAT('`', table_schema, '`.`', table_name, '`') FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema') ORDER BY 1"

// TestIntegrationMySQL serves the binlogs of a private MySQL 9.7 source
// (gtid_mode=ON) through fakeprimary to MySQL's own tools: mysqlbinlog
// --read-from-remote-server --raw writes back files identical to those
// served (by file position and by GTID), and MySQL 9.7 replicas (CHANGE
// REPLICATION SOURCE TO …; START REPLICA, by file position and with
// SOURCE_AUTO_POSITION) end up with the source's CHECKSUM TABLE.
func TestIntegrationMySQL(t *testing.T) {
	src := mysqltest.Start(t)
	src.Exec(t, mysqlWorkload)
	names := src.Query(t, mysqlTableList)
	tables := strings.Split(names, "\n")
	if len(tables) != 3 {
		t.Fatalf("the workload left tables %v", tables)
	}
	checksums := func(s *mysqltest.Server) string { return s.Query(t, "CHECKSUM TABLE "+strings.Join(tables, ", ")) }
	want := checksums(src)
	gtids := src.GTIDExecuted(t)
	uuid := src.Query(t, "SELECT @@server_uuid")
	in := src.Install()
	// Transactions in the middle of the first two files, for
	// --exclude-gtids.
	exclude := uuid + ":3-4:7:fp:1"

	// mysqlbinlog runs MySQL's mysqlbinlog --raw against host:port and
	// returns the directory it wrote to. MySQL 9's clients load
	// mysql_native_password, which fakeprimary asks for, from the plugin
	// directory.
	mysqlbinlog := func(t *testing.T, host, port, password, mode, exclude string) string {
		out := t.TempDir() + "/"
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		args := []string{"--no-defaults", "--plugin-dir=" + in.PluginDir(), "--read-from-remote-source=" + mode,
			"--host=" + host, "--port=" + port, "--user=root", "--password=" + password, "--ssl-mode=DISABLED",
			"--raw", "--to-last-log", "--result-file=" + out}
		if exclude != "" {
			args = append(args, "--exclude-gtids="+exclude)
		}
		if b, err := in.CommandContext(ctx, "mysqlbinlog", append(args, "binlog.000001")...).CombinedOutput(); err != nil {
			t.Fatalf("mysqlbinlog: %v\n%s", err, b)
		}
		return out
	}
	// The real server's answer to --exclude-gtids, while it runs: the
	// fake primary's must be the same.
	fromServer := mysqlbinlog(t, "127.0.0.1", fmt.Sprint(src.Port()), "", "BINLOG-DUMP-GTIDS", exclude)

	// A clean shutdown completes the last file (STOP, in-use flag cleared).
	src.Stop(t)
	files := src.BinlogFiles(t)
	host, port := startFakePrimaryArgs(t, []string{"--version", in.ServerVersion() + "-fakeprimary", "--server-id", "1"}, files)
	var total int
	for _, f := range files {
		st, _ := os.Stat(f)
		total += int(st.Size())
	}
	t.Logf("serving %d files (%d bytes) of MySQL %s; source GTIDs %s", len(files), total, in.ServerVersion(), gtids)

	for _, mode := range []string{"BINLOG-DUMP-NON-GTIDS", "BINLOG-DUMP-GTIDS"} {
		t.Run("mysqlbinlog raw "+mode, func(t *testing.T) {
			out := mysqlbinlog(t, host, port, "s3cret", mode, "")
			n := 0
			for _, f := range files {
				want, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(filepath.Join(out, filepath.Base(f)))
				if err != nil {
					t.Fatalf("mysqlbinlog did not write %s: %v", filepath.Base(f), err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s: %d bytes written back, %d served, first difference at byte %d",
						filepath.Base(f), len(got), len(want), firstDiff(got, want))
				}
				n += len(got)
			}
			if written, _ := filepath.Glob(out + "*"); len(written) != len(files) {
				t.Errorf("mysqlbinlog wrote %d files, %d served", len(written), len(files))
			}
			t.Logf("%d files, %d bytes identical", len(files), n)
		})
	}

	t.Run("mysqlbinlog raw --exclude-gtids", func(t *testing.T) {
		out := mysqlbinlog(t, host, port, "s3cret", "BINLOG-DUMP-GTIDS", exclude)
		var paths []string
		n := 0
		for i, f := range files {
			name := filepath.Base(f)
			paths = append(paths, filepath.Join(out, name))
			got, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatalf("mysqlbinlog did not write %s: %v", name, err)
			}
			want, err := os.ReadFile(filepath.Join(fromServer, name))
			if err != nil {
				t.Fatalf("from the server, mysqlbinlog did not write %s: %v", name, err)
			}
			// The server's last file was still open (no STOP yet).
			if i == len(files)-1 && len(got) > len(want) {
				got = got[:len(want)]
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: %d bytes from fakeprimary, %d from the server, first difference at byte %d", name, len(got), len(want), firstDiff(got, want))
			}
			n += len(want)
		}
		// The excluded transactions are not there; the others are, once.
		have := map[string]int{}
		r := binlog.NewReader(binlog.OpenFiles(paths...))
		for tx, err := range r.Transactions(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			for _, err := range tx.Events() {
				if err != nil {
					t.Fatal(err)
				}
			}
			if tx.HasGTID {
				have[tx.GTID.String()]++
			}
		}
		all, _ := binlog.ParseGTIDSet(gtids)
		ex, _ := binlog.ParseGTIDSet(exclude)
		got := new(binlog.GTIDSet)
		for g, k := range have {
			pg, _ := binlog.ParseGTID(g)
			if k != 1 || ex.Contains(pg) || !all.Contains(pg) {
				t.Errorf("GTID %s written %d times", g, k)
			}
			got.Add(pg)
		}
		got.AddSet(ex)
		if !got.Equal(all) {
			t.Errorf("written %s plus excluded %s is not the source's %s", got, exclude, gtids)
		}
		t.Logf("--exclude-gtids=%s: %d transactions written, %d bytes identical to the server's answer", exclude, len(have), n)
	})

	for i, c := range []struct{ name, source string }{
		{"replica by file position", fmt.Sprintf("SOURCE_LOG_FILE='%s', SOURCE_LOG_POS=4, SOURCE_AUTO_POSITION=0", filepath.Base(files[0]))},
		{"replica by GTID auto-position", "SOURCE_AUTO_POSITION=1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := mysqltest.Start(t, mysqltest.WithServerID(uint32(2+i)))
			// A MySQL 9.7 replica asks for TLS unless told SOURCE_SSL=0;
			// fakeprimary offers none.
			rep.Exec(t, fmt.Sprintf(`CHANGE REPLICATION SOURCE TO SOURCE_HOST='%s', SOURCE_PORT=%s, SOURCE_USER='root', SOURCE_PASSWORD='s3cret',
				SOURCE_SSL=0, SOURCE_CONNECT_RETRY=1, %s; START REPLICA`, host, port, c.source))
			deadline := time.Now().Add(90 * time.Second)
			for {
				if rep.Query(t, mysqlTableList) == names && checksums(rep) == want {
					break
				}
				if time.Now().After(deadline) {
					status, _ := rep.Client("mysql", "--vertical", "-e", "SHOW REPLICA STATUS").CombinedOutput()
					t.Fatalf("the replica did not converge in 90 s; SHOW REPLICA STATUS:\n%s", status)
				}
				time.Sleep(300 * time.Millisecond)
			}
			// Every transaction was applied once, under its own GTID.
			if got := rep.GTIDExecuted(t); got != gtids {
				t.Errorf("replica gtid_executed %s, source %s", got, gtids)
			}
			t.Logf("CHECKSUM TABLE equal on %d tables:\n%s", len(tables), want)
			rep.Exec(t, "STOP REPLICA")
		})
	}
}
