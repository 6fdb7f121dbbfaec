package cdc

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

// DefaultMaxTxMemory is the memory a Stream gives one transaction's events
// before it spills them to a temporary file, unless Config.MaxTxMemory says
// otherwise.
const DefaultMaxTxMemory = 32 << 20

// Config says which changes a Stream delivers and how.
type Config struct {
	// Tables are "db.table" patterns of the tables to capture ('*' and '?'
	// wildcards; "shop" means "shop.*"); empty captures every table.
	// Exclude drops tables that Tables would keep.
	Tables, Exclude []string
	// MaxTxMemory bounds the memory a transaction's events take while the
	// Stream waits for its commit; beyond it they go to a temporary file in
	// TempDir (default os.TempDir()). 0 means DefaultMaxTxMemory.
	MaxTxMemory int64
	TempDir     string
	// DB is a connection pool to the server, opened by the caller with the
	// driver of its choice (this package imports none). It is needed for
	// snapshots, for the schema history of servers that log no column names
	// (binlog_row_metadata=MINIMAL), and for a first start on MySQL (the
	// server's executed GTID set: without it checkpoints carry file and
	// position only).
	DB *sql.DB
	// Schema gives column names for Table_maps that carry none when the
	// schema history does not know the table; nil: read them from DB.
	Schema schema.Provider
	// Snapshot, when set, makes a Stream that starts without a checkpoint
	// (or with one whose snapshot is unfinished) read the captured tables'
	// rows first (see SnapshotConfig).
	Snapshot *SnapshotConfig
	// NonBlocking (Dial only) makes the Stream end (io.EOF) once it has
	// delivered everything the server has written when the dump reaches
	// its end (BINLOG_DUMP_NON_BLOCK), and its snapshot has finished.
	NonBlocking bool
	// IdleCommit is how often, at most, an OpCommit is delivered for
	// transactions that delivered no change (other tables, DDL), so that
	// checkpoints keep up with the stream. 0 means one second; negative
	// means never.
	IdleCommit time.Duration
	// Logger receives notes (DDL the schema history could not read, a
	// snapshot's progress); nil: none.
	Logger *slog.Logger
}

// checkpointer is implemented by *binlog.RemoteSource.
type checkpointer interface {
	Checkpoint() binlog.Checkpoint
}

// Stream delivers the committed row changes of a binlog stream, one
// transaction after another in commit order, each followed by an OpCommit
// that carries the Checkpoint after it.
//
// A transaction's events are held (in memory up to Config.MaxTxMemory, then
// in a temporary file) until its commit is read; a transaction that the
// stream ends inside of, or that a reconnect delivers again from its start,
// is never delivered in part. Rows are decoded when delivered, with the
// Table_map in force and the column names of FULL metadata or, for
// servers that log none, of the schema history.
//
// A Stream is not safe for concurrent use. The Change returned by Next is
// valid until the next call.
type Stream struct {
	cfg    Config
	src    binlog.Source
	cpSrc  checkpointer
	r      *binlog.Reader
	closer io.Closer
	log    *slog.Logger

	// Position tracking for sources that keep no checkpoint.
	file  string
	gtids *binlog.GTIDSet
	// cp is the checkpoint after the last transaction read whole.
	cp          Checkpoint
	prevCP      Checkpoint // the checkpoint before the last transaction read
	cpDirty     bool       // cp moved since the last OpCommit
	replayReady bool       // a committed transaction waits in the spool
	lastIdle    time.Time
	redial      func(ctx context.Context) (binlog.Source, error)
	// gtidComplete is true when the GTID set is known whole (the stream
	// started from one): only then do checkpoints carry it.
	gtidComplete bool
	sawTx        bool // a transaction ended since the start

	tx     txState
	spool  *spool
	dec    event.Decoder
	tables rowcodec.Tables
	infos  map[*rowcodec.Table]*tableInfo
	filter *binlog.TableFilter

	hist        *history
	rp          replay
	snap        *snapshotter
	change      Change
	txOrders    map[*tableInfo]int
	before, aft []rowcodec.Value
	err         error
	closed      bool
	recHdr      [recHeaderLen]byte
	commitCP    Checkpoint // what the last OpCommit points to
}

