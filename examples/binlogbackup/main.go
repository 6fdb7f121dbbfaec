// Command binlogbackup keeps a continuous, resumable copy of a MySQL or
// MariaDB server's binary logs, as `mysqlbinlog --read-from-remote-server
// --raw --stop-never` does: it connects as a replica and mirrors every binlog
// file into a directory byte for byte. It is built on binlogkit's public
// packages binlog and event.
//
// Usage:
//
//	binlogbackup --dsn DSN --dir DIR [flags]
//
// Files are written as NAME.partial until their end arrives, then renamed
// to NAME (and compressed to NAME.lz4 or NAME.zst with --compress). A restart
// resumes from what DIR holds: the .partial file is read back, every event's
// checksum verified, and the file cut after its last whole transaction.
// DIR also holds binlogbackup.index, one JSON object per line and file:
// {"name", "stored", "size", "complete", "events", "first_gtid",
// "last_gtid", "first_time", "last_time"}. binlogdump and binlog.OpenDir read
// the directory as if it were the server.
//
// The server clears the in-use flag (LOG_EVENT_BINLOG_IN_USE_F) of the
// FORMAT_DESCRIPTION it sends, while its own current file carries it; the
// backup sets it in the file being written and clears it when the server
// closes the file cleanly (ROTATE or STOP). A file that ends without either
// (the server crashed; after its restart the stream moves to the next file)
// keeps the flag, as the server's copy does. The flag is outside the FDE's
// checksum, so either way every checksum stays valid.
//
// Exit status: 0 on success (and after SIGINT or SIGTERM), 1 on an error, 2
// on bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// config holds the parsed command line.
type config struct {
	dsn         string
	dir         string
	startFile   string
	gtid        string
	compress    string
	fsync       bool
	serverID    uint
	nonBlocking bool
	progress    time.Duration
	heartbeat   time.Duration
	verbose     bool
}

const usageHead = `Usage: binlogbackup --dsn DSN --dir DIR [flags]

Mirrors a MySQL/MariaDB server's binary logs into DIR, byte for byte, as a
replica: starting at the server's oldest binlog (or --start-file, or the file
holding the first transaction after --gtid), then following the server until
interrupted (SIGINT/SIGTERM stop it cleanly; run it again to resume).

Files being written carry a .partial suffix; completed ones are renamed and,
with --compress, stored as NAME.lz4 or NAME.zst. Every checksum is verified
before a byte is written. On restart the .partial file is validated and cut
after its last whole transaction, and the server is asked for the rest.
DIR/binlogbackup.index lists every file (JSON lines: name, stored, size,
complete, events, first_gtid, last_gtid, first_time, last_time).

DSN is go-sql-driver/mysql syntax: [user[:password]@][tcp(host:port)|unix(path)]/[?tls=...]
The user needs REPLICATION SLAVE (and REPLICATION CLIENT on some servers).

Flags (each may be written -flag or --flag):
`

const usageTail = `
Examples:
  binlogbackup --dsn 'repl:secret@tcp(db1:3306)/' --dir /backup/db1
  binlogbackup --dsn 'repl:secret@tcp(db1:3306)/?tls=true' --dir /backup/db1 --compress zstd --fsync
  binlogbackup --dsn 'root@unix(/run/mysqld/mysqld.sock)/' --dir ./bl --start-file mysql-bin.000042
  binlogbackup --dsn 'repl@tcp(127.0.0.1:3306)/' --dir ./bl --gtid 0-1-1000 --non-blocking
  binlogdump --json /backup/db1 | jq .           # read the backup as if it were the server

Exit status: 0 on success (also after SIGINT/SIGTERM), 1 on an error, 2 on bad usage.
`

