// This file is binlog2sql's live mode: the binlogs read from a running
// server as a replica, with python binlog2sql's and the mysql client's
// connection flags.

package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"flag"
	"fmt"
	"net"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
)

// liveConfig holds the connection flags of live mode.
type liveConfig struct {
	host, user, password, socket, dsn string
	port                              int
	sslMode, sslCA, sslCert, sslKey   string
	getServerPublicKey                bool
	stopNever                         bool
	serverID                          uint
	backInterval                      float64
}

// on reports whether a server was named.
func (l *liveConfig) on() bool {
	return l.host != "" || l.socket != "" || l.dsn != "" || l.port != 0
}

// shortValueFlags are the one-letter flags that take a value, which may be
// attached as the mysql client and python binlog2sql allow (-h127.0.0.1,
// -P3306, -uroot, -ppassword, -dshop, -tusers).
const shortValueFlags = "hPupSdt"

// addLiveFlags declares the connection flags.
func addLiveFlags(fs *flag.FlagSet, l *liveConfig) {
	fs.StringVar(&l.host, "host", "", "read the binlogs from the server on this `host` as a replica (live mode; -h127.0.0.1 or -h 127.0.0.1)")
	cli.Alias(fs, "host", "h")
	fs.IntVar(&l.port, "port", 0, "the server's TCP `port` (default 3306)")
	cli.Alias(fs, "port", "P")
	fs.StringVar(&l.user, "user", "", "`user` to connect as (default root); it needs REPLICATION SLAVE (REPLICA), REPLICATION CLIENT (BINLOG MONITOR on MariaDB) and SELECT on the tables for their columns")
	cli.Alias(fs, "user", "u")
	fs.StringVar(&l.password, "password", "", "the user's `password` (-ppwd or -p pwd; $MYSQL_PWD when not given)")
	cli.Alias(fs, "password", "p")
	fs.StringVar(&l.socket, "socket", "", "connect through this unix socket `file` instead of TCP (MariaDB's root often logs in only there)")
	cli.Alias(fs, "socket", "S")
	fs.StringVar(&l.dsn, "dsn", "", "connect with this data source `name` instead (user:pass@tcp(host:3306)/?tls=preferred, or user@unix(/run/mysqld/mysqld.sock)/)")
	fs.StringVar(&l.sslMode, "ssl-mode", "", "TLS: DISABLED, PREFERRED (the default over TCP, as the mysql client), REQUIRED, VERIFY_CA or VERIFY_IDENTITY")
	fs.StringVar(&l.sslCA, "ssl-ca", "", "TLS: PEM `file` of the CA the server's certificate is verified with (implies VERIFY_CA)")
	fs.StringVar(&l.sslCert, "ssl-cert", "", "TLS: PEM `file` of the client certificate")
	fs.StringVar(&l.sslKey, "ssl-key", "", "TLS: PEM `file` of the client certificate's key")
	fs.BoolVar(&l.getServerPublicKey, "get-server-public-key", false, "ask the server for its RSA key when caching_sha2_password or sha256_password needs it without TLS (as the mysql client's option)")
	fs.BoolVar(&l.stopNever, "stop-never", false, "live mode: keep reading new events as the server writes them (without it the run ends at the server's current end)")
	fs.UintVar(&l.serverID, "server-id", 0, "live mode: the replica `id` to register with (default: a random one)")
	fs.Float64Var(&l.backInterval, "back-interval", 0, "accepted for python binlog2sql's command lines; it has no effect (rollback SQL is written in one go)")
}

// expandShortFlags splits attached values of one-letter flags
// ("-h127.0.0.1" into "-h", "127.0.0.1") unless the argument is a flag of
// its own.
func expandShortFlags(fs *flag.FlagSet, args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' && strings.IndexByte(shortValueFlags, a[1]) >= 0 {
			name, _, _ := strings.Cut(a[1:], "=")
			if fs.Lookup(name) == nil {
				out = append(out, a[:2], a[2:])
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// check validates the live flags against the rest.
func (l *liveConfig) check(c *config) error {
	if !l.on() {
		if l.stopNever || l.serverID != 0 || l.user != "" || l.password != "" {
			return cli.Usagef("--stop-never, --server-id, -u and -p read from a server: name it with -h, -S or --dsn")
		}
		return nil
	}
	if len(c.files) > 0 {
		return cli.Usagef("FILE arguments and a server (-h, -S, --dsn): give one source")
	}
	if l.dsn != "" && (l.host != "" || l.socket != "" || l.port != 0 || l.user != "" || l.password != "") {
		return cli.Usagef("--dsn and -h/-P/-u/-p/-S: give one way to connect")
	}
	if c.workers > 1 {
		return cli.Usagef("--workers goes with FILE arguments, not with a server")
	}
	if _, err := tlsParam(l.sslMode, l.sslCA != ""); err != nil {
		return err
	}
	return nil
}

// tlsParam maps --ssl-mode to the DSN's tls parameter.
func tlsParam(mode string, ca bool) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(mode, "-", "_")) {
	case "":
		if ca {
			return "verify-ca", nil
		}
		return "preferred", nil
	case "DISABLED":
		return "false", nil
	case "PREFERRED":
		return "preferred", nil
	case "REQUIRED":
		return "skip-verify", nil
	case "VERIFY_CA":
		return "verify-ca", nil
	case "VERIFY_IDENTITY":
		return "verify-identity", nil
	}
	return "", cli.Usagef("--ssl-mode %q: want DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY", mode)
}