type txMode uint8

const (
	txNone      txMode = iota
	txAfterGTID        // after a GTID: BEGIN or a single statement follows
	txOpen             // after BEGIN: until XID / COMMIT / ROLLBACK
	txStatement        // rows without BEGIN: until STMT_END_F
)

// txState is the transaction being read.
type txState struct {
	mode      txMode
	file      string
	pos       uint64
	gtid      binlog.GTID
	hasGTID   bool
	gtidText  string
	threadID  uint32
	format    *event.FormatDescription
	buffered  int
	events    int // events after the opening one
	byGTID    bool
	startTime uint32
}

// Record layout of a buffered event: type, flags, timestamp, server id,
// position, next position, then the body.
const recHeaderLen = 1 + 2 + 4 + 4 + 8 + 8

// NewStream returns a Stream over src, which must start at start's position
// (or, when start is nil, wherever the caller chose: the Stream then starts
// its own checkpoints from the events it reads). With a *binlog.RemoteSource
// the Stream takes its checkpoints from the source; with other sources it
// computes them from the events (file and position, and the GTID set from
// start's and from the files' PREVIOUS_GTIDS or GTID_LIST).
//
// Dial is the usual way to get a Stream from a live server.
func NewStream(src binlog.Source, start *Checkpoint, cfg Config) (*Stream, error) {
	if cfg.MaxTxMemory <= 0 {
		cfg.MaxTxMemory = DefaultMaxTxMemory
	}
	if cfg.IdleCommit == 0 {
		cfg.IdleCommit = time.Second
	}
	s := &Stream{
		cfg:      cfg,
		src:      src,
		log:      cfg.Logger,
		spool:    newSpool(cfg.MaxTxMemory, cfg.TempDir),
		infos:    map[*rowcodec.Table]*tableInfo{},
		txOrders: map[*tableInfo]int{},
		gtids:    &binlog.GTIDSet{},
		lastIdle: time.Now(),
	}
	if s.log == nil {
		s.log = slog.New(discardHandler{})
	}
	if cp, ok := src.(checkpointer); ok {
		s.cpSrc = cp
	}
	if start != nil {
		s.cp = start.Clone()
		s.cp.Snapshot = nil
		s.file = start.File
		if start.GTIDSet != "" {
			set, err := binlog.ParseGTIDSet(start.GTIDSet)
			if err != nil {
				return nil, fmt.Errorf("cdc: checkpoint: %w", err)
			}
			s.gtids = set
			s.gtidComplete = true
		}
	}
	var err error
	if s.filter, err = newFilter(cfg); err != nil {
		return nil, err
	}
	s.r = binlog.NewReader(src, binlog.WithFilters(s.filter))
	s.hist = newHistory(cfg, start)
	s.hist.filter = s.filter.Match
	if cfg.Snapshot == nil && start != nil && start.Snapshot != nil {
		return nil, fmt.Errorf("cdc: the checkpoint holds an unfinished snapshot (%d of %d tables done): give Config.Snapshot to finish it", start.Snapshot.Table, len(start.Snapshot.Tables))
	}
	if cfg.Snapshot != nil && (start == nil || start.Snapshot != nil) {
		if cfg.DB == nil {
			return nil, errors.New("cdc: a snapshot needs Config.DB")
		}
		s.snap = newSnapshotter(s, *cfg.Snapshot)
		if start != nil {
			s.snap.progress = start.Snapshot
		}
	}
	return s, nil
}

func newFilter(cfg Config) (*binlog.TableFilter, error) {
	inc := cfg.Tables
	if len(inc) > 0 && cfg.Snapshot != nil {
		inc = append(append([]string(nil), inc...), cfg.Snapshot.watermarkName())
	}
	f, err := binlog.NewTableFilter(inc, cfg.Exclude)
	if err != nil {
		return nil, fmt.Errorf("cdc: %w", err)
	}
	return f, nil
}

