package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// eventSource is what the backup reads: binlog.RemoteSource.
type eventSource interface {
	ReadEvent(ctx context.Context) ([]byte, error)
	Reconnects() int
	Close() error
}

// dialOptions say where the replication stream starts.
type dialOptions struct {
	dsn         string
	serverID    uint32
	file        string // "" = the server's oldest binlog
	pos         uint64
	gtid        string
	nonBlocking bool
	heartbeat   time.Duration
	logger      *slog.Logger
}

// dial connects as a replica.
func dial(ctx context.Context, o dialOptions) (eventSource, error) {
	cfg := binlog.DialConfig{
		DSN:             o.dsn,
		ServerID:        o.serverID,
		StartFile:       o.file,
		StartPos:        o.pos,
		NonBlocking:     o.nonBlocking,
		HeartbeatPeriod: o.heartbeat,
		Logger:          o.logger,
	}
	if o.gtid != "" {
		set, err := binlog.ParseGTIDSet(o.gtid)
		if err != nil {
			return nil, err
		}
		cfg.GTIDSet = set
	}
	if !o.nonBlocking {
		cfg.MaxRetries = -1 // a backup that follows the server waits for it to come back
	}
	if o.file != "" && o.pos == 0 {
		cfg.StartPos = event.MagicLen
	}
	return binlog.Dial(ctx, cfg)
}

// fileOfGTID returns the binlog file the server starts a dump after gtid
// in: the one its first artificial ROTATE names. The backup then copies
// that file from its start.
func fileOfGTID(ctx context.Context, o dialOptions, gtid string) (string, error) {
	o.file, o.pos, o.gtid, o.nonBlocking = "", 0, gtid, true
	src, err := dial(ctx, o)
	if err != nil {
		return "", err
	}
	defer src.Close()
	for {
		raw, err := src.ReadEvent(ctx)
		if errors.Is(err, io.EOF) {
			return "", fmt.Errorf("the server sent no ROTATE for --gtid %s", gtid)
		}
		if err != nil {
			return "", err
		}
		h, err := event.ParseHeader(raw)
		if err != nil {
			return "", err
		}
		if isArtificialRotate(h) {
			var m mirror
			name, _, err := m.decodeRotate(raw, true)
			return name, err
		}
	}
}
