// Command binlogrestore applies an archive kept by binlogbackup to a server,
// for point-in-time recovery: every transaction from a start point (where a
// dump was taken) up to, not including, the first transaction committed at
// or after a time, a GTID or a position.
//
//	binlogrestore --dir DIR --dsn TARGET (--start-file F --start-position P | --start-gtid SET)
//	    (--until "YYYY-MM-DD HH:MM:SS" [--tz ZONE] | --until-gtid SET | --until-position FILE:POS)
//	    [--identity FILE] [--dry-run]
//
// It reads the archive to find the range, then serves it to TARGET as its
// replication source (a fake primary built on binlog/binlogtest, holding
// nothing past the stop point) and lets the server's own applier run it
// with START REPLICA UNTIL (START SLAVE UNTIL on MariaDB) in a replication
// channel of its own, so that every column type and DDL is applied exactly
// as the server applies replicated events; then it removes the channel.
//
// Exit status: 0 when the range was applied, 1 on an error (nothing or part
// applied: the message says which), 2 on bad usage or when TARGET cannot be
// reached.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // --tz names on hosts without a zoneinfo database

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

const usageHead = `Usage: binlogrestore --dir DIR --dsn TARGET (--start-file F --start-position P | --start-gtid SET)
           (--until "YYYY-MM-DD HH:MM:SS" [--tz ZONE] | --until-gtid SET | --until-position FILE:POS)
           [--identity FILE] [--dry-run]

Point-in-time recovery from an archive kept by binlogbackup: applies to TARGET
every transaction from the start point up to, not including, the first
transaction committed at or after the --until time (local time unless --tz),
the first at or after the --until-gtid GTID, or the first at or after
--until-position. The start point is what the dump TARGET was restored from
recorded: mysqldump --source-data (--start-file, --start-position) or
mariadb-dump --master-data --gtid / GTID_PURGED (--start-gtid).

binlogrestore serves the archive's range, and nothing after it, to TARGET as
its replication source on --listen, and TARGET's own applier runs it (START
REPLICA UNTIL / START SLAVE UNTIL, in a channel named binlogrestore); the
channel is removed afterwards. TARGET's server_id must differ from the
archived server's. A commit time is MySQL's immediate_commit_timestamp, else
the time of the transaction's last event. TARGET is a go-sql-driver/mysql DSN
for an account that may run CHANGE REPLICATION SOURCE / CHANGE MASTER.

Flags (each may be written -flag or --flag):
`

const usageTail = `
Examples:
  # the dump said: CHANGE MASTER TO MASTER_LOG_FILE='binlog.000042', MASTER_LOG_POS=1234
  binlogrestore --dir /backup/db1 --dsn 'root:pw@tcp(restore:3306)/' \
      --start-file binlog.000042 --start-position 1234 --until '2026-11-21 10:29:00'
  # by GTID, to just before a mistake's transaction
  binlogrestore --dir /backup/db1 --dsn 'root@unix(/run/mysqld/mysqld.sock)/' \
      --start-gtid '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-4711' --until-gtid '3e11fa47-71ca-11e1-9e33-c80aa9429562:5002'
  binlogrestore --dir /backup/db1 --start-gtid 0-1-4711 --until '2026-11-21 10:29:00' --tz Europe/Berlin --dry-run

Exit status: 0 when the range was applied, 1 on an error, 2 on bad usage or an
unreachable TARGET.
`

// config holds the parsed command line.
type config struct {
	dir        string
	dsn        string
	startFile  string
	startPos   uint64
	startGTID  string
	until      string
	tz         string
	untilGTID  string
	untilPos   string
	keys       cli.Keys
	dryRun     bool
	listen     string
	sourceHost string
	timeout    time.Duration
	quiet      bool

	start    point
	startSet *binlog.GTIDSet
	target   target
}

