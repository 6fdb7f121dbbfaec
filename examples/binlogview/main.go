// Command binlogview serves a web page for browsing MySQL and MariaDB binary
// logs: a paged list of transactions with filters (time, position, file,
// database and table, operation, GTID, text in values and statements), each
// transaction's events and rows with before and after images side by side and
// the changed columns highlighted, charts of the changes over time and per
// table, and exports of the current filter as CSV, JSON lines, SQL or rollback
// SQL.
//
// Usage:
//
//	binlogview [--listen ADDR] [--auth-token TOKEN] [--mask RULES] FILE...
//	binlogview [flags] --dir DIR
//
// At start the files are read once to build a compact index (per
// transaction: file, positions, times, GTID, counts per table; no values), so
// paging through a binlog of many gigabytes is fast; a transaction's events and
// values are read from the file, at its position, when they are asked for.
// The index (about 76 bytes per transaction) is kept in a temporary file in
// $TMPDIR, mapped into memory: its pages stay in the kernel's page cache, and
// those a request read are given back once it is answered, so the process's
// memory does not grow with the input.
// The page, its script and its styles are embedded in the binary: it works
// offline.
//
// With --mask RULES, the masking rules of package mask (a small YAML file;
// see go doc github.com/binlogkit/binlogkit/mask) rewrite every event as it
// is read, before it is indexed, shown, searched or exported: masked values
// appear nowhere, and a text search cannot find them.
//
// The viewer binds to 127.0.0.1:8080 by default. Binding to any other address
// needs --auth-token (or $BINLOGVIEW_AUTH_TOKEN): every request must then carry
// the token, as "Authorization: Bearer TOKEN" or through the cookie set when
// the page is first opened as http://HOST:PORT/?token=TOKEN.
//
// The selection flags every binlog tool has (--start-position,
// --stop-position, --start-file, --stop-file, --start-datetime,
// --stop-datetime, --databases, --tables, --exclude-tables, --include-gtids,
// --exclude-gtids) choose what is indexed and shown: the page and the API
// see only the events they keep. Times are shown in --tz, by default the
// local zone (TZ), which the summary names.
//
// The JSON API. Every endpoint takes the filter parameters: from and to (the
// transaction's time, "YYYY-MM-DD HH:MM:SS" in the viewer's zone, RFC 3339 or
// Unix seconds), file, pos_from and pos_to (its position), db and table (or
// table=db.table), op (insert, update, delete, statement, ddl; a comma list),
// gtid (a GTID list as --include-gtids reads it: MySQL uuid:7 or uuid:1-100,
// MariaDB 0-1-5 for that one transaction or 0-1-5..9) and q (text in row
// values and statements, ignoring case). db, table and op also choose the
// changes an export writes.
//
//	GET /api/summary                  files, counts, tables, time range
//	GET /api/transactions?page=&size= one page of matching transactions
//	GET /api/transactions/{id}        events, rows (before/after, changed
//	                                  columns) and forward SQL of one
//	GET /api/stats?buckets=&top=      changes per time bucket and per table
//	GET /api/export?format=csv|jsonl|sql|rollback
//	                                  the matching changes as a download
//
// Exit status: 0 after a clean shutdown (SIGINT/SIGTERM), 1 when an input
// cannot be read or the address cannot be bound, 2 on bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // --tz with zone names on hosts without a zoneinfo database

	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/mask"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// Exit codes.
const (
	exitOK        = 0
	exitFailure   = 1
	exitUsage     = 2
	defaultListen = "127.0.0.1:8080"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stderr, nil)
	stop()
	os.Exit(code)
}

// config is the parsed command line.
type config struct {
	sel    cli.Selection
	listen string
	token  string
	dirs   []string
	files  []string
	mask   string
	quiet  bool
	keys   cli.Keys

	schemaFile, schemaDSN string
}

const usageHead = `Usage: binlogview [--listen ADDR] [--auth-token TOKEN] FILE...
       binlogview [flags] --dir DIR

Serves a web page to browse MySQL/MariaDB binary logs: transactions with
filters, row before/after values, charts, and exports (CSV, JSON lines, SQL,
rollback SQL). The files are indexed once at start, through the selection
flags (positions, files, times, databases, tables, GTIDs), which choose what
the page shows; details are read on demand. Times are shown in --tz. Gzip, xz, lz4 and zstd compressed files are read directly; encrypted
ones with their keys (--key-file for MariaDB, --keyring or --keyring-key for
MySQL). A directory (FILE or --dir) is a backup kept by binlogbackup.

` + cli.SelectionHelp + `Flags (each may be written -flag or --flag, with "--flag value" or "--flag=value"):
`

