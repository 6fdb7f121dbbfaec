package cdc

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/binlogkit/binlogkit/rowcodec"
)

// DefaultChunkSize is the number of rows a snapshot reads per chunk unless
// SnapshotConfig.ChunkSize says otherwise.
const DefaultChunkSize = 1024

// DefaultWatermarkTable is the table a snapshot writes its watermarks to
// unless SnapshotConfig.Watermark names another.
const DefaultWatermarkTable = "binlogkit_cdc.watermark"

// SnapshotConfig configures the initial snapshot: the rows of every
// captured table, read while the binlog is followed and interleaved with
// it, without locks, as Netflix's DBLog does (Andreas Andreakis and Ioannis
// Papapanagiotou, 2020).
//
// A table with a primary key is read in chunks in key order, each with
// SELECT … WHERE key > last ORDER BY key LIMIT ChunkSize. Around each
// SELECT the snapshot writes a low and a high watermark to the watermark
// table (an UPDATE of its one row), and the binlog is read on: the rows of
// the chunk whose key a change in the binlog touched between the two
// watermarks are dropped from the chunk (the change, which comes with the
// newer row, is delivered instead), and the others are delivered as OpRead
// at the high watermark, where they are what the table holds. No table is
// locked; writers are never blocked; the chunk in progress is the only
// thing held in memory. The checkpoint after each chunk records the key of
// its last row, so a Stream resumed from it goes on with the next chunk.
//
// A table without a primary key is read whole in one consistent read, and
// its rows are delivered at the binlog position the read saw. Such tables
// are read first, and their changes from the snapshot's start up to their
// read are not delivered: the read holds them (rows without a key cannot
// be matched against a change, so no change may come before the read). On
// MariaDB that is START TRANSACTION WITH CONSISTENT SNAPSHOT, which reports
// the matching position in the status variables binlog_snapshot_file and
// binlog_snapshot_position. MySQL has no such report: there the table is
// read under LOCK TABLES … READ (that table only, for the time of its read,
// which blocks its writers meanwhile) and the position taken with SHOW
// BINARY LOG STATUS while the lock is held. The rows go through a temporary
// file beyond Config.MaxTxMemory.
//
// Least privileges of the snapshot's user (Config.DB): SELECT on the
// captured tables and on information_schema (always granted); on the
// watermark table's database CREATE (once, or create it beforehand: see
// WatermarkDDL), INSERT and UPDATE; LOCK TABLES on the keyless tables'
// databases (MySQL only). The Stream's replication user needs REPLICATION
// SLAVE and REPLICATION CLIENT (BINLOG MONITOR on MariaDB 10.5+) as for
// binlog.Dial. The watermark table must be captured by the binlog's
// filters (binlog-do-db and the like) like the tables.
type SnapshotConfig struct {
	// ChunkSize is the number of rows per chunk (0: DefaultChunkSize).
	ChunkSize int
	// Watermark is "db.table" of the watermark table (""
	// DefaultWatermarkTable). It is created when missing.
	Watermark string
}

func (c SnapshotConfig) watermarkName() string {
	if c.Watermark == "" {
		return DefaultWatermarkTable
	}
	return c.Watermark
}

// WatermarkDDL returns the statements that create the watermark table, for
// users who create it beforehand instead of granting CREATE.
func (c SnapshotConfig) WatermarkDDL() []string {
	db, name, _ := strings.Cut(c.watermarkName(), ".")
	q := quoteIdent(db) + "." + quoteIdent(name)
	return []string{
		"CREATE DATABASE IF NOT EXISTS " + quoteIdent(db),
		"CREATE TABLE IF NOT EXISTS " + q + " (id INT NOT NULL PRIMARY KEY, mark VARCHAR(128) NOT NULL)",
		"INSERT IGNORE INTO " + q + " VALUES (1, '')",
	}
}

type snapPhase uint8

const (
	phIdle        snapPhase = iota
	phWaitLow               // watermarks written; waiting for the low one in the binlog
	phWindow                // between low and high: changes drop rows from the chunk
	phReady                 // the high watermark was read: deliver at the transaction's end
	phEmit                  // delivering the chunk
	phKeylessWait           // a keyless table was read at a position the stream has not passed
	phKeylessEmit           // delivering its rows
	phDone
)