func newFlagSet(c *config) *flag.FlagSet {
	fs := flag.NewFlagSet("binlogbackup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&c.dsn, "dsn", "", "the server to back up, as a go-sql-driver/mysql `DSN` (required)")
	fs.StringVar(&c.dir, "dir", "", "the backup `directory` (created if missing; required)")
	fs.StringVar(&c.startFile, "start-file", "", "start at this binlog `file` instead of the server's oldest (ignored when DIR already holds files)")
	fs.StringVar(&c.gtid, "gtid", "", "start at the binlog file holding the first transaction after this GTID `set` (ignored when DIR already holds files)")
	fs.StringVar(&c.compress, "compress", "none", "store completed files compressed: `lz4`, zstd or none")
	fs.BoolVar(&c.fsync, "fsync", false, "fsync files and DIR at transaction boundaries and rotations")
	fs.UintVar(&c.serverID, "server-id", 0, "replica server `id` to register with (default: a random id)")
	fs.BoolVar(&c.nonBlocking, "non-blocking", false, "stop at the end of the server's last binlog instead of following it")
	stopNever := true
	fs.BoolFunc("stop-never", "follow the server until interrupted (the default; see --non-blocking)", func(s string) error {
		stopNever = s != "false"
		if !stopNever {
			c.nonBlocking = true
		}
		return nil
	})
	fs.DurationVar(&c.progress, "progress", 10*time.Second, "log a progress line to stderr every `interval` (0: never)")
	fs.DurationVar(&c.heartbeat, "heartbeat", 0, "heartbeat `period` asked of the server (0: the library's default)")
	fs.BoolVar(&c.verbose, "v", false, "log reconnects and rotations")
	return fs
}

// printUsage writes the -h text.
func printUsage(w io.Writer) {
	cli.PrintUsage(w, usageHead, newFlagSet(&config{}), usageTail)
}

func parseArgs(args []string) (*config, error) {
	c := &config{}
	fs := newFlagSet(c)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil, err
		}
		return nil, &cli.UsageError{Msg: err.Error()}
	}
	switch {
	case fs.NArg() > 0:
		return nil, cli.Usagef("unexpected argument %q", fs.Arg(0))
	case c.dsn == "":
		return nil, cli.Usagef("--dsn is required")
	case c.dir == "":
		return nil, cli.Usagef("--dir is required")
	case c.startFile != "" && c.gtid != "":
		return nil, cli.Usagef("--start-file and --gtid exclude each other")
	case c.serverID > 1<<32-1:
		return nil, cli.Usagef("--server-id must fit in 32 bits")
	}
	switch c.compress {
	case "", "none", "lz4", "zstd":
	case "zst":
		c.compress = "zstd"
	default:
		return nil, cli.Usagef("--compress %q: want lz4, zstd or none", c.compress)
	}
	if c.gtid != "" {
		if _, err := binlog.ParseGTIDSet(c.gtid); err != nil {
			return nil, cli.Usagef("--gtid: %v", err)
		}
	}
	return c, nil
}

// run is the whole tool; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseArgs(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return exitOK
		}
		fmt.Fprintf(stderr, "binlogbackup: %s (run binlogbackup -h for usage)\n", err)
		return exitUsage
	}
	level := slog.LevelWarn
	if c.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := backup(ctx, c, logger, stderr); err != nil {
		fmt.Fprintf(stderr, "binlogbackup: %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		return exitError
	}
	return exitOK
}

