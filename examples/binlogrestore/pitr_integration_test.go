//go:build integration

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

// pitrServer is what the point-in-time journey needs of a private server.
type pitrServer interface {
	Exec(t testing.TB, sql string)
	Query(t testing.TB, sql string) string
	FlushLogs(t testing.TB)
	BinlogFiles(t testing.TB) []string
	DSN() string
	ExecFile(t testing.TB, path string)
}

// engine starts servers of one kind and dumps them.
type engine struct {
	name  string
	start func(t *testing.T, id uint32) pitrServer
	// dump writes a dump of database pitr with its binlog coordinates to
	// path and returns them: file, position and the GTID set.
	dump func(t *testing.T, s pitrServer, path string) (file string, pos uint64, gtid string)
	// nextGTID is the GTID the server gives its next transaction.
	nextGTID func(t *testing.T, s pitrServer) string
}

var mariadbEngine = engine{
	name:  "MariaDB",
	start: func(t *testing.T, id uint32) pitrServer { return mariadbtest.Start(t, mariadbtest.WithServerID(id)) },
	dump: func(t *testing.T, s pitrServer, path string) (string, uint64, string) {
		m := s.(*mariadbtest.Server)
		out, err := exec.Command("mariadb-dump", "--no-defaults", "-uroot", "--socket="+m.Socket(), "--single-transaction",
			"--master-data=2", "--gtid", "--databases", "pitr").Output()
		if err != nil {
			t.Fatalf("mariadb-dump: %v", err)
		}
		os.WriteFile(path, out, 0o644)
		c := regexp.MustCompile(`CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\d+)`).FindSubmatch(out)
		g := regexp.MustCompile(`SET GLOBAL gtid_slave_pos='([^']*)'`).FindSubmatch(out)
		if c == nil || g == nil {
			t.Fatalf("mariadb-dump --master-data --gtid wrote no coordinates:\n%.2000s", out)
		}
		pos, _ := strconv.ParseUint(string(c[2]), 10, 64)
		return string(c[1]), pos, string(g[1])
	},
	nextGTID: func(t *testing.T, s pitrServer) string {
		var d, sv, seq int
		fmt.Sscanf(s.Query(t, "SELECT @@gtid_binlog_pos"), "%d-%d-%d", &d, &sv, &seq)
		return fmt.Sprintf("%d-%d-%d", d, sv, seq+1)
	},
}

var mysqlEngine = engine{
	name:  "MySQL",
	start: func(t *testing.T, id uint32) pitrServer { return mysqltest.Start(t, mysqltest.WithServerID(id)) },
	dump: func(t *testing.T, s pitrServer, path string) (string, uint64, string) {
		m := s.(*mysqltest.Server)
		out, err := m.Client("mysqldump", "--single-transaction", "--source-data=2", "--set-gtid-purged=ON", "--databases", "pitr").Output()
		if err != nil {
			t.Fatalf("mysqldump: %v", err)
		}
		os.WriteFile(path, out, 0o644)
		c := regexp.MustCompile(`CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='([^']+)', SOURCE_LOG_POS=(\d+)`).FindSubmatch(out)
		g := regexp.MustCompile(`(?s)GTID_PURGED=/\*!80000 '\+'\*/ '([^']*)'`).FindSubmatch(out)
		if c == nil || g == nil {
			t.Fatalf("mysqldump --source-data wrote no coordinates:\n%.2000s", out)
		}
		pos, _ := strconv.ParseUint(string(c[2]), 10, 64)
		return string(c[1]), pos, strings.ReplaceAll(string(g[1]), "\n", "")
	},
	nextGTID: func(t *testing.T, s pitrServer) string {
		m := s.(*mysqltest.Server)
		set := strings.ReplaceAll(m.GTIDExecuted(t), "\n", "")
		uuid := m.Query(t, "SELECT @@server_uuid")
		for _, part := range strings.Split(set, ",") {
			if u, ivs, ok := strings.Cut(part, ":"); ok && u == uuid {
				ivl := strings.Split(ivs, ":")
				last := ivl[len(ivl)-1]
				if _, hi, ok := strings.Cut(last, "-"); ok {
					last = hi
				}
				n, _ := strconv.Atoi(last)
				return fmt.Sprintf("%s:%d", uuid, n+1)
			}
		}
		t.Fatalf("no GTID of %s in %s", uuid, set)
		return ""
	},
}

