// Command binlogcdc streams the committed row changes of a MySQL or MariaDB
// server as Debezium change events, into NATS JetStream or as JSON lines on
// standard output, with an optional initial snapshot of the tables. It is
// built on binlogkit's public package cdc (and cdc/natssink).
//
// Usage:
//
//	binlogcdc --dsn DSN (--nats URL --stream NAME [--subject-prefix P] | --stdout [--checkpoint FILE])
//	          [--snapshot] [--tables db.t,…] [--server-id N] [--non-blocking]
//
// Run it again with the same arguments to resume where it stopped: with
// --nats the checkpoint is kept in the JetStream key-value bucket
// NAME_checkpoints, with --stdout in the --checkpoint file. --snapshot reads
// the tables' rows first on a run without a checkpoint (and finishes an
// unfinished snapshot), chunk by chunk, without locks, interleaved with the
// binlog. --non-blocking exits 0 once everything the server had written when
// it started (and the snapshot) is delivered.
//
// Progress goes to standard error. SIGINT and SIGTERM stop it cleanly: what
// was published is acknowledged and the checkpoint stored.
//
// Exit status: 0 on success (and after SIGINT or SIGTERM), 1 on an error, 2
// on bad usage.
package main

import (
	"context"
	"database/sql"
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

	"github.com/go-sql-driver/mysql"
	"github.com/nats-io/nats.go"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/cdc"
	"github.com/binlogkit/binlogkit/cdc/natssink"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

const usageHead = `binlogcdc streams committed row changes as Debezium change events.

Usage:
  binlogcdc --dsn DSN (--nats URL --stream NAME [--subject-prefix P] | --stdout [--checkpoint FILE])
            [--snapshot] [--tables db.t,...] [--server-id N] [--non-blocking]

Examples:
  # every change of shop.* into JetStream (stream CDC, subjects cdc.shop.TABLE),
  # the tables' rows first; run it again to resume
  binlogcdc --dsn 'cdc:secret@tcp(db1:3306)/' --nats nats://127.0.0.1:4222 --stream CDC \
            --tables 'shop.*' --snapshot
  # JSON lines on stdout, resumable through a checkpoint file; stop at the server's end
  binlogcdc --dsn 'root@tcp(127.0.0.1:3306)/' --stdout --checkpoint shop.cp --non-blocking

Flags:
`

const usageTail = `
The user of --dsn needs REPLICATION SLAVE and REPLICATION CLIENT (BINLOG
MONITOR on MariaDB), and for --snapshot SELECT on the tables and INSERT,
UPDATE (and CREATE, once) on the watermark table binlogkit_cdc.watermark.
`

type options struct {
	dsn, natsURL, stream, prefix, checkpoint string
	stdout, snapshot, nonBlocking            bool
	tables                                   []string
	serverID                                 uint
	chunk                                    int
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("binlogcdc", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.dsn, "dsn", "", "`DSN` of the server, go-sql-driver/mysql syntax: user:password@tcp(host:port)/")
	fs.StringVar(&o.natsURL, "nats", "", "publish to the NATS server at `URL` (JetStream)")
	fs.StringVar(&o.stream, "stream", "", "the JetStream stream `NAME` (created when missing)")
	fs.StringVar(&o.prefix, "subject-prefix", natssink.DefaultSubjectPrefix, "subjects are `P`.db.table; also the events' source.name")
	fs.BoolVar(&o.stdout, "stdout", false, "write JSON lines ({\"key\":…,\"value\":…}) to standard output")
	fs.StringVar(&o.checkpoint, "checkpoint", "", "with --stdout: keep the checkpoint in `FILE`, and resume from it")
	fs.BoolVar(&o.snapshot, "snapshot", false, "read the tables' rows first when there is no checkpoint (and finish an unfinished snapshot)")
	fs.Var(cli.List(&o.tables), "tables", "capture only these `db.t,...` tables ('*' wildcards; \"shop\" means shop.*)")
	fs.UintVar(&o.serverID, "server-id", 0, "replica server `N` (default: a random one)")
	fs.BoolVar(&o.nonBlocking, "non-blocking", false, "exit 0 once everything up to the server's current end is delivered")
	fs.IntVar(&o.chunk, "chunk-size", cdc.DefaultChunkSize, "snapshot chunk size in `rows`")
	if _, err := cli.ParseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			cli.PrintUsage(stdout, usageHead, fs, usageTail)
			return exitOK
		}
		fmt.Fprintf(stderr, "binlogcdc: %v (see -h)\n", err)
		return exitUsage
	}
	if err := o.check(); err != nil {
		fmt.Fprintf(stderr, "binlogcdc: %v (see -h)\n", err)
		return exitUsage
	}
	if err := o.run(ctx, stdout, stderr); err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return exitOK
		}
		fmt.Fprintf(stderr, "binlogcdc: %v\n", err)
		return exitError
	}
	return exitOK
}