const usageTail = `
Examples:
  binlogview mysql-bin.000042 mysql-bin.000043      # then open http://127.0.0.1:8080/
  binlogview --dir /backup/db1 --listen 127.0.0.1:9000
  binlogview --dir /backup/db1 --start-file binlog.000040 --stop-file binlog.000042 --tz Asia/Shanghai
  binlogview --databases shop --exclude-tables shop.audit_log --start-datetime '2026-11-21 10:00' mysql-bin.000042
  binlogview --mask rules.yaml mysql-bin.000042     # rules: see "go doc github.com/binlogkit/binlogkit/mask"
  binlogview --key-file /etc/mysql/keys.txt mariadb-bin.000042   # encrypt_binlog=ON
  binlogview --schema schema.sql mariadb-bin.000007 # TIME(n)/DATETIME(n) of MariaDB's older formats
  BINLOGVIEW_AUTH_TOKEN=$(openssl rand -hex 16) binlogview --listen 0.0.0.0:8080 --dir /backup/db1
      # then open http://HOST:8080/?token=<the token> once; the page keeps a cookie

CSV export columns: tx, file, tx_pos, event_pos, gtid, time, db, table, op,
row, before, after, changed, statement (before and after are JSON objects of
column → value; one line per row change or statement).

Exit status: 0 after a clean shutdown, 1 on an unreadable input or an address
that cannot be bound, 2 on bad usage.
`

type listFlag struct{ vals *[]string }

func (l listFlag) String() string {
	if l.vals == nil {
		return ""
	}
	return strings.Join(*l.vals, ",")
}

func (l listFlag) Set(s string) error {
	*l.vals = append(*l.vals, s)
	return nil
}

func newFlagSet(c *config) *flag.FlagSet {
	fs := flag.NewFlagSet("binlogview", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&c.listen, "listen", defaultListen, "serve on this `address` (host:port); a non-loopback address needs --auth-token")
	fs.StringVar(&c.token, "auth-token", "", "require this `token` on every request (default $BINLOGVIEW_AUTH_TOKEN)")
	fs.Var(listFlag{&c.dirs}, "dir", "read the binlog files of this backup `directory` (repeatable)")
	fs.StringVar(&c.mask, "mask", "", "apply the masking rules in this `file` to every value before it is indexed, shown or exported")
	fs.StringVar(&c.schemaFile, "schema", "", cli.SchemaUsage)
	fs.StringVar(&c.schemaDSN, "schema-dsn", "", cli.SchemaDSNUsage)
	fs.BoolVar(&c.quiet, "quiet", false, "no progress on stderr")
	c.sel.Register(fs, 0)
	c.keys.Register(fs)
	return fs
}

// parseArgs parses the command line; flags may follow file names.
func parseArgs(args []string) (*config, error) {
	c := &config{}
	fs := newFlagSet(c)
	files, err := cli.ParseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	c.files = files
	if c.token == "" {
		c.token = os.Getenv("BINLOGVIEW_AUTH_TOKEN")
	}
	if len(c.files) == 0 && len(c.dirs) == 0 {
		return nil, cli.Usagef("no input: give binlog FILEs or --dir DIR")
	}
	if err := c.sel.Parse(len(c.files) + len(c.dirs)); err != nil {
		return nil, err
	}
	for _, f := range c.files {
		if f == "-" {
			return nil, cli.Usagef("standard input cannot be indexed and read again: give a file")
		}
	}
	host, _, err := net.SplitHostPort(c.listen)
	if err != nil {
		return nil, cli.Usagef("bad --listen %q: want host:port, like 127.0.0.1:8080", c.listen)
	}
	if !isLoopback(host) && c.token == "" {
		return nil, cli.Usagef("--listen %s is not a loopback address: anyone who can reach it could read the binlogs; give --auth-token (or $BINLOGVIEW_AUTH_TOKEN)", c.listen)
	}
	if c.token != "" && len(c.token) < 8 {
		return nil, cli.Usagef("--auth-token is too short: use at least 8 characters (say, openssl rand -hex 16)")
	}
	return c, nil
}

// isLoopback reports whether a listen host binds only to this machine:
// localhost or a loopback IP. An empty host binds every interface.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// printUsage writes the -h text.
func printUsage(w io.Writer) {
	cli.PrintUsage(w, usageHead, newFlagSet(&config{}), usageTail)
}