// Close releases the Stream's temporary file and closes its source when the
// Stream opened it (Dial).
func (s *Stream) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	s.spool.close()
	if s.snap != nil {
		s.snap.close()
	}
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

// Checkpoint returns the checkpoint after the last transaction delivered
// whole (the one the last OpCommit carried, or later when transactions that
// delivered nothing followed).
func (s *Stream) Checkpoint() Checkpoint {
	return s.checkpointCopy()
}

// Next returns the next change, or io.EOF at the end of the stream (a file
// source's end, or, with NonBlocking, the server's end). The Change is
// valid until the next call. Errors are sticky.
func (s *Stream) Next(ctx context.Context) (*Change, error) {
	if s.err != nil {
		return nil, s.err
	}
	c, err := s.next(ctx)
	if err != nil {
		s.err = err
		return nil, err
	}
	return c, nil
}

// All returns a single-use iterator over the remaining changes, built on
// Next. It stops at the end of the stream; an error is yielded once, with a
// nil Change, and ends the iteration. Each Change is valid until the loop
// body returns.
func (s *Stream) All(ctx context.Context) iter.Seq2[*Change, error] {
	return func(yield func(*Change, error) bool) {
		for {
			c, err := s.Next(ctx)
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(c, nil) {
				return
			}
		}
	}
}

