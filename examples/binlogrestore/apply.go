package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/go-sql-driver/mysql"
)

// channel is the replication channel (MariaDB: connection name) the
// restore runs in, so that TARGET's own replication setup is not touched.
const channel = "binlogrestore"

// result is what a restore reached.
type result struct {
	gtid string
	took time.Duration
}

// unreachableError is a TARGET that cannot be reached (exit status 2).
type unreachableError struct{ err error }

func (e *unreachableError) Error() string { return "TARGET: " + e.err.Error() }
func (e *unreachableError) Unwrap() error { return e.err }

// quote returns s as an SQL string literal.
func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// apply serves the plan's range to TARGET and waits until its applier has
// run it.
func apply(ctx context.Context, c *config, p *plan, stderr io.Writer) (*result, error) {
	started := time.Now()
	cfg, err := mysql.ParseDSN(c.dsn)
	if err != nil {
		return nil, &unreachableError{err}
	}
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, &unreachableError{err}
	}
	defer db.Close()
	db.SetMaxOpenConns(2)
	var version string
	var serverID uint32
	if err := db.QueryRowContext(ctx, "SELECT VERSION(), @@server_id").Scan(&version, &serverID); err != nil {
		return nil, &unreachableError{err}
	}
	mariadb := strings.Contains(version, "MariaDB")
	if mariadb != (p.flavor == event.MariaDB) {
		return nil, fmt.Errorf("the archive holds %s binlogs (%s), TARGET is %s", p.flavor, p.version, version)
	}
	if p.serverIDs[serverID] {
		return nil, fmt.Errorf("TARGET's server_id is %d, the archived server's: its applier would skip every event as its own; give TARGET another server_id", serverID)
	}
	// The primary's own id: the archived server's.
	var primaryID uint32
	for id := range p.serverIDs {
		if id != 0 && (primaryID == 0 || id < primaryID) {
			primaryID = id
		}
	}
	files, err := servedFiles(p)
	if err != nil {
		return nil, err
	}
	pw := make([]byte, 12)
	rand.Read(pw)
	password := hex.EncodeToString(pw)
	srv, err := binlogtest.NewServer(binlogtest.Config{Addr: c.listen, User: channel, Password: password, ServerID: primaryID,
		Version: p.version, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, files...)
	if err != nil {
		return nil, fmt.Errorf("serving the archive on %s: %w", c.listen, err)
	}
	defer srv.Close()
	host, portS, _ := net.SplitHostPort(srv.Addr())
	if c.sourceHost != "" {
		host = c.sourceHost
	}
	port, _ := strconv.Atoi(portS)
	until := point{p.last.at.file, p.last.end}

	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, &unreachableError{err}
	}
	defer conn.Close()
	exec := func(q string) error {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("TARGET: %s: %w", redact(q, password), err)
		}
		return nil
	}
	var stmts []string
	var cleanup []string
	if mariadb {
		cleanup = []string{"STOP SLAVE " + quote(channel), "RESET SLAVE " + quote(channel) + " ALL"}
		stmts = []string{
			fmt.Sprintf("CHANGE MASTER %s TO MASTER_HOST=%s, MASTER_PORT=%d, MASTER_USER=%s, MASTER_PASSWORD=%s, MASTER_LOG_FILE=%s, MASTER_LOG_POS=%d, MASTER_USE_GTID=no, MASTER_SSL=0, MASTER_CONNECT_RETRY=1",
				quote(channel), quote(host), port, quote(channel), quote(password), quote(p.start.file), p.start.pos),
			fmt.Sprintf("START SLAVE %s UNTIL MASTER_LOG_FILE=%s, MASTER_LOG_POS=%d", quote(channel), quote(until.file), until.pos),
		}
	} else {
		ch := " FOR CHANNEL " + quote(channel)
		cleanup = []string{"STOP REPLICA" + ch, "RESET REPLICA ALL" + ch}
		stmts = []string{
			fmt.Sprintf("CHANGE REPLICATION SOURCE TO SOURCE_HOST=%s, SOURCE_PORT=%d, SOURCE_USER=%s, SOURCE_PASSWORD=%s, SOURCE_SSL=0, SOURCE_AUTO_POSITION=0, SOURCE_LOG_FILE=%s, SOURCE_LOG_POS=%d, SOURCE_CONNECT_RETRY=1%s",
				quote(host), port, quote(channel), quote(password), quote(p.start.file), p.start.pos, ch),
			fmt.Sprintf("START REPLICA UNTIL SOURCE_LOG_FILE=%s, SOURCE_LOG_POS=%d%s", quote(until.file), until.pos, ch),
		}
	}
	// A channel left by an interrupted run.
	for _, q := range cleanup {
		conn.ExecContext(ctx, q)
	}
	defer func() {
		// With a context of its own: an interrupted restore cleans up too.
		cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, q := range cleanup {
			if _, err := conn.ExecContext(cctx, q); err != nil {
				fmt.Fprintf(stderr, "binlogrestore: cleaning up TARGET: %s: %v\n", q, err)
			}
		}
	}()
	for _, q := range stmts {
		if err := exec(q); err != nil {
			return nil, err
		}
	}
	if !c.quiet {
		fmt.Fprintf(stderr, "binlogrestore: serving %s to %s on %s:%d; TARGET applies until %s\n", p.start, p.last.at.file, host, port, until)
	}
	if err := wait(ctx, conn, mariadb, until, c, stderr); err != nil {
		return nil, err
	}
	res := &result{took: time.Since(started)}
	q := "SELECT @@GLOBAL.gtid_executed"
	if mariadb {
		q = "SELECT @@GLOBAL.gtid_slave_pos"
	}
	conn.QueryRowContext(ctx, q).Scan(&res.gtid)
	res.gtid = strings.ReplaceAll(res.gtid, "\n", "")
	return res, nil
}

