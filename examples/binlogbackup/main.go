// Command binlogbackup keeps a continuous, resumable archive of a MySQL or
// MariaDB server's binary logs, as `mysqlbinlog --read-from-remote-server
// --raw --stop-never` does, and checks one (binlogbackup verify). It is a
// thin command over the library package backup.
//
// Usage:
//
//	binlogbackup --dsn DSN --dir DIR [flags]
//	binlogbackup verify --dir DIR [--identity FILE] [--json]
//
// It connects as a replica and mirrors every binlog file into DIR byte for
// byte: NAME.partial while it is written, then NAME (NAME.zst, NAME.lz4,
// NAME.gz with --compress; with .age appended with --encrypt-to). One
// process at a time holds DIR (a second one exits 1 naming the holder's
// PID). A restart resumes from what DIR holds. --retain-days and
// --retain-files remove old completed files; a purge gap (the server no
// longer has the next file) stops it with the missing range, and
// --new-chain starts a new chain at the server's oldest file. --metrics
// serves Prometheus metrics. binlogdump, binlog2sql, binlogstat, binlogview,
// flashback and binlogrestore read DIR as if it were the server.
//
// Exit status: 0 on success (and after SIGINT or SIGTERM), 1 on an error
// (verify: a problem found), 2 on bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/binlog"
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
	newChain    bool
	compress    string
	encryptTo   []string
	identity    cli.Identity
	retainDays  float64
	retainFiles int
	fsync       bool
	serverID    uint
	nonBlocking bool
	progress    time.Duration
	heartbeat   time.Duration
	metrics     string
	verbose     bool

	comp       backup.Compression
	recipients []age.Recipient
	startGTID  *binlog.GTIDSet
}

const usageHead = `Usage: binlogbackup --dsn DSN --dir DIR [flags]
       binlogbackup verify --dir DIR [--identity FILE] [--json]

Mirrors a MySQL/MariaDB server's binary logs into DIR, byte for byte, as a
replica: starting at the server's oldest binlog (or --start-file, or the file
holding the first transaction after --gtid), then following the server until
interrupted (SIGINT/SIGTERM stop it cleanly; run it again to resume).

Files being written carry a .partial suffix; completed ones are renamed and
stored as NAME, NAME.zst, NAME.lz4 or NAME.gz (--compress), with .age appended
when encrypted (--encrypt-to): zstd -d, lz4 -d, gzip -d and age -d give the
server's file back. Every checksum is verified before a byte is written. One
process at a time holds DIR. DIR/binlogbackup.index lists every file (JSON
lines: name, size, SHA-256, GTIDs, times, deletions, purge gaps).

Retention removes completed files, oldest first, once every limit given
allows it (--retain-days by the file's last event, --retain-files by count);
each removal is logged and recorded in the index. If the server purged files
the archive did not hold yet, binlogbackup stops naming them; --new-chain
then starts a new chain at the server's oldest file (the index records the
gap). "binlogbackup verify" reads every file back and checks it.

DSN is go-sql-driver/mysql syntax: [user[:password]@][tcp(host:port)|unix(path)]/[?tls=...]
The user needs REPLICATION SLAVE, and REPLICATION CLIENT (MariaDB: BINLOG
MONITOR) for SHOW BINARY LOGS (purge gaps, --metrics' distance to the server).

Flags (each may be written -flag or --flag):
`

const usageTail = `
Examples:
  binlogbackup --dsn 'repl:secret@tcp(db1:3306)/' --dir /backup/db1
  binlogbackup --dsn 'repl:secret@tcp(db1:3306)/?tls=true' --dir /backup/db1 --compress zstd \
      --encrypt-to age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p --retain-days 14 --metrics 127.0.0.1:9104
  binlogbackup --dsn 'root@unix(/run/mysqld/mysqld.sock)/' --dir ./bl --start-file mysql-bin.000042
  binlogbackup --dsn 'repl@tcp(127.0.0.1:3306)/' --dir ./bl --gtid 0-1-1000 --non-blocking
  binlogbackup verify --dir /backup/db1 --identity /secure/backup-key.txt
  age -d -i key.txt /backup/db1/binlog.000042.zst.age | zstd -d > binlog.000042
  binlogdump --json --identity key.txt /backup/db1 | jq .     # read the archive as if it were the server

Exit status: 0 on success (also after SIGINT/SIGTERM), 1 on an error, 2 on bad usage.
`

