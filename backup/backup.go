package backup

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// Config says what a Backup copies and how.
type Config struct {
	// DSN names the server in go-sql-driver/mysql syntax (see
	// binlog.DialConfig.DSN). The account needs REPLICATION SLAVE, and
	// REPLICATION CLIENT (BINLOG MONITOR on MariaDB) for SHOW BINARY LOGS,
	// which names purge gaps and measures how far behind the archive is.
	DSN string
	// TLSConfig, when set, is the base TLS configuration.
	TLSConfig *tls.Config
	// ServerID is the replica server id to register with (0: random).
	ServerID uint32
	// StartFile is where an empty archive starts ("": the server's oldest
	// binlog); StartGTID, instead, starts it at the binlog file holding the
	// first transaction after the set. Once the archive holds files it
	// continues from them; a StartFile later than where it would continue
	// is refused unless NewChain is set.
	StartFile string
	StartGTID *binlog.GTIDSet
	// NewChain accepts a purge gap: when the server no longer has the file
	// the archive continues from (or StartFile is later), a new chain is
	// started at StartFile or the server's oldest binlog, and the index
	// records the gap. Without it a gap stops Run with a *GapError.
	NewChain bool
	// NonBlocking stops Run at the end of the server's last binlog instead
	// of following the server.
	NonBlocking bool
	// HeartbeatPeriod is asked of the server (0: binlog's default).
	HeartbeatPeriod time.Duration
	// ServerPoll is how often the server's binlog list is read to measure
	// how far behind the archive is (0: every 10 s; negative: never).
	ServerPoll time.Duration
	// Mirror says how files are stored and kept.
	Mirror MirrorOptions
	// Logger receives connection, rotation, completion and deletion
	// messages (nil: none).
	Logger *slog.Logger
}

// GapError is the error Run returns when the server no longer has binlogs
// the archive needs to continue: they were purged before they were copied.
type GapError struct {
	// File and Pos are where the archive would continue.
	File string
	Pos  uint64
	// Oldest is the server's oldest binlog file, where a new chain starts.
	Oldest string
	// Missing names what is lost.
	Missing string
	Err     error
}

// Error names the missing range.
func (e *GapError) Error() string {
	if e.Oldest == "" {
		return fmt.Sprintf("backup: purge gap: the server no longer has %s (the archive holds it up to byte %d): %v", e.File, e.Pos, e.Err)
	}
	return fmt.Sprintf("backup: purge gap: the server no longer has %s (the archive holds it up to byte %d) and its oldest binlog is %s: %s are lost to the archive",
		e.File, e.Pos, e.Oldest, e.Missing)
}

// Unwrap returns ErrGap.
func (e *GapError) Unwrap() error { return ErrGap }

// Backup is a continuous copy of a server's binlogs into an archive
// directory: a replica connection feeding a Mirror, following the server
// (reconnecting across its restarts) until the context ends. It is what
// binlogbackup runs; a Go service embeds it the same way:
//
//	b, err := backup.New("/backup/db1", backup.Config{DSN: dsn, Mirror: backup.MirrorOptions{Compression: backup.Zstd}})
//	if err != nil {
//		return err
//	}
//	defer b.Close()
//	return b.Run(ctx) // nil once ctx is cancelled
//
// Status may be called from any goroutine while Run runs.
type Backup struct {
	dir string
	cfg Config
	log *slog.Logger
	m   *Mirror

	mu     sync.Mutex
	status Status
	// server positions seen by polls, oldest first: for SecondsBehind.
	seen []seenPos
}

// seenPos is the server's newest position at a poll.
type seenPos struct {
	at   time.Time
	file string
	pos  uint64
}