func TestIntegrationPointInTimeMariaDB(t *testing.T) { pointInTime(t, mariadbEngine) }
func TestIntegrationPointInTimeMySQL(t *testing.T)   { pointInTime(t, mysqlEngine) }

var (
	buildOnce sync.Once
	toolPath  string
	buildErr  error
)

// restoreTool builds binlogrestore once.
func restoreTool(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "binlogrestore-")
		if err != nil {
			buildErr = err
			return
		}
		toolPath = filepath.Join(dir, "binlogrestore")
		if out, err := exec.Command("go", "build", "-o", toolPath, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return toolPath
}

// schema creates the tables: every column type both servers share, a
// keyless table, composite keys.
const schema = `CREATE DATABASE pitr;
CREATE TABLE pitr.types (
  id INT NOT NULL PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
  i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
  f FLOAT, d DOUBLE, dec65 DECIMAL(65,30), dec14 DECIMAL(14,4), decu DECIMAL(5,2) UNSIGNED,
  b1 BIT(1), b64 BIT(64),
  dt DATE, tm TIME, tm6 TIME(6), dtm DATETIME, dtm3 DATETIME(3), dtm6 DATETIME(6), ts TIMESTAMP(6) NULL, yr YEAR,
  c CHAR(10), vc VARCHAR(300), bin BINARY(16), vb VARBINARY(40),
  tt TINYTEXT, tx TEXT, mt MEDIUMTEXT, lt LONGTEXT, tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB,
  en ENUM('a','b','c'), st SET('x','y','z'), js JSON, g GEOMETRY, pt POINT,
  l1 VARCHAR(20) CHARACTER SET latin1, u4 VARCHAR(20) CHARACTER SET utf8mb4
) ENGINE=InnoDB;
CREATE TABLE pitr.keyless (a INT, b VARCHAR(20), c DECIMAL(10,2)) ENGINE=InnoDB;
CREATE TABLE pitr.pairs (a INT NOT NULL, b VARCHAR(10) NOT NULL, v INT, PRIMARY KEY (a, b)) ENGINE=InnoDB;`

// typesRow is an INSERT of row id of pitr.types with values that vary
// with seed.
func typesRow(id, seed int) string {
	neg := 1
	if seed%2 == 1 {
		neg = -1
	}
	return fmt.Sprintf(`INSERT INTO pitr.types VALUES (%d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d,
  %g, %g, '%d.123456789012345678901234567890', %d.5678, %d.25,
  b'%d', b'1%063b',
  '20%02d-0%d-%02d', '%02d:34:56', '-838:59:58.%06d', '2026-01-0%d 03:04:05', '2026-01-0%d 03:04:05.%03d', '1999-12-31 23:59:59.%06d', '2026-02-0%d 01:02:03.%06d', %d,
  'c%d', REPEAT('v', %d), UNHEX('%032x'), UNHEX('00ff%02x'),
  'tiny %d', REPEAT('text ', %d), REPEAT('m', %d), REPEAT('l', %d), UNHEX('%02x'), REPEAT(UNHEX('c3'), %d), REPEAT(UNHEX('00'), %d), REPEAT(UNHEX('ff'), %d),
  '%c', '%s', '{"k": %d, "a": [1, 2.5, "x", null, true], "o": {"n": "é"}}', ST_GeomFromText('LINESTRING(0 0, %d 1)'), ST_GeomFromText('POINT(%d -1.5)'),
  'caf%c', '😀 %d')`,
		id, neg*(seed%128), seed%256, neg*seed%32768, seed%65536, neg*seed, seed, neg*seed*1000, seed*1000, neg*seed*1000000007, uint64(seed)*1000000007,
		float64(seed)/8, float64(neg*seed)/16, seed, neg*seed, seed%999, // binary fractions: mysqldump prints FLOAT with 6 digits
		seed%2, seed,
		seed%30, 1+seed%9, 1+seed%28, seed%24, seed%1000000, 1+seed%9, 1+seed%9, seed%1000, seed%1000000, 1+seed%9, seed%1000000, 1901+seed%200,
		seed, seed%300, seed, seed%256,
		seed, seed%50, seed%1000, seed%5000, seed%256, seed%100, seed%300, seed%70000,
		'a'+rune(seed%3), []string{"", "x", "y,z", "x,y,z"}[seed%4], seed, seed, seed,
		0xe9, seed)
}

