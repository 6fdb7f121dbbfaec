//go:build integration

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

// journeyServer is what the recovery journey needs of a private server.
type journeyServer struct {
	name     string
	exec     func(sql string)
	query    func(sql string) string
	port     int
	binlogs  func() []string
	flush    func()
	applyBin func(t *testing.T, file string) // replay a binlog file with the server's own tools
	grant    string                          // the replication account's grants
	flavor   string
}

var (
	toolsOnce sync.Once
	toolsDir  string
	toolsErr  error
)

// tool returns the path of a tool of examples/, built once per test run.
func tool(t *testing.T, name string) string {
	t.Helper()
	toolsOnce.Do(func() {
		toolsDir, toolsErr = os.MkdirTemp("", "binlogkit-tools-")
		if toolsErr != nil {
			return
		}
		for _, n := range []string{"binlog2sql", "binlogstat", "flashback"} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(toolsDir, n), "../"+n).CombinedOutput()
			if err != nil {
				toolsErr = fmt.Errorf("building %s: %v\n%s", n, err, out)
				return
			}
		}
	})
	if toolsErr != nil {
		t.Fatal(toolsErr)
	}
	return filepath.Join(toolsDir, name)
}

// runIn runs a tool with TZ set to zone and returns stdout, stderr and the
// exit status.
func runIn(t *testing.T, zone, name string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(tool(t, name), args...)
	cmd.Env = append(os.Environ(), "TZ="+zone)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestIntegrationRecoveryJourneyMariaDB is the DBA's recovery journey of the
// recovery issue on a private MariaDB; see recoveryJourney.
func TestIntegrationRecoveryJourneyMariaDB(t *testing.T) {
	s := mariadbtest.Start(t)
	recoveryJourney(t, &journeyServer{
		name:    "MariaDB",
		exec:    func(q string) { s.Exec(t, q) },
		query:   func(q string) string { return s.Query(t, q) },
		port:    s.Port(),
		binlogs: func() []string { return s.BinlogFiles(t) },
		flush:   func() { s.FlushLogs(t) },
		grant:   "REPLICATION SLAVE, BINLOG MONITOR, SELECT",
		flavor:  "mariadb",
		applyBin: func(t *testing.T, file string) {
			sh := fmt.Sprintf("mariadb-binlog --no-defaults %s | mariadb --no-defaults -uroot -S %s", file, s.Socket())
			if out, err := exec.Command("sh", "-c", sh).CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", sh, err, out)
			}
		},
	})
}

// TestIntegrationRecoveryJourneyMySQL is the same journey on a private MySQL
// 9.7 with gtid_mode=ON.
func TestIntegrationRecoveryJourneyMySQL(t *testing.T) {
	s := mysqltest.Start(t)
	in := s.Install()
	recoveryJourney(t, &journeyServer{
		name:    "MySQL",
		exec:    func(q string) { s.Exec(t, q) },
		query:   func(q string) string { return s.Query(t, q) },
		port:    s.Port(),
		binlogs: func() []string { return s.BinlogFiles(t) },
		flush:   func() { s.FlushLogs(t) },
		grant:   "REPLICATION SLAVE, REPLICATION CLIENT, SELECT",
		flavor:  "mysql",
		applyBin: func(t *testing.T, file string) {
			dump := in.Command("mysqlbinlog", "--no-defaults", file)
			apply := in.Command("mysql", "--no-defaults", "-uroot", "-S", s.Socket())
			pipe, err := dump.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			apply.Stdin = pipe
			var derr, aout bytes.Buffer
			dump.Stderr = &derr
			apply.Stdout, apply.Stderr = &aout, &aout
			if err := dump.Start(); err != nil {
				t.Fatal(err)
			}
			if err := apply.Run(); err != nil {
				t.Fatalf("mysqlbinlog %s | mysql: %v\n%s%s", file, err, derr.String(), aout.String())
			}
			if err := dump.Wait(); err != nil {
				t.Fatalf("mysqlbinlog: %v\n%s", err, derr.String())
			}
		},
	})
}