// New opens the archive directory dir (creating it), takes its lock and
// validates what it holds; see OpenMirror.
func New(dir string, cfg Config) (*Backup, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Mirror.Logger == nil {
		cfg.Mirror.Logger = cfg.Logger
	}
	m, err := OpenMirror(dir, cfg.Mirror)
	if err != nil {
		return nil, err
	}
	b := &Backup{dir: dir, cfg: cfg, log: cfg.Logger, m: m}
	b.status.Dir = dir
	b.status.Started = time.Now()
	b.update(nil)
	return b, nil
}

// Close closes the archive (the file being written stays .partial, where
// the next run resumes) and releases its lock.
func (b *Backup) Close() error {
	if b.m == nil {
		return nil
	}
	err := b.m.Close()
	b.m = nil
	b.update(nil)
	return err
}

// Mirror returns the archive's Mirror (for its index and counters; not to
// be written to while Run runs).
func (b *Backup) Mirror() *Mirror { return b.m }

// Run copies the server's binlogs until ctx is cancelled (then it returns
// nil), the server's last binlog ends (NonBlocking), or an error: a purge
// gap (*GapError), a stream that does not continue the archive
// (ErrMismatch), a damaged event, a failed write.
func (b *Backup) Run(ctx context.Context) error {
	if b.m == nil {
		return errors.New("backup: Run after Close")
	}
	pollCtx, stopPoll := context.WithCancel(ctx)
	var wg sync.WaitGroup
	if b.cfg.ServerPoll >= 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.pollServer(pollCtx)
		}()
	}
	err := b.run(ctx)
	stopPoll()
	wg.Wait()
	if err != nil && ctx.Err() != nil && !errors.Is(err, ErrGap) && !errors.Is(err, ErrMismatch) {
		err = nil // interrupted: a clean stop
	}
	if err != nil {
		b.mu.Lock()
		b.status.Errors++
		b.status.LastError = err.Error()
		b.mu.Unlock()
	}
	return err
}

// dialOptions say where a dump starts.
type dialOptions struct {
	file string
	pos  uint64
	gtid *binlog.GTIDSet
}

func (b *Backup) dial(ctx context.Context, o dialOptions, nonBlocking bool) (*binlog.RemoteSource, error) {
	cfg := binlog.DialConfig{
		DSN:             b.cfg.DSN,
		TLSConfig:       b.cfg.TLSConfig,
		ServerID:        b.cfg.ServerID,
		StartFile:       o.file,
		StartPos:        o.pos,
		GTIDSet:         o.gtid,
		NonBlocking:     nonBlocking,
		HeartbeatPeriod: b.cfg.HeartbeatPeriod,
		Logger:          b.log,
	}
	if !nonBlocking {
		cfg.MaxRetries = -1 // a backup that follows the server waits for it to come back
	}
	if o.file != "" && o.pos == 0 {
		cfg.StartPos = event.MagicLen
	}
	return binlog.Dial(ctx, cfg)
}

// startPoint decides where the first dump starts.
func (b *Backup) startPoint(ctx context.Context) (dialOptions, error) {
	if file, pos, ok := b.m.ResumePoint(); ok {
		if b.cfg.StartFile != "" && CompareNames(b.cfg.StartFile, file) > 0 {
			if !b.cfg.NewChain {
				return dialOptions{}, fmt.Errorf("backup: the archive continues from %s:%d; starting at %s would leave a gap (a new chain starts there with Config.NewChain, binlogbackup --new-chain)", file, pos, b.cfg.StartFile)
			}
			b.m.ExpectGap(Gap{After: file, Pos: pos, Missing: describeMissing(file, pos, b.cfg.StartFile)})
			return dialOptions{file: b.cfg.StartFile, pos: event.MagicLen}, nil
		}
		if b.cfg.StartFile != "" || b.cfg.StartGTID != nil {
			b.log.Info("backup: the archive holds files; continuing from them", "file", file, "pos", pos)
		}
		return dialOptions{file: file, pos: pos}, nil
	}
	switch {
	case b.cfg.StartFile != "":
		return dialOptions{file: b.cfg.StartFile, pos: event.MagicLen}, nil
	case b.cfg.StartGTID != nil && !b.cfg.StartGTID.IsEmpty():
		file, err := b.fileOfGTID(ctx, b.cfg.StartGTID)
		if err != nil {
			return dialOptions{}, err
		}
		return dialOptions{file: file, pos: event.MagicLen}, nil
	}
	return dialOptions{}, nil
}