// backup opens the directory, connects and mirrors until the stream ends
// (--non-blocking), ctx is cancelled, or an error.
func backup(ctx context.Context, c *config, logger *slog.Logger, stderr io.Writer) error {
	m, err := openMirror(c.dir, mirrorOptions{compress: c.compress, fsync: c.fsync, logger: logger})
	if err != nil {
		return err
	}
	dc := dialOptions{dsn: c.dsn, serverID: uint32(c.serverID), nonBlocking: c.nonBlocking, heartbeat: c.heartbeat, logger: logger}
	if file, pos, ok := m.resumePoint(); ok {
		dc.file, dc.pos = file, pos
		if c.startFile != "" || c.gtid != "" {
			logger.Warn("binlogbackup: the directory holds a backup; resuming it, --start-file/--gtid ignored", "file", file, "pos", pos)
		}
	} else if c.startFile != "" {
		dc.file, dc.pos = c.startFile, event.MagicLen
	} else if c.gtid != "" {
		file, err := fileOfGTID(ctx, dc, c.gtid)
		if err != nil {
			m.close()
			return err
		}
		dc.file, dc.pos = file, event.MagicLen
	}
	src, err := dial(ctx, dc)
	if err != nil {
		m.close()
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	prog := newProgress(stderr, c.progress)
	n, flushed := 0, time.Now()
	for {
		raw, err := src.ReadEvent(ctx)
		if err == io.EOF && !c.nonBlocking && ctx.Err() == nil {
			// The server ended the dump (a clean shutdown): follow it
			// again from what the directory holds.
			prog.reconnects += src.Reconnects() + 1
			src.Close()
			if src, err = redial(ctx, m, dc, logger); err != nil {
				cerr := m.close()
				if ctx.Err() != nil {
					return cerr
				}
				return errors.Join(err, cerr)
			}
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			src.Close()
			cerr := m.close()
			if ctx.Err() != nil {
				prog.report(m, src, true)
				return cerr // interrupted: a clean stop
			}
			return errors.Join(err, cerr)
		}
		if err := m.write(raw); err != nil {
			src.Close()
			m.close()
			return err
		}
		if n++; n%256 == 0 && time.Since(flushed) > flushEvery {
			// Checkpoint the index (and buffered bytes) now and then.
			if err := m.flush(); err != nil {
				src.Close()
				m.close()
				return err
			}
			flushed = time.Now()
			if prog.due() {
				prog.report(m, src, false)
			}
		}
	}
	prog.report(m, src, true)
	src.Close()
	return m.close()
}

// redial connects again at the directory's resume point, retrying with
// backoff while the server is away, until ctx is cancelled.
func redial(ctx context.Context, m *mirror, dc dialOptions, logger *slog.Logger) (eventSource, error) {
	if err := m.flush(); err != nil {
		return nil, err
	}
	dc.gtid = ""
	if file, pos, ok := m.resumePoint(); ok {
		dc.file, dc.pos = file, pos
	}
	wait := 200 * time.Millisecond
	logger.Warn("binlogbackup: the server ended the stream; connecting again", "file", dc.file, "pos", dc.pos)
	for {
		src, err := dial(ctx, dc)
		if err == nil {
			return src, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		logger.Warn("binlogbackup: connecting", "error", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 10*time.Second)
	}
}

// progress logs a line every interval.
type progress struct {
	w        io.Writer
	every    time.Duration
	next     time.Time
	started  time.Time
	lastEvts uint64
	lastTime time.Time
	// reconnects counts the connections of earlier sources.
	reconnects int
}

func newProgress(w io.Writer, every time.Duration) *progress {
	now := time.Now()
	return &progress{w: w, every: every, next: now.Add(every), started: now, lastTime: now}
}

// flushEvery is how often the index is rewritten while a file is written.
const flushEvery = time.Second

// due reports whether a progress line is due.
func (p *progress) due() bool {
	return p.every > 0 && time.Now().After(p.next)
}

func (p *progress) report(m *mirror, src eventSource, final bool) {
	if p.every <= 0 {
		return
	}
	now := time.Now()
	rate := float64(m.events-p.lastEvts) / now.Sub(p.lastTime).Seconds()
	p.lastEvts, p.lastTime, p.next = m.events, now, now.Add(p.every)
	at := ""
	if file, pos, ok := m.resumePoint(); ok {
		at = fmt.Sprintf(", at %s:%d", file, pos)
	}
	word := "progress"
	if final {
		word = "done"
		rate = float64(m.events) / now.Sub(p.started).Seconds()
	}
	fmt.Fprintf(p.w, "binlogbackup: %s: %d files, %.1f MB, %d events (%.0f events/s)%s, %d reconnects\n",
		word, m.files, float64(m.bytes)/1e6, m.events, rate, at, p.reconnects+src.Reconnects())
}