type snapshotter struct {
	s        *Stream
	cfg      SnapshotConfig
	db       *sql.DB
	conn     *sql.Conn
	wmDB     string
	wmName   string
	wmQ      string
	mariadb  bool
	nonce    string
	progress *SnapshotProgress
	phase    snapPhase
	seq      int
	wmL, wmH string

	tbl     *snapTable
	rows    [][]rowcodec.Value
	lastKey [][]byte
	keyIdx  map[string]int
	dropped []bool
	full    bool
	emitI   int
	emitted int
	keybuf  []byte
	change  Change

	// A keyless table's read.
	failing time.Time
	unread  map[string]bool // tables without a key not delivered yet

	kl       *spool
	klFile   string
	klPos    uint64
	klCP     Checkpoint
	klVals   []rowcodec.Value
	klOrder  int
	rawVals  []sql.RawBytes
	scanArgs []any
}

func newSnapshotter(s *Stream, cfg SnapshotConfig) *snapshotter {
	if cfg.ChunkSize <= 0 {
		cfg.ChunkSize = DefaultChunkSize
	}
	sn := &snapshotter{s: s, cfg: cfg, db: s.cfg.DB, keyIdx: map[string]int{}}
	sn.wmDB, sn.wmName, _ = strings.Cut(cfg.watermarkName(), ".")
	sn.wmQ = quoteIdent(sn.wmDB) + "." + quoteIdent(sn.wmName)
	var b [6]byte
	rand.Read(b[:])
	sn.nonce = hex.EncodeToString(b[:])
	return sn
}

func (sn *snapshotter) isWatermark(db, name string) bool {
	return strings.EqualFold(db, sn.wmDB) && strings.EqualFold(name, sn.wmName)
}

func (sn *snapshotter) finished() bool { return sn.phase == phDone }

func (sn *snapshotter) close() {
	if sn.conn != nil {
		sn.conn.Close()
		sn.conn = nil
	}
	if sn.kl != nil {
		sn.kl.close()
	}
}

func (sn *snapshotter) checkpointProgress() *SnapshotProgress {
	if sn.progress == nil {
		return nil
	}
	p := *sn.progress
	return &p
}

// start prepares the snapshot: its connection, the watermark table and,
// for a new snapshot, the list of tables.
func (sn *snapshotter) start(ctx context.Context) error {
	var err error
	if sn.conn, err = sn.db.Conn(ctx); err != nil {
		return fmt.Errorf("cdc: snapshot: %w", err)
	}
	if _, err := sn.conn.ExecContext(ctx, "SET time_zone = '+00:00', NAMES utf8mb4"); err != nil {
		return fmt.Errorf("cdc: snapshot: %w", err)
	}
	var version string
	if err := sn.conn.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		return fmt.Errorf("cdc: snapshot: %w", err)
	}
	sn.mariadb = strings.Contains(strings.ToLower(version), "mariadb")
	var one int
	if err := sn.conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+sn.wmQ+" WHERE id = 1").Scan(&one); err != nil || one != 1 {
		for _, q := range sn.cfg.WatermarkDDL() {
			if _, err := sn.conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("cdc: snapshot: creating the watermark table %s: %w", sn.cfg.watermarkName(), err)
			}
		}
	}
	if sn.progress == nil {
		names, err := listTables(ctx, sn.db, func(db, name string) bool {
			return !sn.isWatermark(db, name) && sn.s.filter.Match(db, name)
		})
		if err != nil {
			return err
		}
		var id [8]byte
		rand.Read(id[:])
		p := &SnapshotProgress{ID: hex.EncodeToString(id[:])}
		keyed, err := keyedTables(ctx, sn.db)
		if err != nil {
			return err
		}
		// Tables without a key first: their changes are held back from the
		// snapshot's start until their read, which should come soon.
		for _, pass := range []bool{false, true} {
			for _, n := range names {
				if keyed[n[0]+"."+n[1]] == pass {
					p.Tables = append(p.Tables, n[0]+"."+n[1])
				}
			}
		}
		sn.progress = p
		sn.s.log.Info("cdc: snapshot started", "id", p.ID, "tables", len(p.Tables))
	} else {
		sn.s.log.Info("cdc: snapshot resumed", "id", sn.progress.ID, "table", sn.progress.Table, "rows", sn.progress.Rows)
	}
	// The tables without a key still to read: their changes are not
	// delivered until their read (which holds them).
	keyed, err := keyedTables(ctx, sn.db)
	if err != nil {
		return err
	}
	sn.unread = map[string]bool{}
	for _, t := range sn.progress.Tables[min(sn.progress.Table, len(sn.progress.Tables)):] {
		if !keyed[t] {
			sn.unread[t] = true
		}
	}
	sn.s.cpDirty = true // the first checkpoint names the snapshot
	return nil
}