// pointInTime is the DBA's point-in-time recovery: a dump at T0 with its
// binlog coordinates; a workload (every column type, DDL, several binlog
// files); T1 noted in a non-UTC local zone; a mistake workload; everything
// archived by a Backup (zstd, age-encrypted); then fresh servers restored
// from the dump and brought to T1 by binlogrestore: by --start-file and
// --start-position and --until T1 typed in local time, and by --start-gtid
// and --until-gtid. Every table's CHECKSUM TABLE equals the source's at T1.
func pointInTime(t *testing.T, e engine) {
	const zone = "Asia/Kolkata" // +05:30
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Skipf("no zone %s: %v", zone, err)
	}
	tool := restoreTool(t)
	src := e.start(t, 1)
	src.Exec(t, schema)
	for i := 1; i <= 20; i++ {
		src.Exec(t, typesRow(i, i*7))
	}
	src.Exec(t, "INSERT INTO pitr.keyless VALUES (1, 'one', 1.5), (1, 'one', 1.5), (2, NULL, NULL); INSERT INTO pitr.pairs VALUES (1, 'a', 1), (1, 'b', 2), (2, 'a', 3)")

	// The archive, from the server's first binlog.
	id, _ := age.GenerateX25519Identity()
	key := filepath.Join(t.TempDir(), "key.txt")
	os.WriteFile(key, []byte(id.String()+"\n"), 0o600)
	dir := t.TempDir()
	b, err := backup.New(dir, backup.Config{DSN: src.DSN(), ServerID: 9901,
		Mirror: backup.MirrorOptions{Compression: backup.Zstd, Recipients: []age.Recipient{id.Recipient()}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stopBackup := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()

	// T0: the dump.
	dumpFile := filepath.Join(t.TempDir(), "dump.sql")
	file0, pos0, gtid0 := e.dump(t, src, dumpFile)
	t.Logf("dump at %s:%d, GTIDs %s", file0, pos0, gtid0)

	// The workload: rows of every type changed, DDL, new files.
	for i := 21; i <= 40; i++ {
		src.Exec(t, typesRow(i, i*13))
	}
	src.Exec(t, "UPDATE pitr.types SET vc = CONCAT(vc, 'u'), dec65 = -dec65, js = JSON_SET(js, '$.k', 7), tm6 = '12:00:00.5' WHERE id % 3 = 0")
	src.FlushLogs(t)
	src.Exec(t, "ALTER TABLE pitr.types ADD COLUMN added VARCHAR(10) DEFAULT 'def' AFTER id; CREATE TABLE pitr.later (id INT PRIMARY KEY, v TEXT)")
	src.Exec(t, "INSERT INTO pitr.later VALUES (1, 'x'), (2, NULL); DELETE FROM pitr.types WHERE id IN (5, 6); UPDATE pitr.types SET added = 'set' WHERE id < 10")
	src.Exec(t, "UPDATE pitr.keyless SET c = 2.5 WHERE a = 1; DELETE FROM pitr.pairs WHERE a = 1 AND b = 'b'; INSERT INTO pitr.pairs VALUES (3, 'c', 4)")
	src.FlushLogs(t)
	src.Exec(t, "BEGIN; INSERT INTO pitr.later VALUES (3, REPEAT('y', 1000)); UPDATE pitr.later SET v = 'z' WHERE id = 1; COMMIT")

	// T1, a whole second after the workload's last commit, typed in local
	// time; the mistake a second after T1.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(1100 * time.Millisecond)))
	t1 := time.Now().Truncate(time.Second)
	tables := "pitr.types, pitr.keyless, pitr.pairs, pitr.later"
	want := src.Query(t, "CHECKSUM TABLE "+tables+" EXTENDED")
	wantList := src.Query(t, "SHOW TABLES FROM pitr")
	mistakeGTID := e.nextGTID(t, src)
	time.Sleep(1100 * time.Millisecond)
	src.Exec(t, "DELETE FROM pitr.types WHERE id > 3; UPDATE pitr.pairs SET v = 0; DROP TABLE pitr.later")
	src.FlushLogs(t)
	src.Exec(t, "INSERT INTO pitr.keyless VALUES (9, 'after', 9)")
	if got := src.Query(t, "CHECKSUM TABLE "+tables+" EXTENDED"); got == want {
		t.Fatal("the mistake changed nothing")
	}
	// The archive catches up with the server, then stops.
	files := src.BinlogFiles(t)
	lastFile := files[len(files)-1]
	st, _ := os.Stat(lastFile)
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		s := b.Status()
		if s.File == filepath.Base(lastFile) && s.Pos == uint64(st.Size()) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the archive did not catch up: %+v", s)
		}
	}
	stopBackup()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	b.Close()
	localT1 := t1.In(loc).Format("2006-01-02 15:04:05")
	t.Logf("T1 = %s (%s local); the mistake is GTID %s", localT1, zone, mistakeGTID)

	for _, c := range []struct {
		name string
		args []string
	}{
		{"by position, until T1 in local time", []string{"--start-file", file0, "--start-position", fmt.Sprint(pos0), "--until", localT1}},
		{"by GTID, until the mistake's GTID", []string{"--start-gtid", gtid0, "--until-gtid", mistakeGTID}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dst := e.start(t, 2)
			dst.ExecFile(t, dumpFile)
			args := append([]string{"--dir", dir, "--dsn", dst.DSN(), "--identity", key, "--timeout", "60s"}, c.args...)
			cmd := exec.Command(tool, args...)
			cmd.Env = append(os.Environ(), "TZ="+zone)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			started := time.Now()
			if err := cmd.Run(); err != nil {
				t.Fatalf("binlogrestore %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
			}
			t.Logf("binlogrestore %s (%s):\n%s%s", strings.Join(c.args, " "), time.Since(started).Round(time.Millisecond), out.String(), errb.String())
			if got := dst.Query(t, "SHOW TABLES FROM pitr"); got != wantList {
				t.Errorf("tables after the restore:\n%s\nat T1:\n%s", got, wantList)
			}
			if got := dst.Query(t, "CHECKSUM TABLE "+tables+" EXTENDED"); got != want {
				t.Fatalf("CHECKSUM TABLE after the restore:\n%s\nthe source's at T1:\n%s", got, want)
			}
			t.Logf("CHECKSUM TABLE of %d tables equal to the source's at T1:\n%s", strings.Count(want, "\n")+1, want)
			// The replication channel is gone.
			status := "SHOW ALL SLAVES STATUS"
			if e.name == "MySQL" {
				status = "SELECT CHANNEL_NAME FROM performance_schema.replication_connection_configuration"
			}
			if got := dst.Query(t, status); got != "" {
				t.Errorf("a replication channel is still configured: %q", got)
			}
		})
	}
}