func newFlagSet(c *config) *flag.FlagSet {
	fs := flag.NewFlagSet("binlogbackup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&c.dsn, "dsn", "", "the server to back up, as a go-sql-driver/mysql `DSN` (required)")
	fs.StringVar(&c.dir, "dir", "", "the archive `directory` (created if missing; required)")
	fs.StringVar(&c.startFile, "start-file", "", "start an empty archive at this binlog `file` instead of the server's oldest (later than where DIR continues: with --new-chain only)")
	fs.StringVar(&c.gtid, "gtid", "", "start an empty archive at the binlog file holding the first transaction after this GTID `set`")
	fs.BoolVar(&c.newChain, "new-chain", false, "after a purge gap, start a new chain at the server's oldest binlog (or --start-file); the index records the gap")
	fs.StringVar(&c.compress, "compress", "none", "store completed files compressed: `zstd`, lz4, gzip or none")
	fs.Func("encrypt-to", "encrypt every stored file with age to this `recipient` (age1… public key, or a recipients file; repeatable)", func(s string) error {
		c.encryptTo = append(c.encryptTo, s)
		return nil
	})
	c.identity.Register(fs)
	fs.Float64Var(&c.retainDays, "retain-days", 0, "remove completed files whose last event is older than `N` days (0: keep)")
	fs.IntVar(&c.retainFiles, "retain-files", 0, "keep the `N` newest completed files, remove older ones (0: keep all)")
	fs.BoolVar(&c.fsync, "fsync", false, "fsync files and DIR at transaction boundaries and rotations")
	fs.UintVar(&c.serverID, "server-id", 0, "replica server `id` to register with (default: a random id)")
	fs.BoolVar(&c.nonBlocking, "non-blocking", false, "stop at the end of the server's last binlog instead of following it")
	fs.BoolFunc("stop-never", "follow the server until interrupted (the default; see --non-blocking)", func(s string) error {
		if s == "false" {
			c.nonBlocking = true
		}
		return nil
	})
	fs.DurationVar(&c.progress, "progress", 10*time.Second, "print a progress line to stderr every `interval` (0: never)")
	fs.DurationVar(&c.heartbeat, "heartbeat", 0, "heartbeat `period` asked of the server (0: the library's default)")
	fs.StringVar(&c.metrics, "metrics", "", "serve Prometheus metrics on http://`ADDR`/metrics (e.g. 127.0.0.1:9104)")
	fs.BoolVar(&c.verbose, "v", false, "log rotations and connection details too (completed files, deletions and reconnects are always logged)")
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
	case c.retainDays < 0 || c.retainFiles < 0:
		return nil, cli.Usagef("--retain-days and --retain-files take a positive number")
	}
	var err error
	if c.comp, err = backup.ParseCompression(c.compress); err != nil {
		return nil, cli.Usagef("--compress %q: want zstd, lz4, gzip or none", c.compress)
	}
	if c.gtid != "" {
		if c.startGTID, err = binlog.ParseGTIDSet(c.gtid); err != nil {
			return nil, cli.Usagef("--gtid: %v", err)
		}
	}
	if len(c.encryptTo) > 0 {
		if c.recipients, err = backup.ParseRecipients(c.encryptTo...); err != nil {
			return nil, cli.Usagef("--encrypt-to: %v", strings.TrimPrefix(err.Error(), "backup: "))
		}
	}
	if c.metrics != "" {
		if _, _, err := net.SplitHostPort(c.metrics); err != nil {
			return nil, cli.Usagef("--metrics %q: want host:port", c.metrics)
		}
	}
	return c, nil
}

// run is the whole tool; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "verify" {
		return runVerify(ctx, args[1:], stdout, stderr)
	}
	c, err := parseArgs(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return exitOK
		}
		fmt.Fprintf(stderr, "binlogbackup: %s (run binlogbackup -h for usage)\n", err)
		return exitUsage
	}
	if err := c.identity.Load(); err != nil {
		fmt.Fprintf(stderr, "binlogbackup: --identity: %s\n", err)
		return exitUsage
	}
	level := slog.LevelInfo // completions, deletions, reconnects: a line each
	if c.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := runBackup(ctx, c, logger, stderr); err != nil {
		fmt.Fprintf(stderr, "binlogbackup: %s\n", strings.ReplaceAll(failureText(err), "\n", " "))
		return exitError
	}
	return exitOK
}

// failureText adds to an error what the operator can do about it.
func failureText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "backup: ")
	var ge *backup.GapError
	if errors.As(err, &ge) && ge.Oldest != "" {
		msg += fmt.Sprintf("; run again with --new-chain to start a new chain at %s (the index records the gap; restores cannot cross it)", ge.Oldest)
	}
	if errors.Is(err, backup.ErrNoIdentity) {
		msg += " (give the archive's age identity with --identity FILE)"
	}
	return msg
}