// run is the whole tool. ready, when not nil, is given the bound address once
// the server accepts connections (for tests).
func run(ctx context.Context, args []string, stderr io.Writer, ready func(addr string)) int {
	c, err := parseArgs(args)
	if err == flag.ErrHelp {
		printUsage(os.Stdout)
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, cli.UsageLine("binlogview", err))
		return exitUsage
	}
	if err := c.keys.Load(); err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, cli.UsageLine("binlogview", err))
			return exitUsage
		}
		fmt.Fprintf(stderr, "binlogview: %v\n", err)
		return exitFailure
	}
	ix, err := openIndex(ctx, c, stderr)
	var ue *cli.UsageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, cli.UsageLine("binlogview", err))
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "binlogview: %v\n", cli.KeyHint(err))
		return exitFailure
	}
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		fmt.Fprintf(stderr, "binlogview: %v\n", err)
		return exitFailure
	}
	host, _, _ := net.SplitHostPort(c.listen)
	s := newServer(ix, c.token, isLoopback(host))
	srv := &http.Server{Handler: s.handler(), ReadHeaderTimeout: 10 * time.Second}
	if !c.quiet {
		fmt.Fprintf(stderr, "binlogview: serving http://%s/\n", ln.Addr())
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "binlogview: %v\n", err)
		return exitFailure
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "binlogview: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// openIndex expands the inputs, loads the masking rules and indexes the files,
// with progress on stderr.
func openIndex(ctx context.Context, c *config, stderr io.Writer) (*index, error) {
	files, err := expandInputs(append(append([]string(nil), c.files...), c.dirs...))
	if err != nil {
		return nil, err
	}
	if files, err = selectFiles(files, c.sel.StartFile, c.sel.StopFile); err != nil {
		return nil, err
	}
	for i := range files {
		files[i].Keys, files[i].IDs = c.keys.Provider(), c.keys.Identities()
	}
	masker, err := loadMask(c.mask)
	if err != nil {
		return nil, err
	}
	var warn io.Writer = stderr
	if c.quiet {
		warn = nil
	}
	sch, err := cli.OpenSchema(ctx, c.schemaFile, c.schemaDSN, warn)
	if err != nil {
		return nil, err
	}
	defer sch.Close()
	var total int64
	for _, f := range files {
		total += f.Size
	}
	var prog progressFunc
	start := time.Now()
	last := start
	if !c.quiet && cli.IsTerminal(stderr) {
		var done int64
		cur := -1
		prog = func(fi int, off uint64) {
			if fi != cur {
				if cur >= 0 {
					done += files[cur].Size
				}
				cur = fi
			}
			if now := time.Now(); now.Sub(last) > 500*time.Millisecond || fi == len(files)-1 && off >= uint64(files[fi].Size) {
				last = now
				pct := 100.0
				if total > 0 {
					pct = float64(done+min(int64(off), files[fi].Size)) * 100 / float64(total)
				}
				fmt.Fprintf(stderr, "\rbinlogview: indexing %s: %5.1f%% of %d MB", files[fi].Name, pct, total>>20)
			}
		}
	}
	ix, err := buildIndex(ctx, files, masker, prog, &c.sel, sch)
	if err != nil {
		if prog != nil {
			fmt.Fprintln(stderr)
		}
		return nil, err
	}
	ix.masked = c.mask != ""
	if !c.quiet {
		if prog != nil {
			io.WriteString(stderr, "\r\033[K")
		}
		fmt.Fprintf(stderr, "binlogview: indexed %d files, %d transactions, %d events in %v (index: %d KB)\n",
			len(files), len(ix.txs), ix.events, ix.elapsed.Round(time.Millisecond), ix.memBytes()>>10)
		for _, f := range files {
			for _, w := range f.warnings {
				fmt.Fprintf(stderr, "binlogview: warning: %s\n", w)
			}
		}
		c.sel.WriteWarnings(stderr, "binlogview: warning: ")
	}
	return ix, nil
}

// memBytes is the size of the index's records (mapped, not in the heap,
// where mapping is available).
func (ix *index) memBytes() int64 {
	return int64(len(ix.txs))*int64(sizeofTx) + int64(len(ix.ops))*int64(sizeofOps)
}

// loadMask reads the masking rules of --mask (package mask). Every reading
// pass gets its own Masker, since one keeps per-table state.
func loadMask(path string) (maskerFactory, error) {
	if path == "" {
		return nil, nil
	}
	cfg, err := mask.LoadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--mask: %w", err)
	}
	if _, err := mask.New(cfg); err != nil {
		return nil, fmt.Errorf("--mask %s: %w", path, err)
	}
	return func(prec func(*rowcodec.Table) error) (eventMasker, error) {
		return mask.New(cfg, mask.WithPrecision(prec))
	}, nil
}