// connection returns the DSN the replication stream and the schema queries
// use, and the TLS configuration for a CA or client certificate.
func (l *liveConfig) connection() (string, *tls.Config, error) {
	tlsCfg, err := l.tlsConfig()
	if err != nil {
		return "", nil, err
	}
	if l.dsn != "" {
		return l.dsn, tlsCfg, nil
	}
	user := l.user
	if user == "" {
		user = "root"
	}
	pw := l.password
	if pw == "" {
		pw = os.Getenv("MYSQL_PWD")
	}
	var addr string
	tlsMode, _ := tlsParam(l.sslMode, l.sslCA != "")
	if l.socket != "" {
		addr = "unix(" + l.socket + ")"
		if l.sslMode == "" && l.sslCA == "" {
			tlsMode = "false" // a unix socket is secure: the mysql client does not use TLS on it
		}
	} else {
		host, port := l.host, l.port
		if host == "" {
			host = "127.0.0.1"
		}
		if port == 0 {
			port = 3306
		}
		addr = "tcp(" + net.JoinHostPort(host, strconv.Itoa(port)) + ")"
	}
	dsn := user
	if pw != "" {
		dsn += ":" + pw
	}
	dsn += "@" + addr + "/?tls=" + tlsMode
	if l.getServerPublicKey {
		dsn += "&allowPublicKeyRetrieval=true"
	}
	return dsn, tlsCfg, nil
}

// tlsConfig builds the TLS configuration of --ssl-ca/--ssl-cert/--ssl-key
// (nil when none is given).
func (l *liveConfig) tlsConfig() (*tls.Config, error) {
	if l.sslCA == "" && l.sslCert == "" {
		return nil, nil
	}
	cfg := &tls.Config{ServerName: l.host}
	if l.sslCA != "" {
		pem, err := os.ReadFile(l.sslCA)
		if err != nil {
			return nil, fmt.Errorf("--ssl-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ssl-ca %s: no PEM certificate in it", l.sslCA)
		}
		cfg.RootCAs = pool
	}
	if l.sslCert != "" {
		cert, err := tls.LoadX509KeyPair(l.sslCert, l.sslKey)
		if err != nil {
			return nil, fmt.Errorf("--ssl-cert/--ssl-key: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// openLive connects as a replica and returns the source, the database
// handle the schema is read with, and the filter that ends the run at
// --stop-file.
func openLive(ctx context.Context, c *config) (*binlog.RemoteSource, *sql.DB, binlog.Filter, error) {
	l := &c.live
	dsn, tlsCfg, err := l.connection()
	if err != nil {
		return nil, nil, nil, err
	}
	cfg := binlog.DialConfig{
		DSN:         dsn,
		TLSConfig:   tlsCfg,
		ServerID:    uint32(l.serverID),
		StartFile:   c.sel.StartFile,
		NonBlocking: !l.stopNever,
	}
	if c.sel.StartFile != "" {
		cfg.StartPos = max(c.sel.StartPos, event.MagicLen)
	}
	src, err := binlog.Dial(ctx, cfg)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("connecting to the server: %w", err)
	}
	db, err := openSchemaDB(dsn, tlsCfg)
	if err != nil {
		src.Close()
		return nil, nil, nil, err
	}
	var stop binlog.Filter
	if c.sel.StopFile != "" {
		stop = &stopAfterFile{file: c.sel.StopFile, pos: c.sel.StopPos}
	}
	return src, db, stop, nil
}

// openSchemaDB opens the connection the tables' definitions are read with.
func openSchemaDB(dsn string, tlsCfg *tls.Config) (*sql.DB, error) {
	mc, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("the server's DSN: %w", err)
	}
	if tlsCfg != nil {
		mc.TLS = tlsCfg
	}
	conn, err := mysql.NewConnector(mc)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(conn), nil
}

// stopAfterFile ends a live run after the binlog file named by --stop-file,
// or at --stop-position in it: binlog files are named base.NNNNNN, in order.
type stopAfterFile struct {
	file string
	pos  uint64
	done bool
}

// Keep implements binlog.Filter.
func (s *stopAfterFile) Keep(ev *event.Event) bool {
	if s.done {
		return false
	}
	f := path.Base(ev.File)
	switch {
	case f == "" || f == path.Base(s.file) && (s.pos == 0 || ev.Pos < s.pos):
		return true
	case f == path.Base(s.file), laterFile(f, path.Base(s.file)):
		s.done = true
		return false
	}
	return true
}

// laterFile reports whether binlog file a comes after b (same base name,
// a higher sequence number).
func laterFile(a, b string) bool {
	ab, as, ok1 := strings.Cut(a, ".")
	bb, bs, ok2 := strings.Cut(b, ".")
	if !ok1 || !ok2 || ab != bb {
		return false
	}
	an, err1 := strconv.ParseUint(as, 10, 64)
	bn, err2 := strconv.ParseUint(bs, 10, 64)
	return err1 == nil && err2 == nil && an > bn
}