// keyedTables returns the tables that have a primary key, "db.table".
func keyedTables(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, "SELECT DISTINCT TABLE_SCHEMA, TABLE_NAME FROM information_schema.STATISTICS WHERE INDEX_NAME = 'PRIMARY'")
	if err != nil {
		return nil, fmt.Errorf("cdc: snapshot: listing primary keys: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var d, n string
		if err := rows.Scan(&d, &n); err != nil {
			return nil, err
		}
		out[d+"."+n] = true
	}
	return out, rows.Err()
}

// step runs between transactions: it delivers the rows of a chunk or a
// keyless table when their time has come, and starts the next chunk.
func (sn *snapshotter) step(ctx context.Context) (*Change, error) {
	switch sn.phase {
	case phDone:
		return nil, nil
	case phEmit:
		return sn.emitChunk()
	case phKeylessEmit:
		return sn.emitKeyless()
	case phKeylessWait:
		if comparePos(sn.s.cp.File, sn.s.cp.Pos, sn.klFile, sn.klPos) > 0 {
			// A transaction that ends after the read's position has been
			// read: the rows go before it, at the checkpoint before it.
			sn.klCP = sn.s.prevCP
			return sn.beginKeylessEmit()
		}
		return nil, nil
	case phIdle:
		if sn.s.replayReady {
			return nil, nil
		}
		if sn.conn == nil {
			if err := sn.start(ctx); err != nil {
				return nil, sn.failed(ctx, err)
			}
			if sn.s.cpDirty {
				return sn.s.commitChange(0), nil
			}
		}
		if err := sn.nextChunk(ctx); err != nil {
			return nil, sn.failed(ctx, err)
		}
		sn.failing = time.Time{}
	}
	return nil, nil
}