func (o *options) check() error {
	switch {
	case o.dsn == "":
		return cli.Usagef("--dsn is required")
	case o.stdout == (o.natsURL != ""):
		return cli.Usagef("give one of --nats URL or --stdout")
	case o.natsURL != "" && o.stream == "":
		return cli.Usagef("--nats needs --stream NAME")
	case o.checkpoint != "" && !o.stdout:
		return cli.Usagef("--checkpoint goes with --stdout (with --nats the checkpoint is kept in JetStream)")
	case o.serverID > 1<<32-1:
		return cli.Usagef("--server-id %d is out of range", o.serverID)
	}
	if _, err := mysql.ParseDSN(o.dsn); err != nil {
		return cli.Usagef("--dsn: %v", err)
	}
	return nil
}

func (o *options) run(ctx context.Context, stdout, stderr io.Writer) error {
	db, err := sql.Open("mysql", o.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	cfg := cdc.Config{Tables: o.tables, DB: db, NonBlocking: o.nonBlocking, Logger: logger}
	if o.snapshot {
		cfg.Snapshot = &cdc.SnapshotConfig{ChunkSize: o.chunk}
	}
	enc := &cdc.Encoder{Name: o.prefix}
	var sink cdc.Sink
	var start *cdc.Checkpoint
	if o.natsURL != "" {
		nc, err := nats.Connect(o.natsURL, nats.Name("binlogcdc"), nats.MaxReconnects(-1))
		if err != nil {
			return fmt.Errorf("connecting to NATS at %s: %w", o.natsURL, err)
		}
		defer nc.Close()
		ns, err := natssink.New(ctx, nc, natssink.Config{Stream: o.stream, SubjectPrefix: o.prefix, Encoder: enc, KeyHeader: true})
		if err != nil {
			return err
		}
		defer ns.Close()
		if start, err = ns.Checkpoint(ctx); err != nil {
			return err
		}
		sink = ns
	} else {
		if o.checkpoint != "" {
			if start, err = cdc.ReadCheckpointFile(o.checkpoint); err != nil {
				return err
			}
		}
		j := cdc.NewJSONLines(stdout, o.checkpoint, enc)
		j.WithKey = true
		defer j.Close()
		sink = j
	}
	if start != nil {
		fmt.Fprintf(stderr, "binlogcdc: resuming at %s\n", start)
	}
	s, err := cdc.Dial(ctx, binlog.DialConfig{DSN: o.dsn, ServerID: uint32(o.serverID), Logger: logger}, start, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	p := &progress{Sink: sink, w: stderr, last: time.Now()}
	st, err := cdc.Run(ctx, s, p)
	p.print(s.Checkpoint())
	fmt.Fprintf(stderr, "binlogcdc: %d changes in %d transactions delivered; checkpoint %s\n", st.Changes, st.Transactions, s.Checkpoint())
	return err
}

// progress counts the changes on their way to the sink and prints a line
// to stderr every few seconds.
type progress struct {
	cdc.Sink
	w          io.Writer
	changes    uint64
	reads      uint64
	last       time.Time
	checkpoint string
}

func (p *progress) Write(ctx context.Context, c *cdc.Change) error {
	p.changes++
	if c.Op == cdc.OpRead {
		p.reads++
	}
	return p.Sink.Write(ctx, c)
}

func (p *progress) Commit(ctx context.Context, cp *cdc.Checkpoint) error {
	if time.Since(p.last) >= 5*time.Second {
		p.print(*cp)
		p.last = time.Now()
	}
	return p.Sink.Commit(ctx, cp)
}

func (p *progress) print(cp cdc.Checkpoint) {
	var b strings.Builder
	fmt.Fprintf(&b, "binlogcdc: %d changes (%d snapshot reads), at %s:%d", p.changes, p.reads, cp.File, cp.Pos)
	if s := cp.Snapshot; s != nil && len(s.Tables) > 0 {
		fmt.Fprintf(&b, ", snapshot table %d/%d (%s), %d rows", min(s.Table+1, len(s.Tables)), len(s.Tables), s.Tables[min(s.Table, len(s.Tables)-1)], s.Rows)
	}
	fmt.Fprintln(p.w, b.String())
}