// runBackup opens the archive, serves the metrics, prints progress and
// runs the backup until it ends.
func runBackup(ctx context.Context, c *config, logger *slog.Logger, stderr io.Writer) error {
	cfg := backup.Config{
		DSN:             c.dsn,
		ServerID:        uint32(c.serverID),
		StartFile:       c.startFile,
		StartGTID:       c.startGTID,
		NewChain:        c.newChain,
		NonBlocking:     c.nonBlocking,
		HeartbeatPeriod: c.heartbeat,
		Logger:          logger,
		Mirror: backup.MirrorOptions{
			Compression: c.comp,
			Recipients:  c.recipients,
			Identities:  c.identity.Identities(),
			Fsync:       c.fsync,
			Retention:   backup.Retention{MaxAge: time.Duration(c.retainDays * float64(24*time.Hour)), Files: c.retainFiles},
		},
	}
	if c.metrics == "" && c.progress <= 0 {
		cfg.ServerPoll = -1
	}
	b, err := backup.New(c.dir, cfg)
	if err != nil {
		return err
	}
	startFile, startPos, _ := b.Mirror().ResumePoint()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	stopMetrics := func() {}
	if c.metrics != "" {
		ln, err := net.Listen("tcp", c.metrics)
		if err != nil {
			b.Close()
			return fmt.Errorf("--metrics: %w", err)
		}
		mux := http.NewServeMux()
		mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
			b.WriteMetrics(w)
		})
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		wg.Add(1)
		go func() {
			defer wg.Done()
			srv.Serve(ln)
		}()
		stopMetrics = func() { srv.Close() }
		fmt.Fprintf(stderr, "binlogbackup: metrics on http://%s/metrics\n", ln.Addr())
	}
	started := time.Now()
	if c.progress > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(c.progress)
			defer t.Stop()
			var last backup.Status
			lastAt := started
			for {
				select {
				case <-stop:
					return
				case now := <-t.C:
					s := b.Status()
					fmt.Fprintln(stderr, progressLine(b, s, last, now.Sub(lastAt)))
					last, lastAt = s, now
				}
			}
		}()
	}
	runErr := b.Run(ctx)
	close(stop)
	final := b.Status()
	closeErr := b.Close()
	stopMetrics()
	wg.Wait()
	line := summary(final, startFile, startPos, time.Since(started))
	if runErr != nil {
		line = strings.Replace(line, ": done in ", ": stopped after ", 1)
	}
	fmt.Fprintln(stderr, line)
	if runErr != nil {
		return runErr
	}
	return closeErr
}

// progressLine is the periodic line: where the archive is, what was written
// since the last line, how far behind the server.
func progressLine(b *backup.Backup, s, last backup.Status, since time.Duration) string {
	line := fmt.Sprintf("binlogbackup: progress: at %s:%d", s.File, s.Pos)
	if !s.Mirror.LastEvent.IsZero() {
		line += " (last event " + s.Mirror.LastEvent.Local().Format("2006-01-02 15:04:05") + ")"
	}
	ev := s.Mirror.Events - last.Mirror.Events
	line += fmt.Sprintf(", %d events (%s) in the last %s", ev, mb(s.Mirror.Bytes-last.Mirror.Bytes), since.Round(100*time.Millisecond))
	if bytes, secs, ok := b.Behind(); ok {
		line += fmt.Sprintf(", %s behind the server", mb(bytes))
		if secs > 0 {
			line += fmt.Sprintf(" (%.0f s)", secs)
		}
	}
	if !s.Connected {
		line += ", not connected"
	}
	if s.Reconnects > 0 {
		line += fmt.Sprintf(", %d reconnects", s.Reconnects)
	}
	return line
}

// summary is the line printed when the backup stops: exactly what this run
// wrote.
func summary(s backup.Status, startFile string, startPos uint64, took time.Duration) string {
	st := s.Mirror
	var b strings.Builder
	fmt.Fprintf(&b, "binlogbackup: done in %s: wrote %d events (%s)", took.Round(time.Millisecond), st.Events, mb(st.Bytes))
	switch {
	case st.Events == 0 && startFile != "":
		fmt.Fprintf(&b, "; nothing new after %s:%d", startFile, startPos)
	case st.Events > 0:
		b.WriteString(" into ")
		switch {
		case st.FirstFile == st.LastFile:
			b.WriteString(st.FirstFile)
		default:
			fmt.Fprintf(&b, "%d files, %s to %s", st.Files, st.FirstFile, st.LastFile)
		}
		fmt.Fprintf(&b, " (%d completed", st.FilesCompleted)
		if s.File != "" && s.File == st.LastFile {
			if s.Pos > 0 && !isComplete(s) {
				fmt.Fprintf(&b, ", %s partial up to byte %d", s.File, s.Pos)
			}
		}
		b.WriteString(")")
	}
	if st.FilesDeleted > 0 {
		fmt.Fprintf(&b, "; retention removed %d files", st.FilesDeleted)
	}
	if s.File != "" {
		fmt.Fprintf(&b, "; the archive ends at %s:%d", s.File, s.Pos)
	}
	fmt.Fprintf(&b, "; %d reconnects", s.Reconnects)
	return b.String()
}

// isComplete reports whether the archive's last file is complete.
func isComplete(s backup.Status) bool { return s.LastComplete }

// mb formats a byte count.
func mb(n uint64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 10<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d bytes", n)
}
