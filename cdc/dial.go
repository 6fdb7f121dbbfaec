package cdc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/internal/mysqlproto"
)

// ErrPurged is wrapped by the error of a Stream whose checkpoint names
// binlog events the server no longer has (PURGE BINARY LOGS, expiry): the
// changes between the checkpoint and the oldest binlog left are lost to
// it. The way out is a new snapshot.
var ErrPurged = errors.New("cdc: the server no longer has the binlog at the checkpoint")

// PurgedError is the error of a Stream started at a checkpoint the server
// has purged. It wraps ErrPurged and the server's error.
type PurgedError struct {
	// Checkpoint is where the Stream was to resume.
	Checkpoint Checkpoint
	// Err is the server's error (1236).
	Err error
}

// Error names the checkpoint, the missing file and the way out.
func (e *PurgedError) Error() string {
	where := e.Checkpoint.File
	if where == "" {
		where = "(GTID set " + e.Checkpoint.GTIDSet + ")"
	} else {
		where = fmt.Sprintf("%s (checkpoint %s)", e.Checkpoint.File, e.Checkpoint)
	}
	return fmt.Sprintf("cdc: the server no longer has binlog %s: it was purged, so the changes since are lost to this stream (%v); "+
		"start over with a new snapshot: remove the checkpoint and run again with a snapshot", where, e.Err)
}

// Unwrap returns ErrPurged and the server's error.
func (e *PurgedError) Unwrap() []error { return []error{ErrPurged, e.Err} }

// purgedError recognises the server's answer to a dump from a purged
// position (ER_MASTER_FATAL_ERROR_READING_BINLOG, 1236, about a missing
// file or purged GTIDs).
func purgedError(err error, cp Checkpoint) error {
	var se *mysqlproto.ServerError
	if !errors.As(err, &se) || se.Code != 1236 {
		return nil
	}
	m := strings.ToLower(se.Message)
	if strings.Contains(m, "could not find first log file") || strings.Contains(m, "purged") ||
		strings.Contains(m, "could not find gtid") || strings.Contains(m, "not found in") {
		return &PurgedError{Checkpoint: cp, Err: err}
	}
	return nil
}

// Dial connects to a server as a replica and returns a Stream of its
// changes from start: after start's transactions when start is not nil, or
// from the server's current position. dial gives the connection (DSN, TLS,
// server id, reconnection); its start fields are set from start.
//
// With cfg.Snapshot, a Stream without a checkpoint (or with one whose
// snapshot is unfinished) first reads the captured tables, interleaved with
// the binlog (see SnapshotConfig). With cfg.DB on a server that logs no
// column names (binlog_row_metadata=MINIMAL), a Stream without schema
// history in its checkpoint reads the captured tables' definitions first:
// they describe the rows from the start position on, and the DDL of the
// stream keeps them current.
//
// A checkpoint whose binlog the server has purged makes Next fail with a
// *PurgedError.
func Dial(ctx context.Context, dial binlog.DialConfig, start *Checkpoint, cfg Config) (*Stream, error) {
	var err error
	dial.NonBlocking = cfg.NonBlocking
	gtidComplete := false
	if start != nil {
		if dial, err = start.DialConfig(dial); err != nil {
			return nil, err
		}
		gtidComplete = dial.GTIDSet != nil
	} else {
		dial.StartFile, dial.StartPos, dial.GTIDSet, dial.FromCurrent = "", 0, nil, true
		if cfg.DB != nil {
			// Start after the transactions the server has executed: the
			// checkpoints' GTID sets are then whole, and a restart can
			// resume by them.
			set, err := executedGTIDs(ctx, cfg.DB)
			if err != nil {
				return nil, err
			}
			if set != nil && !set.IsEmpty() {
				dial.GTIDSet, dial.FromCurrent, gtidComplete = set, false, true
			}
		}
	}
	src, err := binlog.Dial(ctx, dial)
	if err != nil {
		if start != nil {
			if pe := purgedError(err, *start); pe != nil {
				return nil, pe
			}
		}
		return nil, err
	}
	s, err := NewStream(src, start, cfg)
	if err != nil {
		src.Close()
		return nil, err
	}
	s.closer = src
	s.gtidComplete = gtidComplete
	if cfg.NonBlocking {
		// A non-blocking dump can end before a snapshot's watermarks come
		// back: the Stream then dials again from where it is.
		s.redial = func(ctx context.Context) (binlog.Source, error) {
			d := dial
			bc := s.cpSrc.Checkpoint()
			d.StartFile, d.StartPos, d.GTIDSet, d.FromCurrent = bc.File, bc.Pos, nil, false
			if s.gtidComplete && bc.GTIDSet != nil && !bc.GTIDSet.IsEmpty() {
				d.StartFile, d.StartPos, d.GTIDSet = "", 0, bc.GTIDSet
			}
			return binlog.Dial(ctx, d)
		}
	}
	if start == nil {
		bc := src.Checkpoint()
		s.cp.File, s.cp.Pos = bc.File, bc.Pos
		if gtidComplete && bc.GTIDSet != nil && !bc.GTIDSet.IsEmpty() {
			s.cp.GTIDSet = bc.GTIDSet.String()
		}
		s.prevCP = s.cp
		s.cpDirty = !s.cp.IsZero() // the first OpCommit saves where it started
	}
	if cfg.DB != nil && (start == nil || len(start.Schema) == 0) {
		var meta string
		if err := cfg.DB.QueryRowContext(ctx, "SELECT @@global.binlog_row_metadata").Scan(&meta); err != nil || !strings.EqualFold(meta, "FULL") {
			tables, err := loadTables(ctx, cfg.DB, s.filter.Match)
			if err != nil {
				s.Close()
				return nil, err
			}
			s.hist.seed(tables)
		}
	}
	return s, nil
}

// executedGTIDs returns the transactions the server has executed: MySQL's
// gtid_executed, MariaDB's gtid_binlog_pos; nil when the server has no
// GTIDs.
func executedGTIDs(ctx context.Context, db *sql.DB) (*binlog.GTIDSet, error) {
	var version, text string
	if err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		return nil, fmt.Errorf("cdc: %w", err)
	}
	q := "SELECT @@global.gtid_executed"
	if strings.Contains(strings.ToLower(version), "mariadb") {
		q = "SELECT @@global.gtid_binlog_pos"
	}
	if err := db.QueryRowContext(ctx, q).Scan(&text); err != nil {
		return nil, nil // a server without GTIDs
	}
	text = strings.ReplaceAll(text, "\n", "")
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	set, err := binlog.ParseGTIDSet(text)
	if err != nil {
		return nil, fmt.Errorf("cdc: the server's GTID set: %w", err)
	}
	return set, nil
}