func (s *Stream) next(ctx context.Context) (*Change, error) {
	for {
		if s.rp.active {
			c, err := s.replayNext()
			if err != nil || c != nil {
				return c, err
			}
			continue
		}
		if s.snap != nil {
			c, err := s.snap.step(ctx)
			if err != nil || c != nil {
				return c, err
			}
			if s.snap.emitting() {
				continue
			}
		}
		if s.replayReady {
			s.replayReady = false
			if err := s.startReplay(); err != nil {
				return nil, err
			}
			continue
		}
		done, err := s.readTx(ctx)
		if err == io.EOF && s.redial != nil && s.snapshotRunning() {
			if err = s.reopen(ctx); err == nil {
				continue
			}
		}
		if err == io.EOF {
			if s.snap != nil {
				if c, err := s.snap.atEnd(); err != nil || c != nil {
					return c, err
				}
			}
			if s.cpDirty {
				return s.commitChange(0), nil
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		if done {
			s.replayReady = true
		} else if s.cpDirty && s.cfg.IdleCommit > 0 && time.Since(s.lastIdle) >= s.cfg.IdleCommit && !s.snapshotRunning() {
			return s.commitChange(0), nil
		}
	}
}

func (s *Stream) snapshotRunning() bool { return s.snap != nil && !s.snap.finished() }

// reopen follows the server again from where a non-blocking dump ended,
// while a snapshot waits for its watermarks.
func (s *Stream) reopen(ctx context.Context) error {
	src, err := s.redial(ctx)
	if err != nil {
		return err
	}
	if s.closer != nil {
		s.closer.Close()
	}
	s.src, s.closer = src, src.(io.Closer)
	s.cpSrc, _ = src.(checkpointer)
	s.r = binlog.NewReader(src, binlog.WithFilters(s.filter))
	s.dropTx()
	return nil
}

// readTx reads events until a transaction ends. done is true when one
// committed with something to deliver (its events are in the spool).
func (s *Stream) readTx(ctx context.Context) (done bool, err error) {
	for {
		ev, err := s.r.Next(ctx)
		if err != nil {
			if err == io.EOF {
				return false, io.EOF
			}
			return false, s.wrapReadErr(err)
		}
		if ev.File != "" {
			s.file = ev.File
		}
		s.tx.events++
		switch b := ev.Body.(type) {
		case *event.Query:
			st := b.Statement()
			switch st.Kind {
			case event.StatementBegin:
				switch {
				case s.tx.mode == txAfterGTID:
					s.tx.mode = txOpen
				case s.tx.mode == txOpen && s.tx.byGTID && s.tx.events == 1:
					// MariaDB's GTID stands for BEGIN; a BEGIN after it
					// changes nothing.
				default:
					// A transaction without GTID events begins; one still
					// open was cut off (a reconnect delivers it again).
					s.dropTx()
					s.openTx(ev, txOpen)
				}
				s.tx.threadID = b.ThreadID
				continue
			case event.StatementCommit:
				if s.tx.mode == txOpen {
					return s.commitTx(ev)
				}
				continue
			case event.StatementRollback:
				s.dropTx()
				s.boundary(ev)
				continue
			}
			if st.Kind == event.StatementDDL && !st.Temporary {
				if s.tx.mode == txNone || s.tx.mode == txStatement {
					s.dropTx()
					s.openTx(ev, txAfterGTID)
				}
				if s.tx.threadID == 0 {
					s.tx.threadID = b.ThreadID
				}
				if err := s.buffer(ev); err != nil {
					return false, err
				}
			}
			if s.tx.mode == txAfterGTID || s.tx.mode == txNone {
				// A statement on its own (DDL after a GTID, or without one).
				return s.commitTx(ev)
			}
			continue
		case *event.TableMap:
			if s.tx.mode == txNone {
				s.openTx(ev, txStatement)
			} else if s.tx.mode == txAfterGTID {
				s.tx.mode = txOpen
			}
			if err := s.buffer(ev); err != nil {
				return false, err
			}
			continue
		case *event.Rows:
			if s.tx.mode == txNone {
				s.openTx(ev, txStatement)
			}
			if err := s.buffer(ev); err != nil {
				return false, err
			}
			if s.tx.mode == txStatement && b.StmtEnd() {
				return s.commitTx(ev)
			}
			continue
		case *event.MariaAnnotateRows, *event.RowsQuery:
			if s.tx.mode != txNone {
				if err := s.buffer(ev); err != nil {
					return false, err
				}
			}
			continue
		case *event.PreviousGTIDs:
			if s.gtids.IsEmpty() && s.cpSrc == nil && !s.sawTx {
				s.gtids.AddPreviousGTIDs(b)
				s.gtidComplete = true
			}
			continue
		case *event.MariaGTIDList:
			if s.gtids.IsEmpty() && s.cpSrc == nil && !s.sawTx && ev.Header.Timestamp != 0 {
				s.gtids.AddMariaGTIDList(b)
				s.gtidComplete = true
			}
			continue
		}
		switch ev.Header.Type {
		case event.GTIDEvent, event.GTIDTaggedEvent, event.AnonymousGTIDEvent, event.MariaGTIDEvent:
			if ev.InPayload {
				continue
			}
			s.dropTx() // a transaction cut off (a reconnect delivers it again)
			mode := txAfterGTID
			if g, ok := ev.Body.(*event.MariaGTID); ok && !g.Standalone() {
				mode = txOpen
			}
			s.openTx(ev, mode)
			s.tx.byGTID = true
			s.tx.gtid, s.tx.hasGTID = binlog.GTIDFromEvent(ev.Body, ev.Header.ServerID)
			if g, ok := ev.Body.(*event.MariaGTID); ok && g.FlagsExtra&event.MariaGTIDExtraThreadID != 0 {
				s.tx.threadID = g.ThreadID
			}
		case event.XIDEvent, event.XAPrepareEvent:
			if s.tx.mode == txOpen || s.tx.mode == txAfterGTID {
				return s.commitTx(ev)
			}
		}
	}
}

func (s *Stream) openTx(ev *event.Event, mode txMode) {
	s.tx = txState{mode: mode, file: ev.File, pos: ev.Pos, format: ev.Format, startTime: ev.Header.Timestamp}
}

func (s *Stream) dropTx() {
	if s.tx.buffered > 0 {
		s.spool.reset()
	}
	s.tx = txState{}
}

// buffer copies an event of the open transaction into the spool.
func (s *Stream) buffer(ev *event.Event) error {
	h := &s.recHdr
	h[0] = byte(ev.Header.Type)
	binary.LittleEndian.PutUint16(h[1:], ev.Header.Flags)
	binary.LittleEndian.PutUint32(h[3:], ev.Header.Timestamp)
	binary.LittleEndian.PutUint32(h[7:], ev.Header.ServerID)
	binary.LittleEndian.PutUint64(h[11:], ev.Pos)
	binary.LittleEndian.PutUint64(h[19:], ev.NextPos)
	if s.tx.format == nil {
		s.tx.format = ev.Format
	}
	s.tx.buffered++
	return s.spool.append2(h[:], ev.BodyBytes())
}

// boundary moves the checkpoint past a transaction that delivers nothing.
func (s *Stream) boundary(ev *event.Event) {
	s.advance(ev)
}

// advance sets the checkpoint after ev, the last event of a transaction.
func (s *Stream) advance(ev *event.Event) {
	s.prevCP = s.cp
	s.sawTx = true
	if s.tx.hasGTID && s.cpSrc == nil {
		s.gtids.Add(s.tx.gtid)
		// A MariaDB GTID position is the last transaction per domain:
		// what the stream has seen is all a resume needs.
		s.gtidComplete = s.gtidComplete || s.tx.gtid.Flavor == event.MariaDB
	}
	if s.cpSrc != nil {
		bc := s.cpSrc.Checkpoint()
		s.cp.File, s.cp.Pos = bc.File, bc.Pos
		if s.gtidComplete && bc.GTIDSet != nil && !bc.GTIDSet.IsEmpty() {
			s.cp.GTIDSet = bc.GTIDSet.String()
		}
	} else {
		s.cp.File, s.cp.Pos = s.file, ev.NextPos
		if s.gtidComplete && !s.gtids.IsEmpty() {
			s.cp.GTIDSet = s.gtids.String()
		}
	}
	s.cp.ServerID = ev.Header.ServerID
	s.cpDirty = true
}

// commitTx ends the transaction with ev, its commit.
func (s *Stream) commitTx(ev *event.Event) (bool, error) {
	if s.tx.hasGTID {
		s.tx.gtidText = s.tx.gtid.String()
	} else {
		s.tx.gtidText = ""
	}
	s.advance(ev)
	if s.tx.buffered == 0 {
		s.tx = txState{}
		return false, nil
	}
	return true, nil
}

func (s *Stream) wrapReadErr(err error) error {
	if pe := purgedError(err, s.cp); pe != nil {
		return pe
	}
	return err
}

// commitChange returns the OpCommit of a transaction that delivered n
// changes.
func (s *Stream) commitChange(n int) *Change {
	c := &s.change
	*c = Change{Op: OpCommit, Source: Source{File: s.cp.File, Pos: s.cp.Pos, NextPos: s.cp.Pos, ServerID: s.cp.ServerID, GTID: s.tx.gtidText}}
	c.Tx.ID = s.rp.txID
	c.Tx.Order = n
	s.commitCP = s.checkpointCopy()
	c.Checkpoint = &s.commitCP
	s.cpDirty = false
	s.lastIdle = time.Now()
	return c
}

func (s *Stream) checkpointCopy() Checkpoint {
	cp := s.cp
	cp.Schema = s.hist.defs()
	if s.snap != nil && !s.snap.finished() {
		p := s.snap.checkpointProgress()
		cp.Snapshot = p
	}
	return cp
}

type discardHandler struct{}

func (discardHandler) Enabled(context.Context, slog.Level) bool  { return false }
func (discardHandler) Handle(context.Context, slog.Record) error { return nil }
func (d discardHandler) WithAttrs([]slog.Attr) slog.Handler      { return d }
func (d discardHandler) WithGroup(string) slog.Handler           { return d }
