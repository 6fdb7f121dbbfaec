// Command fakeprimary serves binlog files to replicas over the replication
// protocol, as a MySQL or MariaDB primary would, without a database: for
// testing CDC consumers, replicas and tools such as mariadb-binlog
// --read-from-remote-server.
//
//	fakeprimary --listen 127.0.0.1:3307 binlog.000001 binlog.000002
//
// It is a thin command over the public package binlog/binlogtest.
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

	"github.com/binlogkit/binlogkit/binlog/binlogtest"
)

const usage = `fakeprimary serves binlog files to replicas over the replication protocol.

Usage:
  fakeprimary [flags] FILE...

The files are served in order under their base names, with a ROTATE between
them (gzip, lz4 and zstd-compressed files are served decompressed). A replica
that asked for BINLOG_DUMP_NON_BLOCK gets an EOF packet after the last event;
others are kept open with heartbeats until the program is interrupted.
Replicas log in with mysql_native_password, without TLS: MySQL 9 clients load
that plugin from their plugin directory (mysqlbinlog --plugin-dir=DIR), and a
MySQL 9 replica needs SOURCE_SSL=0 in CHANGE REPLICATION SOURCE TO.

Examples:
  # serve two files on port 3307, then copy them back with mariadb-binlog
  fakeprimary --listen 127.0.0.1:3307 binlog.000001 binlog.000002 &
  mariadb-binlog --read-from-remote-server --host=127.0.0.1 --port=3307 \
      --user=root --raw --to-last-log binlog.000001

  # as a MySQL 8.4 primary with an account
  fakeprimary --listen 127.0.0.1:3307 --version 8.4.3 --user repl --password secret mysql-bin.*

  # stream them with binlogkit
  go run ./examples/binlogdump --remote 'root@tcp(127.0.0.1:3307)/'

Flags:
`

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("fakeprimary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:3307", "address to listen on")
	user := fs.String("user", "root", "the account replicas log in with")
	password := fs.String("password", "", "its password")
	serverID := fs.Uint("server-id", 1, "the primary's server id")
	version := fs.String("version", "10.11.99-MariaDB-fakeprimary-log", `server version to announce; without "MariaDB" the server answers as MySQL`)
	heartbeat := fs.Duration("heartbeat", time.Second, "heartbeat period when the replica does not set one")
	quiet := fs.Bool("q", false, "do not log connections")
	verbose := fs.Bool("v", false, "log every query replicas send")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "fakeprimary: no binlog files given (see -h)")
		return 2
	}
	if strings.HasPrefix(*listen, ":") || strings.HasPrefix(*listen, "0.0.0.0") {
		fmt.Fprintln(stderr, "fakeprimary: note: listening on every interface; replicas log in with the account given")
	}
	files, err := binlogtest.ReadFiles(fs.Args()...)
	if err != nil {
		fmt.Fprintln(stderr, "fakeprimary:", err)
		return 1
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if *quiet {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	srv, err := binlogtest.NewServer(binlogtest.Config{
		Addr: *listen, User: *user, Password: *password, ServerID: uint32(*serverID),
		Version: *version, HeartbeatPeriod: *heartbeat, Logger: logger,
	}, files...)
	if err != nil {
		fmt.Fprintln(stderr, "fakeprimary:", err)
		return 1
	}
	var total int
	for _, f := range files {
		total += len(f.Data)
	}
	fmt.Fprintf(stderr, "fakeprimary: serving %d files (%d bytes) on %s as %s\n", len(files), total, srv.Addr(), *version)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	srv.Close()
	return 0
}