// fileOfGTID returns the binlog file the server starts a dump after set
// in: the one its first artificial ROTATE names. The archive then copies
// that file from its start.
func (b *Backup) fileOfGTID(ctx context.Context, set *binlog.GTIDSet) (string, error) {
	src, err := b.dial(ctx, dialOptions{gtid: set}, true)
	if err != nil {
		return "", err
	}
	defer src.Close()
	for {
		raw, err := src.ReadEvent(ctx)
		if errors.Is(err, io.EOF) {
			return "", fmt.Errorf("backup: the server sent no ROTATE for the GTID set %s", set)
		}
		if err != nil {
			return "", err
		}
		h, err := event.ParseHeader(raw)
		if err != nil {
			return "", err
		}
		if isArtificialRotate(h) {
			var m Mirror
			name, _, err := m.decodeRotate(raw, true)
			return name, err
		}
	}
}

// open dials at o and reads the first event, so that a purge gap shows
// here; the event is returned to be written first.
func (b *Backup) open(ctx context.Context, o dialOptions) (*binlog.RemoteSource, []byte, error) {
	src, err := b.dial(ctx, o, b.cfg.NonBlocking)
	var first []byte
	if err == nil {
		first, err = src.ReadEvent(ctx)
		if err != nil && err != io.EOF {
			src.Close()
			src = nil
		}
		if err == io.EOF {
			return src, nil, nil
		}
	}
	if err == nil {
		return src, first, nil
	}
	if !isPurged(err) || o.file == "" {
		return nil, nil, err
	}
	// The server no longer has the file.
	gap := &GapError{File: o.file, Pos: o.pos, Err: err}
	sc, cerr := newServerConn(b.cfg.DSN, b.cfg.TLSConfig)
	if cerr == nil {
		files, lerr := sc.binlogs(ctx)
		sc.close()
		if lerr == nil && len(files) > 0 && CompareNames(files[0].Name, o.file) > 0 {
			gap.Oldest = files[0].Name
			gap.Missing = describeMissing(o.file, o.pos, gap.Oldest)
		}
	}
	if gap.Oldest == "" || !b.cfg.NewChain {
		return nil, nil, gap
	}
	b.log.Warn("backup: purge gap: starting a new chain", "after", o.file, "pos", o.pos, "at", gap.Oldest, "missing", gap.Missing)
	b.m.ExpectGap(Gap{After: o.file, Pos: o.pos, Missing: gap.Missing})
	return b.open(ctx, dialOptions{file: gap.Oldest, pos: event.MagicLen})
}

// describeMissing names what lies between file:pos and next.
func describeMissing(file string, pos uint64, next string) string {
	s := fmt.Sprintf("%s from byte %d", file, pos)
	if pos <= event.MagicLen {
		s = file
	}
	after := nextBinlogName(file)
	last := prevBinlogName(next)
	switch {
	case after == "" || last == "" || CompareNames(after, next) >= 0:
	case after == last:
		s += ", " + after
	default:
		s += ", " + after + " to " + last
	}
	return s
}

// prevBinlogName is nextBinlogName's inverse ("" for number 0 or none).
func prevBinlogName(name string) string {
	base, num := splitBinlogName(name)
	if num <= 0 {
		return ""
	}
	width := len(name) - len(base) - 1
	return fmt.Sprintf("%s.%0*d", base, width, num-1)
}

