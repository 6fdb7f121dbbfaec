package backup

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/internal/mysqlproto"
)

// ServerFile is one binlog file a server holds, as SHOW BINARY LOGS lists
// it.
type ServerFile struct {
	Name string
	Size uint64
}

// serverConn runs queries on the server being backed up (a connection of
// its own, beside the replication stream).
type serverConn struct {
	cfg *mysqlproto.Config
	c   *mysqlproto.Client
}

func newServerConn(dsn string, tlsConfig *tls.Config) (*serverConn, error) {
	cfg, err := mysqlproto.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if tlsConfig != nil {
		cfg.TLSConfig = tlsConfig
		if cfg.TLSMode == mysqlproto.TLSDisabled {
			cfg.TLSMode = mysqlproto.TLSVerifyIdentity
		}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 30 * time.Second
	}
	return &serverConn{cfg: cfg}, nil
}

// query runs sql, connecting first when needed; a failed connection is
// dropped so that the next call connects again.
func (s *serverConn) query(ctx context.Context, sql string) (*mysqlproto.Result, error) {
	if s.c == nil {
		c, err := mysqlproto.Connect(ctx, s.cfg)
		if err != nil {
			return nil, err
		}
		s.c = c
	}
	res, err := s.c.Query(ctx, sql)
	if err != nil {
		var se *mysqlproto.ServerError
		if !errors.As(err, &se) {
			s.c.Close()
			s.c = nil
		}
		return nil, err
	}
	return res, nil
}

// binlogs lists the server's binlog files, oldest first.
func (s *serverConn) binlogs(ctx context.Context) ([]ServerFile, error) {
	res, err := s.query(ctx, "SHOW BINARY LOGS")
	if err != nil {
		return nil, fmt.Errorf("backup: SHOW BINARY LOGS: %w", err)
	}
	var out []ServerFile
	for _, row := range res.Rows {
		if len(row) < 2 {
			continue
		}
		n, _ := strconv.ParseUint(row[1].Value, 10, 64)
		out = append(out, ServerFile{Name: row[0].Value, Size: n})
	}
	return out, nil
}

func (s *serverConn) close() {
	if s.c != nil {
		s.c.Close()
		s.c = nil
	}
}

// isPurged reports whether err is the server's answer to a dump that asks
// for a binlog file it no longer has (error 1236, "Could not find first log
// file name in binary log index file").
func isPurged(err error) bool {
	var se *mysqlproto.ServerError
	if !errors.As(err, &se) || se.Code != 1236 {
		return false
	}
	m := strings.ToLower(se.Message)
	return strings.Contains(m, "first log file") || strings.Contains(m, "purged") || strings.Contains(m, "could not find")
}
