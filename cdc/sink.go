package cdc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
	"unsafe"
)

// Sink receives the changes of a Stream (Run wires one to the other). Its
// three methods are all a new destination needs: a Kafka producer,
// a database, a queue (see the package example).
type Sink interface {
	// Write delivers one change, never an OpCommit. The Change is valid
	// during the call only (Clone keeps one).
	Write(ctx context.Context, c *Change) error
	// Commit is called after the last change of each transaction, and now
	// and then after transactions that delivered none, with the checkpoint
	// after them. A sink stores the checkpoint once every change written
	// before it is stored: at once, or later (an asynchronous sink), and at
	// the latest in Flush. A stored checkpoint must never run ahead of the
	// changes: that is what makes a restart lose nothing.
	Commit(ctx context.Context, cp *Checkpoint) error
	// Flush returns once everything written and committed before it is
	// stored.
	Flush(ctx context.Context) error
}

// Stats counts what Run moved.
type Stats struct {
	Changes      uint64 // changes written (OpCommit not counted)
	Transactions uint64 // OpCommits (transactions and snapshot chunks)
}

// Run reads s until its end (io.EOF, which Run returns as nil) or an error
// and writes every change to dst, calling Commit at each OpCommit, then
// Flush. When ctx ends, Run flushes what was written (for at most ten
// seconds) and returns ctx's error; the sink's stored checkpoint is then
// where a new Stream resumes.
func Run(ctx context.Context, s *Stream, dst Sink) (Stats, error) {
	var st Stats
	var err error
	for {
		var c *Change
		c, err = s.Next(ctx)
		if err != nil {
			break
		}
		if c.Op == OpCommit {
			st.Transactions++
			err = dst.Commit(ctx, c.Checkpoint)
		} else {
			st.Changes++
			err = dst.Write(ctx, c)
		}
		if err != nil {
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	fctx := ctx
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		fctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
	}
	if ferr := dst.Flush(fctx); err == nil {
		err = ferr
	}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return st, err
}

// DefaultCheckpointInterval is how often, at most, the sinks of this
// package store a checkpoint, unless told otherwise.
const DefaultCheckpointInterval = 200 * time.Millisecond

// JSONLines is a Sink writing one change event per line (Encoder's
// envelope, or {"key": …, "value": …} with WithKey) and the checkpoint to
// a file of its own, written after the lines before it are flushed (and
// synced, for a file): atomically, at most every Interval, and at Flush.
//
// Written to a file opened with OpenJSONLines, the output is exactly once:
// the checkpoint file also records the output's length, and reopening
// cuts off what was written after the checkpoint, which the Stream
// resumed from it delivers again. Written to a pipe or a terminal (NewJSONLines),
// the lines after the last stored checkpoint are written again after a
// crash. A timer stores the checkpoint of a stream gone quiet; Close stops
// it.
type JSONLines struct {
	mu   sync.Mutex
	stop chan struct{}
	done chan struct{}
	err  error

	// Encoder writes the envelopes.
	Encoder *Encoder
	// WithKey writes {"key": KEY, "value": ENVELOPE} lines.
	WithKey bool
	// Interval is how often, at most, the checkpoint file is written (0:
	// DefaultCheckpointInterval).
	Interval time.Duration

	w       *bufio.Writer
	file    *os.File // when the output is a file: synced, and its length recorded
	cpPath  string
	outLen  int64
	last    time.Time
	pending *Checkpoint
	line    []byte
}

// NewJSONLines returns a JSONLines sink writing to w and its checkpoint to
// the file cpPath ("" for none).
func NewJSONLines(w io.Writer, cpPath string, enc *Encoder) *JSONLines {
	if enc == nil {
		enc = &Encoder{}
	}
	return &JSONLines{Encoder: enc, w: bufio.NewWriterSize(w, 256<<10), cpPath: cpPath}
}

// tick stores the pending checkpoint of a stream gone quiet.
func (j *JSONLines) tick(iv time.Duration) {
	defer close(j.done)
	t := time.NewTicker(iv)
	defer t.Stop()
	for {
		select {
		case <-j.stop:
			return
		case <-t.C:
			j.mu.Lock()
			if j.pending != nil && j.err == nil && time.Since(j.last) >= iv {
				j.err = j.store()
			}
			j.mu.Unlock()
		}
	}
}

// jsonlState is the checkpoint file of a JSONLines sink writing a file:
// the checkpoint and the length of the output it covers.
type jsonlState struct {
	Checkpoint
	OutputBytes int64 `json:"output_bytes"`
}

// OpenJSONLines opens (or creates) the output file path for a JSONLines
// sink whose checkpoint file is cpPath, cuts the output back to the length
// the checkpoint covers, and returns the sink and the checkpoint to resume
// from (nil on a first run).
func OpenJSONLines(path, cpPath string, enc *Encoder) (*JSONLines, *Checkpoint, error) {
	var st jsonlState
	var start *Checkpoint
	if b, err := os.ReadFile(cpPath); err == nil {
		if err := json.Unmarshal(b, &st); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", cpPath, err)
		}
		cp, err := ParseCheckpoint(b)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", cpPath, err)
		}
		start = &cp
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && fi.Size() < st.OutputBytes {
		err = fmt.Errorf("%s is %d bytes long, shorter than the %d its checkpoint %s covers", path, fi.Size(), st.OutputBytes, cpPath)
	}
	if err == nil {
		err = f.Truncate(st.OutputBytes)
	}
	if err == nil {
		_, err = f.Seek(st.OutputBytes, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	j := NewJSONLines(f, cpPath, enc)
	j.file, j.outLen = f, st.OutputBytes
	return j, start, nil
}

// Write implements Sink.
func (j *JSONLines) Write(ctx context.Context, c *Change) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	var err error
	j.line = j.line[:0]
	if j.WithKey {
		j.line = append(j.line, `{"key":`...)
		if j.line, err = j.Encoder.AppendKey(j.line, c); err != nil {
			return err
		}
		j.line = append(j.line, `,"value":`...)
	}
	if j.line, err = j.Encoder.AppendValue(j.line, c); err != nil {
		return err
	}
	if j.WithKey {
		j.line = append(j.line, '}')
	}
	j.line = append(j.line, '\n')
	n, err := j.w.Write(j.line)
	j.outLen += int64(n)
	return err
}

// Commit implements Sink.
func (j *JSONLines) Commit(ctx context.Context, cp *Checkpoint) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	c := *cp
	j.pending = &c
	iv := j.Interval
	if iv <= 0 {
		iv = DefaultCheckpointInterval
	}
	if j.stop == nil && j.cpPath != "" {
		j.stop, j.done = make(chan struct{}), make(chan struct{})
		go j.tick(iv)
	}
	if time.Since(j.last) < iv {
		return nil
	}
	return j.store()
}

func (j *JSONLines) store() error {
	if err := j.w.Flush(); err != nil {
		return err
	}
	if j.pending == nil || j.cpPath == "" {
		return nil
	}
	if j.file != nil {
		if err := j.file.Sync(); err != nil {
			return err
		}
	}
	st := jsonlState{Checkpoint: *j.pending, OutputBytes: j.outLen}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(j.cpPath, append(b, '\n')); err != nil {
		return fmt.Errorf("cdc: storing the checkpoint: %w", err)
	}
	j.pending, j.last = nil, time.Now()
	return nil
}

// Flush implements Sink: the lines are written out and the last checkpoint
// stored.
func (j *JSONLines) Flush(ctx context.Context) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	return j.store()
}

// Close flushes, stops the timer that stores the checkpoint of a stream
// gone quiet, and closes a file opened by OpenJSONLines.
func (j *JSONLines) Close() error {
	if j.stop != nil {
		close(j.stop)
		<-j.done
		j.stop = nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	err := j.store()
	if j.file != nil {
		if cerr := j.file.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