func (b *Backup) run(ctx context.Context) error {
	o, err := b.startPoint(ctx)
	if err != nil {
		return err
	}
	src, first, err := b.open(ctx, o)
	if err != nil {
		return err
	}
	b.setConnected(true)
	defer func() {
		if src != nil {
			src.Close()
		}
		b.setConnected(false)
	}()
	if first != nil {
		if err := b.write(first); err != nil {
			return err
		}
	}
	reconnects := 0
	lastFlush := time.Now()
	for src != nil {
		raw, err := src.ReadEvent(ctx)
		if err == io.EOF && !b.cfg.NonBlocking && ctx.Err() == nil {
			// The server ended the dump (a clean shutdown): follow it
			// again from what the archive holds.
			reconnects += src.Reconnects() + 1
			src.Close()
			src = nil
			if err := b.m.Flush(); err != nil {
				return err
			}
			if src, err = b.redial(ctx); err != nil {
				return err
			}
			b.mu.Lock()
			b.status.Reconnects = reconnects
			b.mu.Unlock()
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := b.write(raw); err != nil {
			return err
		}
		if n := src.Reconnects() + reconnects; n != b.status.Reconnects {
			b.mu.Lock()
			b.status.Reconnects = n
			b.mu.Unlock()
		}
		if time.Since(lastFlush) > time.Second {
			// Checkpoint the index (and buffered bytes) now and then.
			if err := b.m.Flush(); err != nil {
				return err
			}
			lastFlush = time.Now()
		}
	}
	return b.m.Flush()
}

// write feeds one event to the mirror and updates the status.
func (b *Backup) write(raw []byte) error {
	err := b.m.Write(raw)
	b.update(err)
	return err
}

// redial connects again at the archive's resume point, retrying with
// backoff while the server is away, until ctx is cancelled.
func (b *Backup) redial(ctx context.Context) (*binlog.RemoteSource, error) {
	wait := 200 * time.Millisecond
	for {
		file, pos, _ := b.m.ResumePoint()
		b.log.Warn("backup: the server ended the stream; connecting again", "file", file, "pos", pos)
		src, first, err := b.open(ctx, dialOptions{file: file, pos: pos})
		if err == nil {
			if first != nil {
				if err := b.write(first); err != nil {
					src.Close()
					return nil, err
				}
			}
			return src, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ge *GapError
		if errors.As(err, &ge) {
			return nil, err
		}
		b.mu.Lock()
		b.status.Errors++
		b.status.LastError = err.Error()
		b.mu.Unlock()
		b.log.Warn("backup: connecting", "error", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 10*time.Second)
	}
}

func (b *Backup) setConnected(c bool) {
	b.mu.Lock()
	b.status.Connected = c
	b.mu.Unlock()
}

// update copies the mirror's state into the status.
func (b *Backup) update(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := &b.status
	if err != nil {
		s.Errors++
		s.LastError = err.Error()
	}
	if b.m == nil {
		return
	}
	st := b.m.stats
	changed := st.FilesCompleted != s.FilesCompleted || st.FilesDeleted != s.FilesDeleted || st.FilesStarted != s.FilesStarted || s.FilesStored == 0
	s.Mirror = st
	s.File, s.Pos, _ = b.m.ResumePoint()
	s.LastComplete = b.m.cur != nil && b.m.cur.Complete
	if changed {
		s.FilesStored, s.StoredBytes, s.FilesCompleted, s.FilesDeleted, s.FilesStarted = 0, 0, st.FilesCompleted, st.FilesDeleted, st.FilesStarted
		for i := range b.m.entries {
			e := &b.m.entries[i]
			if e.Deleted != nil {
				continue
			}
			s.FilesStored++
			if e.Complete {
				s.StoredBytes += e.StoredSize
			}
		}
	}
}

// pollServer reads the server's binlog list every ServerPoll, for the
// distance between the server and the archive.
func (b *Backup) pollServer(ctx context.Context) {
	every := b.cfg.ServerPoll
	if every == 0 {
		every = 10 * time.Second
	}
	sc, err := newServerConn(b.cfg.DSN, b.cfg.TLSConfig)
	if err != nil {
		return
	}
	defer sc.close()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		files, err := sc.binlogs(ctx)
		now := time.Now()
		b.mu.Lock()
		if err != nil {
			if ctx.Err() == nil {
				b.status.ServerError = err.Error()
			}
		} else if len(files) > 0 {
			b.status.ServerError = ""
			b.status.ServerFiles = files
			b.status.ServerPolled = now
			last := files[len(files)-1]
			b.seen = append(b.seen, seenPos{at: now, file: last.Name, pos: last.Size})
			if len(b.seen) > 64 {
				b.seen = b.seen[len(b.seen)-64:]
			}
		}
		b.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Status is a snapshot of a Backup, for progress lines and metrics.
type Status struct {
	// Dir is the archive directory.
	Dir string
	// Started is when the Backup was opened.
	Started time.Time
	// Connected reports a live replication stream.
	Connected bool
	// File and Pos are the archive's end: the file being written (or the
	// last completed) and its size.
	File string
	Pos  uint64
	// LastComplete reports whether File is complete (the next file not
	// begun yet).
	LastComplete bool
	// Mirror counts what was written since the Backup was opened.
	Mirror MirrorStats
	// FilesStarted, FilesCompleted and FilesDeleted repeat Mirror's counts;
	// FilesStored counts the files present in the archive, StoredBytes the
	// bytes of the completed ones on disk.
	FilesStarted, FilesCompleted, FilesDeleted int
	FilesStored                                int
	StoredBytes                                int64
	// Reconnects counts the connections after the first; Errors the
	// errors met (connection failures, refused events) and LastError the
	// last one.
	Reconnects int
	Errors     int
	LastError  string
	// ServerFiles is the server's binlog list at the last poll
	// (ServerPolled); ServerError the last poll's failure.
	ServerFiles  []ServerFile
	ServerPolled time.Time
	ServerError  string
}

// Status returns a snapshot of the backup's state. It is safe to call from
// any goroutine.
func (b *Backup) Status() Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.status
	s.ServerFiles = append([]ServerFile(nil), s.ServerFiles...)
	return s
}

// Behind returns how far the archive is behind the server: the bytes the
// server holds past the archive's end, and for how long the oldest of them
// has been on the server (0 when none; measured at the polls of the
// server's binlog list, so to within the poll interval). ok is false when
// the server's list is not known.
func (b *Backup) Behind() (bytes uint64, seconds float64, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := &b.status
	if len(s.ServerFiles) == 0 || s.File == "" {
		return 0, 0, false
	}
	bytes = behindBytes(s.ServerFiles, s.File, s.Pos)
	if bytes == 0 {
		return 0, 0, true
	}
	now := time.Now()
	for _, p := range b.seen {
		if after(p.file, p.pos, s.File, s.Pos) {
			return bytes, now.Sub(p.at).Seconds(), true
		}
	}
	return bytes, 0, true
}

// after reports whether file:pos lies after the archive's end afile:apos.
func after(file string, pos uint64, afile string, apos uint64) bool {
	c := CompareNames(file, afile)
	return c > 0 || c == 0 && pos > apos
}

// behindBytes sums what the server holds past file:pos.
func behindBytes(files []ServerFile, file string, pos uint64) uint64 {
	var n uint64
	for _, f := range files {
		switch c := CompareNames(f.Name, file); {
		case c > 0:
			n += f.Size
		case c == 0 && f.Size > pos:
			n += f.Size - pos
		}
	}
	return n
}

// LastVerified returns when Verify last ran on the archive dir and whether
// it passed; zero when it never ran (or its record cannot be read).
func LastVerified(dir string) (time.Time, bool) {
	r, err := readVerified(dir)
	if err != nil {
		return time.Time{}, false
	}
	return r.Time, r.OK
}
