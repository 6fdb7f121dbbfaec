package binlog

import (
	"context"
	"io"

	"github.com/binlogkit/binlogkit/event"
)

// cutSource is the Source of the single Reader of runInPlace: it passes
// src's events through and ends a batch (io.EOF) before the event that
// starts a transaction once the batch holds limit bytes, keeping that
// event for the next batch.
type cutSource struct {
	src   Source
	pos   Positioner
	opts  *options
	d     dispatcher
	limit int

	np        NextPositioner
	n         int  // bytes delivered in the current batch
	ended     bool // the current batch ended at a cut
	held      []byte
	heldFile  string
	heldPos   uint64
	heldNext  uint64
	heldFD    *event.FormatDescription
	hasHeld   bool
	file      string // position of the event last delivered
	at, next  uint64
	err       error // the source's error, once returned (io.EOF: the end)
	encrypted error // the error after a START_ENCRYPTION event
}

func (c *cutSource) ReadEvent(ctx context.Context) ([]byte, error) {
	if c.ended {
		return nil, io.EOF
	}
	if c.hasHeld {
		c.hasHeld = false
		c.file, c.at, c.next = c.heldFile, c.heldPos, c.heldNext
		c.n += len(c.held)
		return c.held, nil
	}
	if c.err != nil {
		return nil, c.err
	}
	if c.encrypted != nil {
		c.err = c.encrypted
		return nil, c.err
	}
	raw, file, pos, next, fd, err := c.read(ctx)
	if err != nil {
		return nil, err
	}
	cut, _, stop := c.d.classify(raw, file, pos, next, nil)
	c.encrypted = stop
	if cut && c.n >= c.limit {
		c.held, c.heldFile, c.heldPos, c.heldNext, c.heldFD, c.hasHeld = raw, file, pos, next, fd, true
		c.ended = true
		return nil, io.EOF
	}
	c.file, c.at, c.next = file, pos, next
	c.n += len(raw)
	return raw, nil
}

// read reads the next event of src and its position, following files as
// the dispatcher does; fd is the format in force before it.
func (c *cutSource) read(ctx context.Context) (raw []byte, file string, pos, next uint64, fd *event.FormatDescription, err error) {
	raw, err = c.src.ReadEvent(ctx)
	if err != nil {
		c.err = err
		if err == io.EOF {
			if t, ok := c.src.(Tailer); ok && c.opts.logger != nil {
				if file, off, n := t.Tail(); n > 0 {
					c.opts.logger.Warn("binlog: partial event header at end of input ignored", "file", file, "offset", off, "bytes", n)
				}
			}
		}
		return nil, "", 0, 0, nil, err
	}
	if c.pos != nil {
		file, pos = c.pos.Position()
	} else {
		pos = c.d.last
	}
	if file != c.d.file {
		c.d.file, c.d.fd = file, event.DefaultFormat()
	}
	next = pos + uint64(len(raw))
	if c.np != nil {
		next = c.np.NextPosition()
	}
	c.d.last = next
	return raw, file, pos, next, c.d.fd, nil
}

func (c *cutSource) Position() (string, uint64) { return c.file, c.at }

func (c *cutSource) NextPosition() uint64 { return c.next }

// skip drops the rest of the current batch (what the work function left)
// up to the next cut.
func (c *cutSource) skip(ctx context.Context) {
	for !c.ended && c.err == nil && c.encrypted == nil {
		if _, err := c.ReadEvent(ctx); err != nil {
			return
		}
	}
}

// runInPlace is Parallel with GOMAXPROCS 1: one Reader over src, batches
// cut in place and processed one at a time on the calling goroutine.
func runInPlace[T any](ctx context.Context, src Source, opts ParallelOptions,
	fn func(context.Context, *Batch) (T, error), emit func(T) error) error {
	p := newParOptions(src, opts)
	c := &cutSource{src: src, pos: p.pos, np: p.np, opts: &p.ropts, d: dispatcher{fd: event.DefaultFormat()}, limit: p.batchBytes}
	r := NewReader(c, opts.ReaderOptions...)
	b := &Batch{r: r, barrier: true, cut: c}
	for seq := uint64(0); ; seq++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		b.seq = seq
		if seq == 0 {
			b.fd = event.DefaultFormat()
		} else {
			b.fd = c.heldFD
			r.fd, r.file = c.heldFD, c.heldFile
		}
		c.n, c.ended = 0, false
		r.err, r.unread, r.inPayload = nil, false, false
		res, err := fn(ctx, b)
		if eerr := emit(res); eerr != nil {
			return eerr
		}
		if err != nil {
			return err
		}
		c.skip(ctx)
		if c.err != nil && !c.hasHeld {
			if c.err == io.EOF {
				return nil
			}
			return c.err
		}
	}
}