// failed decides what a failed chunk means: a lost connection (the server
// restarting) is retried with a new connection for up to two minutes, the
// chunk read again under new watermarks; anything else stops the stream.
func (sn *snapshotter) failed(ctx context.Context, err error) error {
	if ctx.Err() != nil || !connectionLost(err) {
		return err
	}
	if sn.failing.IsZero() {
		sn.failing = time.Now()
	} else if time.Since(sn.failing) > 2*time.Minute {
		return err
	}
	sn.s.log.Warn("cdc: snapshot: the connection was lost; reading the chunk again", "err", err)
	if sn.conn != nil {
		sn.conn.Close()
		sn.conn = nil
	}
	sn.tbl = nil
	select {
	case <-time.After(time.Second):
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// connectionLost recognises the errors of a connection that broke (the
// driver's own error values are not known to this package).
func connectionLost(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	m := err.Error()
	for _, s := range []string{"invalid connection", "connection refused", "broken pipe", "bad connection", "server has gone away", "Lost connection", "connection reset"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// atEnd is called at the end of the stream (a non-blocking read): a keyless
// table read at the end's position is delivered.
func (sn *snapshotter) atEnd() (*Change, error) {
	switch sn.phase {
	case phKeylessWait:
		sn.klCP = sn.s.cp
		return sn.beginKeylessEmit()
	case phKeylessEmit:
		return sn.emitKeyless()
	case phEmit:
		return sn.emitChunk()
	}
	return nil, nil
}

// nextChunk reads the next chunk (or keyless table) of the snapshot.
func (sn *snapshotter) nextChunk(ctx context.Context) error {
	p := sn.progress
	for {
		if p.Table >= len(p.Tables) {
			sn.phase = phDone
			sn.progress = nil
			sn.s.cpDirty = true
			sn.s.log.Info("cdc: snapshot finished", "id", p.ID, "rows", p.Rows)
			if sn.conn != nil {
				sn.conn.Close()
				sn.conn = nil
			}
			return nil
		}
		if sn.tbl == nil {
			db, name, _ := strings.Cut(p.Tables[p.Table], ".")
			t, err := loadSnapTable(ctx, sn.conn, db, name)
			if err != nil {
				if strings.Contains(err.Error(), "not found") { // dropped since the list was made
					p.Table, p.After = p.Table+1, nil
					continue
				}
				return err
			}
			sn.tbl = t
		}
		break
	}
	if len(sn.tbl.key) == 0 {
		return sn.readKeyless(ctx)
	}
	sn.seq++
	sn.wmL = fmt.Sprintf("%s:%d:%s:L", p.ID, sn.seq, sn.nonce)
	sn.wmH = sn.wmL[:len(sn.wmL)-1] + "H"
	if err := sn.mark(ctx, sn.wmL); err != nil {
		return err
	}
	if err := sn.selectChunk(ctx); err != nil {
		return err
	}
	if err := sn.mark(ctx, sn.wmH); err != nil {
		return err
	}
	sn.phase = phWaitLow
	return nil
}

func (sn *snapshotter) mark(ctx context.Context, m string) error {
	if _, err := sn.conn.ExecContext(ctx, "UPDATE "+sn.wmQ+" SET mark = ? WHERE id = 1", m); err != nil {
		return fmt.Errorf("cdc: snapshot: writing a watermark to %s: %w", sn.cfg.watermarkName(), err)
	}
	return nil
}

func (sn *snapshotter) selectChunk(ctx context.Context) error {
	t, p := sn.tbl, sn.progress
	var q strings.Builder
	q.WriteString("SELECT ")
	q.WriteString(strings.Join(t.names, ", "))
	q.WriteString(" FROM ")
	q.WriteString(t.qname)
	var args []any
	if p.After != nil {
		if len(p.After) != len(t.key) {
			return fmt.Errorf("cdc: snapshot: the checkpoint's key of %s.%s has %d columns, the table's key %d", t.db, t.name, len(p.After), len(t.key))
		}
		// (k1 > ?) OR (k1 = ? AND k2 > ?) OR …: a range every server's
		// optimizer reads from the key.
		q.WriteString(" WHERE ")
		for i := range t.key {
			if i > 0 {
				q.WriteString(" OR ")
			}
			q.WriteString("(")
			for j := 0; j < i; j++ {
				q.WriteString(t.names[t.key[j]] + " = ? AND ")
				args = append(args, string(p.After[j]))
			}
			q.WriteString(t.names[t.key[i]] + " > ?)")
			args = append(args, string(p.After[i]))
		}
	}
	q.WriteString(" ORDER BY ")
	for i, k := range t.key {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(t.names[k])
	}
	fmt.Fprintf(&q, " LIMIT %d", sn.cfg.ChunkSize)
	rows, err := sn.conn.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return fmt.Errorf("cdc: snapshot: reading %s.%s: %w", t.db, t.name, err)
	}
	defer rows.Close()
	sn.rows = sn.rows[:0]
	clear(sn.keyIdx)
	sn.dropped = sn.dropped[:0]
	sn.prepareScan(len(t.cols))
	for rows.Next() {
		if err := rows.Scan(sn.scanArgs...); err != nil {
			return fmt.Errorf("cdc: snapshot: reading %s.%s: %w", t.db, t.name, err)
		}
		vals := make([]rowcodec.Value, len(t.cols))
		for i := range t.cols {
			v, err := sqlValue(&t.cols[i], t.fsp[i], sn.rawVals[i])
			if err != nil {
				return fmt.Errorf("cdc: snapshot: %s.%s: %w", t.db, t.name, err)
			}
			vals[i] = v
		}
		sn.lastKey = sn.lastKey[:0]
		for _, k := range t.key {
			sn.lastKey = append(sn.lastKey, append([]byte(nil), sn.rawVals[k]...))
		}
		kb, err := keyBytes(sn.keybuf[:0], t.cols, t.key, vals)
		if err != nil {
			return err
		}
		sn.keybuf = kb
		sn.keyIdx[string(kb)] = len(sn.rows)
		sn.rows = append(sn.rows, vals)
		sn.dropped = append(sn.dropped, false)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cdc: snapshot: reading %s.%s: %w", t.db, t.name, err)
	}
	sn.full = len(sn.rows) == sn.cfg.ChunkSize
	return nil
}

func (sn *snapshotter) prepareScan(n int) {
	if len(sn.rawVals) != n {
		sn.rawVals = make([]sql.RawBytes, n)
		sn.scanArgs = make([]any, n)
		for i := range sn.rawVals {
			sn.scanArgs[i] = &sn.rawVals[i]
		}
	}
}

// keyBytes renders the key columns of a row, the same for a row read by
// the snapshot and a row of the binlog.
func keyBytes(dst []byte, cols []rowcodec.Column, key []int, vals []rowcodec.Value) ([]byte, error) {
	for i, k := range key {
		if i > 0 {
			dst = append(dst, 0)
		}
		if vals[k].IsAbsent() {
			return nil, errAbsentKey
		}
		var err error
		if dst, err = vals[k].AppendJSON(dst, &cols[k]); err != nil {
			return nil, err
		}
	}
	return dst, nil
}

var errAbsentKey = errors.New("cdc: key column absent from the image")

// watermark is called for a row of the watermark table read from the
// binlog.
func (sn *snapshotter) watermark(_ *tableInfo, after []rowcodec.Value) error {
	if len(after) < 2 {
		return nil
	}
	m := after[1].Bytes()
	switch {
	case sn.phase == phWaitLow && string(m) == sn.wmL:
		sn.phase = phWindow
	case sn.phase == phWindow && string(m) == sn.wmH:
		sn.phase = phReady
	}
	return nil
}

// observe sees every change of the binlog before it is delivered and
// reports whether to deliver it.
func (sn *snapshotter) observe(info *tableInfo, c *Change) bool {
	switch sn.phase {
	case phWindow:
		if sn.tbl != nil && info.db == sn.tbl.db && info.name == sn.tbl.name {
			for _, img := range [2][]rowcodec.Value{c.Before, c.After} {
				if img == nil {
					continue
				}
				kb, err := keyBytes(sn.keybuf[:0], info.cols, info.key, img)
				if err != nil {
					continue
				}
				sn.keybuf = kb
				if i, ok := sn.keyIdx[string(kb)]; ok {
					sn.dropped[i] = true
				}
			}
		}
	}
	if len(sn.unread) > 0 && sn.unread[info.db+"."+info.name] {
		// A table without a key not read yet, or read at a position
		// this change is not past: the read holds it.
		if sn.phase != phKeylessWait || sn.tbl == nil || info.db != sn.tbl.db || info.name != sn.tbl.name ||
			comparePos(sn.s.cp.File, sn.s.cp.Pos, sn.klFile, sn.klPos) <= 0 {
			return false
		}
	}
	return true
}

func (sn *snapshotter) truncated(info *tableInfo) {
	if sn.phase == phWindow && sn.tbl != nil && info.db == sn.tbl.db && info.name == sn.tbl.name {
		for i := range sn.dropped {
			sn.dropped[i] = true
		}
	}
}

// txEnd is called at the end of each replayed transaction.
func (sn *snapshotter) txEnd() {
	if sn.phase == phReady {
		sn.phase, sn.emitI, sn.emitted = phEmit, 0, 0
		sn.s.rp.txID = fmt.Sprintf("snapshot:%s:%d", sn.progress.ID, sn.seq)
	}
}

// emitting reports whether the snapshot delivers rows before the stream
// goes on.
func (sn *snapshotter) emitting() bool { return sn.phase == phEmit || sn.phase == phKeylessEmit }

func (sn *snapshotter) lastTable() bool {
	return sn.progress != nil && sn.progress.Table == len(sn.progress.Tables)-1
}

func (sn *snapshotter) emitChunk() (*Change, error) {
	for sn.emitI < len(sn.rows) {
		i := sn.emitI
		sn.emitI++
		if sn.dropped[i] {
			continue
		}
		mark := SnapshotTrue
		if !sn.full && sn.lastTable() && sn.lastLive(i) {
			mark = SnapshotLast
		}
		sn.emitted++
		return sn.readChange(sn.rows[i], i, mark), nil
	}
	// The chunk is delivered: record it, then its OpCommit.
	p := sn.progress
	p.Rows += int64(sn.emitted)
	if sn.full {
		p.After = cloneLists(sn.lastKey)
	} else {
		p.Table, p.After, sn.tbl = p.Table+1, nil, nil
	}
	sn.phase = phIdle
	n := sn.emitted
	if p.Table >= len(p.Tables) {
		sn.progress = p
		if err := sn.nextChunk(context.Background()); err != nil { // marks the end
			return nil, err
		}
	}
	return sn.s.commitChange(n), nil
}

func (sn *snapshotter) lastLive(i int) bool {
	for j := i + 1; j < len(sn.rows); j++ {
		if !sn.dropped[j] {
			return false
		}
	}
	return true
}

func (sn *snapshotter) readChange(vals []rowcodec.Value, row int, mark SnapshotMark) *Change {
	t, s := sn.tbl, sn.s
	c := &sn.change
	s.rp.order++
	*c = Change{
		Op: OpRead, Database: t.db, Table: t.name, Columns: t.cols, Key: t.key, After: vals,
		Source: Source{File: s.cp.File, Pos: s.cp.Pos, NextPos: s.cp.Pos, ServerID: s.cp.ServerID, GTID: "",
			Time: time.Now().UTC().Truncate(time.Millisecond), Row: row, Snapshot: mark, SnapshotID: sn.progress.ID},
		Tx: TxInfo{ID: s.rp.txID, Order: s.rp.order, TableOrder: s.rp.order},
	}
	if sn.phase == phKeylessEmit {
		c.Source.File, c.Source.Pos, c.Source.NextPos = sn.klCP.File, sn.klCP.Pos, sn.klCP.Pos
	}
	return c
}

// readKeyless reads a table without a primary key in one consistent read
// and notes the binlog position it corresponds to.
func (sn *snapshotter) readKeyless(ctx context.Context) error {
	t := sn.tbl
	if sn.kl == nil {
		sn.kl = newSpool(sn.s.cfg.MaxTxMemory, sn.s.cfg.TempDir)
	}
	sn.kl.reset()
	c := sn.conn
	var err error
	var unlock string
	if sn.mariadb {
		if _, err = c.ExecContext(ctx, "START TRANSACTION WITH CONSISTENT SNAPSHOT"); err != nil {
			return fmt.Errorf("cdc: snapshot: %w", err)
		}
		unlock = "COMMIT"
		sn.klFile, sn.klPos, err = snapshotStatus(ctx, c)
	} else {
		if _, err = c.ExecContext(ctx, "LOCK TABLES "+t.qname+" READ"); err != nil {
			return fmt.Errorf("cdc: snapshot: %s.%s has no primary key and MySQL reads it under LOCK TABLES … READ: %w", t.db, t.name, err)
		}
		unlock = "UNLOCK TABLES"
		sn.klFile, sn.klPos, err = binlogStatus(ctx, c)
	}
	if err == nil {
		err = sn.spoolTable(ctx)
	}
	if _, err2 := c.ExecContext(ctx, unlock); err == nil && err2 != nil {
		err = err2
	}
	if err != nil {
		return err
	}
	sn.seq++
	// A watermark after the read makes sure the binlog goes past its
	// position.
	if err := sn.mark(ctx, fmt.Sprintf("%s:%d:%s:K", sn.progress.ID, sn.seq, sn.nonce)); err != nil {
		return err
	}
	sn.phase = phKeylessWait
	return nil
}

func (sn *snapshotter) spoolTable(ctx context.Context) error {
	t := sn.tbl
	rows, err := sn.conn.QueryContext(ctx, "SELECT "+strings.Join(t.names, ", ")+" FROM "+t.qname)
	if err != nil {
		return fmt.Errorf("cdc: snapshot: reading %s.%s: %w", t.db, t.name, err)
	}
	defer rows.Close()
	sn.prepareScan(len(t.cols))
	var rec []byte
	for rows.Next() {
		if err := rows.Scan(sn.scanArgs...); err != nil {
			return err
		}
		rec = rec[:0]
		for _, v := range sn.rawVals {
			if v == nil {
				rec = append(rec, 0)
				continue
			}
			rec = append(rec, 1)
			rec = binary.AppendUvarint(rec, uint64(len(v)))
			rec = append(rec, v...)
		}
		if err := sn.kl.append(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (sn *snapshotter) beginKeylessEmit() (*Change, error) {
	if err := sn.kl.rewind(); err != nil {
		return nil, err
	}
	sn.phase, sn.emitted, sn.klOrder = phKeylessEmit, 0, 0
	sn.s.rp.order = 0
	sn.s.rp.txID = fmt.Sprintf("snapshot:%s:%d", sn.progress.ID, sn.seq)
	return sn.emitKeyless()
}

func (sn *snapshotter) emitKeyless() (*Change, error) {
	t := sn.tbl
	rec, err := sn.kl.next()
	if err == nil {
		if cap(sn.klVals) < len(t.cols) {
			sn.klVals = make([]rowcodec.Value, len(t.cols))
		}
		vals := sn.klVals[:len(t.cols)]
		for i := range t.cols {
			if len(rec) == 0 {
				return nil, errors.New("cdc: snapshot: a spooled row is cut short")
			}
			var raw []byte
			if rec[0] == 1 {
				n, k := binary.Uvarint(rec[1:])
				raw = rec[1+k : 1+k+int(n)]
				rec = rec[1+k+int(n):]
				if raw == nil {
					raw = []byte{}
				}
			} else {
				rec = rec[1:]
			}
			v, err := sqlValue(&t.cols[i], t.fsp[i], raw)
			if err != nil {
				return nil, fmt.Errorf("cdc: snapshot: %s.%s: %w", t.db, t.name, err)
			}
			vals[i] = v
		}
		mark := SnapshotTrue
		if sn.lastTable() && sn.emitted+1 == sn.kl.n {
			mark = SnapshotLast
		}
		sn.emitted++
		sn.klOrder++
		return sn.readChange(vals, sn.klOrder-1, mark), nil
	}
	if err != io.EOF {
		return nil, err
	}
	sn.kl.reset()
	delete(sn.unread, sn.tbl.db+"."+sn.tbl.name)
	p := sn.progress
	p.Rows += int64(sn.emitted)
	p.Table, p.After, sn.tbl = p.Table+1, nil, nil
	sn.phase = phIdle
	n := sn.emitted
	if p.Table >= len(p.Tables) {
		if err := sn.nextChunk(context.Background()); err != nil {
			return nil, err
		}
	}
	// The rows belong at the read's position: the checkpoint before the
	// transaction that went past it.
	saved := sn.s.cp
	sn.s.cp = sn.klCP
	c := sn.s.commitChange(n)
	sn.s.cp = saved
	sn.s.cpDirty = comparePos(saved.File, saved.Pos, sn.klCP.File, sn.klCP.Pos) != 0
	return c, nil
}

// snapshotStatus reads MariaDB's binlog_snapshot_file and
// binlog_snapshot_position inside a consistent-snapshot transaction.
func snapshotStatus(ctx context.Context, c querier) (string, uint64, error) {
	rows, err := c.QueryContext(ctx, "SHOW STATUS LIKE 'binlog_snapshot_%'")
	if err != nil {
		return "", 0, fmt.Errorf("cdc: snapshot: %w", err)
	}
	defer rows.Close()
	var file string
	var pos uint64
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return "", 0, err
		}
		switch strings.ToLower(k) {
		case "binlog_snapshot_file":
			file = v
		case "binlog_snapshot_position":
			fmt.Sscan(v, &pos)
		}
	}
	if file == "" {
		return "", 0, errors.New("cdc: snapshot: the server reports no binlog_snapshot_file (is the binlog on?)")
	}
	return file, pos, rows.Err()
}

// binlogStatus returns the server's current binlog file and position (SHOW
// BINARY LOG STATUS, or SHOW MASTER STATUS before MySQL 8.2 and on
// MariaDB) and, when it reports one, the executed GTID set.
func binlogStatus(ctx context.Context, c querier) (string, uint64, error) {
	f, p, _, err := binlogStatusGTID(ctx, c)
	return f, p, err
}

func binlogStatusGTID(ctx context.Context, c querier) (file string, pos uint64, gtids string, err error) {
	rows, err := c.QueryContext(ctx, "SHOW BINARY LOG STATUS")
	if err != nil {
		rows, err = c.QueryContext(ctx, "SHOW MASTER STATUS")
	}
	if err != nil {
		return "", 0, "", fmt.Errorf("cdc: reading the binlog position: %w", err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	if !rows.Next() {
		return "", 0, "", errors.New("cdc: the server reports no binlog position (is the binlog on?)")
	}
	vals := make([]sql.NullString, len(cols))
	args := make([]any, len(cols))
	for i := range vals {
		args[i] = &vals[i]
	}
	if err := rows.Scan(args...); err != nil {
		return "", 0, "", err
	}
	for i, c := range cols {
		switch strings.ToLower(c) {
		case "file":
			file = vals[i].String
		case "position":
			fmt.Sscan(vals[i].String, &pos)
		case "executed_gtid_set":
			gtids = strings.ReplaceAll(vals[i].String, "\n", "")
		}
	}
	return file, pos, gtids, nil
}
