package main

import (
	"context"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// openRemote connects to the server of --remote as a replica. Without
// --stop-never the stream ends after the last event of the server's last
// binlog (a non-blocking dump).
func openRemote(ctx context.Context, c *config) (binlog.Source, func(), error) {
	cfg := binlog.DialConfig{
		DSN:         c.remote,
		ServerID:    uint32(c.serverID),
		StartFile:   c.sel.StartFile,
		NonBlocking: !c.stopNever,
	}
	if c.gtid != "" {
		set, err := binlog.ParseGTIDSet(c.gtid)
		if err != nil {
			return nil, nil, err
		}
		cfg.GTIDSet = set
	}
	if c.sel.StartFile != "" {
		cfg.StartPos = max(c.sel.StartPos, event.MagicLen)
	}
	src, err := binlog.Dial(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return src, func() { src.Close() }, nil
}

// notInFile tells the events a server sends that are not in its binlog
// file: the ROTATE naming the file at the start of a dump and before each
// next file, the FORMAT_DESCRIPTION sent again when a dump starts inside a
// file, and other events flagged artificial (MariaDB's GTID_LIST for a
// replica connecting by GTID). mysqlbinlog --read-from-remote-server does not
// print them either: the output is that of the files.
func notInFile(ev *event.Event) bool {
	h := ev.Header
	switch {
	case h.Flags&event.FlagArtificial != 0:
		return true
	case h.Type == event.RotateEvent:
		return h.LogPos == 0 || h.Timestamp == 0
	case h.Type == event.FormatDescriptionEvent:
		return h.LogPos == 0 || ev.Pos != event.MagicLen
	case h.Type == event.MariaGTIDListEvent:
		return h.LogPos == 0
	}
	return false
}