// redact hides the password in a statement shown in an error.
func redact(q, password string) string { return strings.ReplaceAll(q, password, "…") }

// servedFiles reads the plan's files into memory, the last one up to the
// end of the last transaction applied: nothing after it is ever sent.
func servedFiles(p *plan) ([]binlogtest.File, error) {
	var out []binlogtest.File
	for _, e := range p.entries {
		limit := uint64(1<<63 - 1)
		if e.Name == p.last.at.file {
			limit = p.last.end
		}
		src, err := backup.OpenFile(filepath.Join(p.dir, e.Stored), 0, p.ids...)
		if err != nil {
			return nil, err
		}
		data := append([]byte(nil), event.Magic[:]...)
		for uint64(len(data)) < limit {
			raw, err := src.ReadEvent(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				src.Close()
				return nil, err
			}
			data = append(data, raw...)
		}
		src.Close()
		if uint64(len(data)) > limit {
			return nil, fmt.Errorf("%s: no event ends at %d", e.Name, limit)
		}
		out = append(out, binlogtest.File{Name: e.Name, Data: data})
		if e.Name == p.last.at.file {
			break
		}
	}
	return out, nil
}

// status is what SHOW REPLICA STATUS says of the channel.
type status struct {
	file, ioErr, sqlErr, sqlRunning, ioRunning string
	pos                                        uint64
}

func readStatus(ctx context.Context, conn *sql.Conn, mariadb bool) (*status, error) {
	q := "SHOW REPLICA STATUS FOR CHANNEL " + quote(channel)
	if mariadb {
		q = "SHOW SLAVE " + quote(channel) + " STATUS"
	}
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	if !rows.Next() {
		return nil, fmt.Errorf("%s: no row", q)
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	get := func(names ...string) string {
		for i, c := range cols {
			for _, n := range names {
				if strings.EqualFold(c, n) {
					return vals[i].String
				}
			}
		}
		return ""
	}
	s := &status{
		file:       get("Relay_Source_Log_File", "Relay_Master_Log_File"),
		ioErr:      get("Last_IO_Error"),
		sqlErr:     get("Last_SQL_Error"),
		sqlRunning: get("Replica_SQL_Running", "Slave_SQL_Running"),
		ioRunning:  get("Replica_IO_Running", "Slave_IO_Running"),
	}
	s.pos, _ = strconv.ParseUint(get("Exec_Source_Log_Pos", "Exec_Master_Log_Pos"), 10, 64)
	return s, rows.Err()
}

// wait polls the channel until its applier has executed up to until, or
// fails.
func wait(ctx context.Context, conn *sql.Conn, mariadb bool, until point, c *config, stderr io.Writer) error {
	var last point
	lastMove := time.Now()
	lastLine := time.Now()
	for {
		s, err := readStatus(ctx, conn, mariadb)
		if err != nil {
			return fmt.Errorf("TARGET: %w", err)
		}
		at := point{s.file, s.pos}
		if s.file != "" && !at.before(until) {
			if at != until {
				return fmt.Errorf("TARGET's applier went past the stop point to %s (until %s)", at, until)
			}
			return nil
		}
		if s.sqlErr != "" {
			return fmt.Errorf("TARGET's applier stopped at %s: %s", at, s.sqlErr)
		}
		if s.sqlRunning == "No" {
			return fmt.Errorf("TARGET's applier stopped at %s, before %s (I/O thread: %s %s)", at, until, s.ioRunning, s.ioErr)
		}
		if at != last {
			last, lastMove = at, time.Now()
		} else if c.timeout > 0 && time.Since(lastMove) > c.timeout {
			return fmt.Errorf("TARGET applied nothing for %s; it is at %s, the stop point is %s (I/O thread: %s %s)", c.timeout, at, until, s.ioRunning, s.ioErr)
		}
		if !c.quiet && time.Since(lastLine) > 5*time.Second {
			fmt.Fprintf(stderr, "binlogrestore: TARGET applied up to %s (stop point %s)\n", at, until)
			lastLine = time.Now()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("interrupted: TARGET applied up to %s, not to %s", at, until)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