func newFlagSet(c *config) *flag.FlagSet {
	fs := flag.NewFlagSet("binlogrestore", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&c.dir, "dir", "", "the archive `directory` binlogbackup keeps (required)")
	fs.StringVar(&c.dsn, "dsn", "", "the server to restore into, as a go-sql-driver/mysql `DSN` (required unless --dry-run)")
	fs.StringVar(&c.startFile, "start-file", "", "start at this binlog `file` (with --start-position)")
	fs.Uint64Var(&c.startPos, "start-position", 0, "start at this `position` of --start-file (where a transaction starts, as the dump recorded it)")
	fs.StringVar(&c.startGTID, "start-gtid", "", "start after the transactions of this GTID `set` (the dump's GTID_PURGED or gtid_slave_pos)")
	fs.StringVar(&c.until, "until", "", "stop before the first transaction committed at or after this `time` (\"YYYY-MM-DD HH:MM:SS\")")
	fs.StringVar(&c.tz, "tz", "", "the time `zone` of --until (UTC, +08:00, Europe/Berlin; default: local time)")
	fs.StringVar(&c.untilGTID, "until-gtid", "", "stop before the first transaction whose GTID is in this `set` (MariaDB: at or after it in its domain)")
	fs.StringVar(&c.untilPos, "until-position", "", "stop before the first transaction at or after `FILE:POS`")
	c.keys.Register(fs)
	fs.BoolVar(&c.dryRun, "dry-run", false, "only say what would be applied")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:0", "`address` the archive is served on to TARGET")
	fs.StringVar(&c.sourceHost, "source-host", "", "the `host` TARGET connects to (default: --listen's host; set it when TARGET runs elsewhere)")
	fs.DurationVar(&c.timeout, "timeout", 0, "give up when TARGET has applied nothing for this `long` (0: wait)")
	fs.BoolVar(&c.quiet, "q", false, "no progress lines")
	return fs
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
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case fs.NArg() > 0:
		return nil, cli.Usagef("unexpected argument %q", fs.Arg(0))
	case c.dir == "":
		return nil, cli.Usagef("--dir is required")
	case c.dsn == "" && !c.dryRun:
		return nil, cli.Usagef("--dsn is required (or --dry-run)")
	case (c.startFile != "") != set["start-position"]:
		return nil, cli.Usagef("--start-file and --start-position go together")
	case c.startFile != "" && c.startGTID != "":
		return nil, cli.Usagef("--start-file and --start-gtid exclude each other")
	case c.startFile == "" && c.startGTID == "":
		return nil, cli.Usagef("a start point is required: --start-file and --start-position, or --start-gtid")
	}
	n := 0
	for _, v := range []string{c.until, c.untilGTID, c.untilPos} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return nil, cli.Usagef("one stop point is required: --until, --until-gtid or --until-position")
	}
	if c.tz != "" && c.until == "" {
		return nil, cli.Usagef("--tz goes with --until")
	}
	var err error
	if c.startGTID != "" {
		if c.startSet, err = binlog.ParseGTIDSet(c.startGTID); err != nil {
			return nil, cli.Usagef("--start-gtid: %v", err)
		}
	} else {
		if c.startPos < 4 {
			return nil, cli.Usagef("--start-position %d: positions start at 4", c.startPos)
		}
		c.start = point{c.startFile, c.startPos}
	}
	switch {
	case c.until != "":
		loc := time.Local
		if c.tz != "" {
			if loc, err = cli.ParseZone(c.tz); err != nil {
				return nil, err
			}
		}
		if c.target.time, err = cli.ParseDateTime("until", c.until, loc); err != nil {
			return nil, err
		}
	case c.untilGTID != "":
		if c.target.gtids, err = binlog.ParseGTIDSet(c.untilGTID); err != nil {
			return nil, cli.Usagef("--until-gtid: %v", err)
		}
		if c.target.gtids.Flavor() == event.MariaDB {
			for _, s := range strings.Split(c.untilGTID, ",") {
				g, err := binlog.ParseGTID(s)
				if err != nil {
					return nil, cli.Usagef("--until-gtid: %v", err)
				}
				c.target.maria = append(c.target.maria, g)
			}
		}
	default:
		i := strings.LastIndexByte(c.untilPos, ':')
		if i <= 0 {
			return nil, cli.Usagef("--until-position %q: want FILE:POS", c.untilPos)
		}
		pos, err := strconv.ParseUint(c.untilPos[i+1:], 10, 64)
		if err != nil {
			return nil, cli.Usagef("--until-position %q: want FILE:POS", c.untilPos)
		}
		c.target.pos = &point{c.untilPos[:i], pos}
	}
	return c, nil
}

// run is the whole tool; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseArgs(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			cli.PrintUsage(stdout, usageHead, newFlagSet(&config{}), usageTail)
			return exitOK
		}
		fmt.Fprintf(stderr, "binlogrestore: %s (run binlogrestore -h for usage)\n", err)
		return exitUsage
	}
	if err := c.keys.Load(); err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "binlogrestore: %s (run binlogrestore -h for usage)\n", err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "binlogrestore: %s\n", err)
		return exitError
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "binlogrestore: %s\n", strings.ReplaceAll(cli.KeyHint(err).Error(), "\n", " "))
		return exitError
	}
	p, err := makePlan(ctx, c.dir, c.keys.Identities(), c.start, c.startSet, &c.target)
	if err != nil {
		return fail(err)
	}
	describePlan(stdout, p)
	if c.dryRun {
		fmt.Fprintln(stdout, "dry run: nothing applied")
		return exitOK
	}
	if p.count == 0 {
		fmt.Fprintf(stdout, "nothing to apply: the first transaction after the start point is already at or after the stop point\n")
		return exitOK
	}
	res, err := apply(ctx, c, p, stderr)
	if err != nil {
		var ue *unreachableError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "binlogrestore: %s\n", err)
			return exitUsage
		}
		return fail(err)
	}
	fmt.Fprintf(stdout, "applied %d transactions: TARGET is at %s (the end of the last one applied)", p.count, point{p.last.at.file, p.last.end})
	if res.gtid != "" {
		fmt.Fprintf(stdout, ", GTID set %s", res.gtid)
	}
	fmt.Fprintf(stdout, "; left out from %s on; took %s; replication channel %q removed\n", p.left, res.took.Round(time.Millisecond), channel)
	return exitOK
}

// describePlan says what a restore applies.
func describePlan(w io.Writer, p *plan) {
	fmt.Fprintf(w, "archive: %s, %s server %s\n", p.dir, p.flavor, p.version)
	fmt.Fprintf(w, "start:   %s\n", p.start)
	if p.first != nil {
		fmt.Fprintf(w, "first:   %s\n", p.first)
		fmt.Fprintf(w, "last:    %s\n", p.last)
	}
	fmt.Fprintf(w, "stop:    %s, before %s\n", p.stop, p.left)
	fmt.Fprintf(w, "%d transactions to apply from %d files\n", p.count, len(p.entries))
}