// recoveryJourney: a mistaken DELETE and UPDATE; binlogstat finds them;
// binlog2sql -h -P -u -p --start-file --start-datetime --stop-datetime -B,
// run with TZ set to Asia/Shanghai and the times typed in that zone,
// writes rollback SQL that, applied, gives back the CHECKSUM TABLE of
// before the mistake. The same with a rollback binlog from flashback,
// replayed with the server's own binlog tool.
func recoveryJourney(t *testing.T, s *journeyServer) {
	const zone = "Asia/Shanghai"
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Skipf("no zone %s: %v", zone, err)
	}
	s.exec(`CREATE DATABASE shop;
CREATE TABLE shop.users (id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80), vip TINYINT);
CREATE TABLE shop.orders (id INT PRIMARY KEY, user_id INT, amount DECIMAL(10,2), placed DATETIME(3), note TEXT);
CREATE USER dba@'%' IDENTIFIED BY 'pwd';
GRANT ` + s.grant + ` ON *.* TO dba@'%'`)
	var ins strings.Builder
	ins.WriteString("INSERT INTO shop.users VALUES ")
	for i := 1; i <= 200; i++ {
		if i > 1 {
			ins.WriteString(",")
		}
		fmt.Fprintf(&ins, "(%d, 'user %d', 'u%d@example.com', %d)", i, i, i, i%3)
	}
	ins.WriteString(";\nINSERT INTO shop.orders VALUES ")
	for i := 1; i <= 900; i++ {
		if i > 1 {
			ins.WriteString(",")
		}
		fmt.Fprintf(&ins, "(%d, %d, %d.%02d, '2026-03-04 05:06:07.%03d', %s)", i, i%200+1, i, i%100, i%1000, map[bool]string{true: "NULL", false: "'note'"}[i%5 == 0])
	}
	s.exec(ins.String())
	checksum := func() string { return s.query("CHECKSUM TABLE shop.users, shop.orders EXTENDED") }
	before := checksum()
	first := filepath.Base(s.binlogs()[0])

	mistake := func() (start, stop time.Time) {
		time.Sleep(1100 * time.Millisecond)
		start = time.Now().Truncate(time.Second)
		s.exec("DELETE FROM shop.orders WHERE amount > 300; UPDATE shop.users SET vip = 0, email = NULL WHERE id <= 120")
		time.Sleep(1100 * time.Millisecond)
		stop = time.Now().Truncate(time.Second)
		if checksum() == before {
			t.Fatal("the mistake changed nothing")
		}
		return start, stop
	}
	start, stop := mistake()
	local := func(x time.Time) string { return x.In(loc).Format("2006-01-02 15:04:05") }

	// binlogstat finds the mistake.
	// Every tool reads times in the local zone (TZ) by default.
	out, errs, code := runIn(t, zone, "binlogstat", append([]string{"--json", "--start-datetime", local(start), "--stop-datetime", local(stop)}, s.binlogs()...)...)
	if code != 0 {
		t.Fatalf("binlogstat: exit %d: %s", code, errs)
	}
	var st struct {
		Tables []struct {
			Schema  string `json:"schema"`
			Table   string `json:"table"`
			Deletes int    `json:"deletes"`
			Updates int    `json:"updates"`
		} `json:"tables"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("binlogstat --json: %v\n%s", err, out)
	}
	found := map[string][2]int{}
	for _, tb := range st.Tables {
		found[tb.Schema+"."+tb.Table] = [2]int{tb.Deletes, tb.Updates}
	}
	if found["shop.orders"][0] != 600 || found["shop.users"][1] != 120 {
		t.Fatalf("binlogstat found %v, want 600 deletes of shop.orders and 120 updates of shop.users\n%s", found, out)
	}

	// binlog2sql as python binlog2sql's users type it, in local time.
	args := []string{"-h127.0.0.1", "-P" + strconv.Itoa(s.port), "-udba", "-ppwd", "--databases", "shop", "--tables", "users,orders",
		"--start-file", first, "--start-datetime", local(start), "--stop-datetime", local(stop), "-B"}
	undo, errs, code := runIn(t, zone, "binlog2sql", args...)
	if code != 0 || !strings.Contains(errs, "600 delete(s) undone by INSERT") {
		t.Fatalf("binlog2sql %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	s.exec(undo)
	if got := checksum(); got != before {
		t.Fatalf("%s: after the rollback SQL:\n%s\nbefore the mistake:\n%s", s.name, got, before)
	}

	// The same mistake again, undone with a rollback binlog.
	start, stop = mistake()
	s.flush()
	rb := filepath.Join(t.TempDir(), "rollback.bin")
	fbArgs := []string{"--out", rb, "--tables", "shop.users,shop.orders", "--start-datetime", local(start), "--stop-datetime", local(stop)}
	_, errs, code = runIn(t, zone, "flashback", append(fbArgs, s.binlogs()...)...)
	if code != 0 || !strings.Contains(errs, "read back") {
		t.Fatalf("flashback: exit %d: %s", code, errs)
	}
	s.applyBin(t, rb)
	if got := checksum(); got != before {
		t.Fatalf("%s: after the rollback binlog:\n%s\nbefore the mistake:\n%s", s.name, got, before)
	}
}
