package binlog

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/binlogkit/binlogkit/event"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
)

// Source yields raw events, one at a time.
type Source interface {
	// ReadEvent returns the next raw event: the common header, the body and,
	// when the stream has them, the checksum. The bytes may alias the Source's
	// buffer and are valid until the next call. It returns io.EOF at the clean
	// end of the input, and an error wrapping ErrTruncated when the input ends
	// inside an event body.
	ReadEvent(ctx context.Context) ([]byte, error)
}

// Positioner is implemented by Sources that know where the event they last
// returned sits: its file name and the byte offset of its first byte.
type Positioner interface {
	Position() (file string, offset uint64)
}

// NextPositioner is implemented by Sources whose events do not have the size
// they had in the file they come from (a transform that rewrites events, such
// as package mask's): NextPosition returns the offset just past the original
// of the event last returned, which the Reader reports as Event.NextPos
// instead of the position plus the event's length.
type NextPositioner interface {
	NextPosition() uint64
}

// Tailer is implemented by Sources that can tell how many bytes at the end of
// their input were ignored because they were too few to hold an event header
// (a binlog cut while the server was writing).
type Tailer interface {
	Tail() (file string, offset uint64, n int)
}

// DefaultMaxEventSize bounds a single event unless WithMaxEventSize says
// otherwise: 1 GiB, the largest max_allowed_packet a server accepts.
const DefaultMaxEventSize = 1 << 30

const readBufferSize = 256 << 10

// StreamSource reads a binlog file's bytes from an io.Reader: a file, stdin,
// or a gzip, xz, lz4 or zstd stream of one (detected by its magic bytes). It
// checks the "\xfebin" magic. Events that fit its read buffer are returned
// without copying. Encrypted MariaDB and MySQL files are decrypted with the
// keys given by SetKeys (see there).
type StreamSource struct {
	name    string
	closer  io.Closer
	decomp  io.Closer // a decompressor to release
	br      *bufio.Reader
	maxSize int
	big     []byte // holds events larger than the read buffer
	started bool
	pos     uint64 // offset of the next event
	last    uint64 // offset of the event last returned
	tail    int
	err     error

	// A regular file opened by OpenFile is read through a read-only memory
	// mapping: data is the part still read from it (nil once the file has
	// grown past it and reading goes on through br), mm the mapping to
	// release on Close.
	file *os.File
	data []byte
	mm   []byte
	// dropped is the offset up to which the mapped pages were handed back
	// to the kernel (dropBehind), which is called again at offset dropAt.
	dropped, dropAt uint64
	// dropping is set while a goroutine of dropBehind runs; drops counts
	// them, for Close.
	dropping atomic.Bool
	drops    sync.WaitGroup

	// compressed is set by start when the input is gzip, lz4 or zstd.
	compressed bool
	// first is the file's first event, held back by OpenFileAt and
	// returned by the next ReadEvent (at offset firstPos); second is a
	// MariaDB START_ENCRYPTION after it (at secondPos), which the events
	// after it need.
	first     []byte
	firstPos  uint64
	second    []byte
	secondPos uint64

	// Encrypted files (decrypt.go): keys is given by SetKeys; mc follows a
	// MariaDB file's encryption, my is a MySQL encrypted file's state;
	// copied says that the event last returned is in a buffer of ours, not
	// in the mapping.
	keys   KeyProvider
	mc     mariaCrypt
	my     *mysqlCrypt
	copied bool

	// plain says that the next ReadEvent takes the common path: a mapped
	// plaintext file under way, no event held back, no error. ReadEvent
	// sets it after each event; whatever changes that state clears it.
	plain bool
}

// NewStreamSource returns a Source reading r. name is what positions and
// errors call the input ("-" or "stdin" for standard input).
func NewStreamSource(r io.Reader, name string) *StreamSource {
	s := &StreamSource{name: name, maxSize: DefaultMaxEventSize}
	s.br = bufio.NewReaderSize(r, readBufferSize)
	if c, ok := r.(io.Closer); ok {
		s.closer = c
	}
	return s
}

// OpenFile opens the binlog file at path, which may be compressed with gzip,
// xz, lz4 or zstd, and encrypted (see SetKeys). The caller should Close it.
//
// An uncompressed regular file is memory-mapped where the system allows it
// (unix): events are slices of the mapping, returned without a copy or a
// read system call (callers should still use each event before the next
// ReadEvent, as Source says, and copy what they keep — event.Event.Clone —
// since Close unmaps the file and a view touched after Close faults). Bytes
// appended to the file after it was opened are read through a buffer once
// the mapped part is exhausted. A mapped file must not shrink while it is
// open: touching a mapped page past the new end of the file kills the
// process (SIGBUS). A server only appends to a binlog, except that its crash
// recovery may cut back the file it had open, so a file whose
// FORMAT_DESCRIPTION is flagged in use is not mapped, nor is a file named
// *.partial (a backup's file in progress, which a backup tool may cut back to
// a transaction boundary). Elsewhere, and
// for compressed files, pipes and devices, the file is read through a buffer.
func OpenFile(path string) (*StreamSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if s := openMapped(f, path); s != nil {
		return s, nil
	}
	s := NewStreamSource(f, path)
	if err := s.start(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// OpenFileAt opens the binlog file at path, as OpenFile does, to read it from
// offset: the Source returns the file's first event (its FORMAT_DESCRIPTION,
// which a Reader needs to decode the others) and then the events from the one
// starting at offset, each with its true position. offset must be where an
// event starts (a transaction's position, say): the magic's length (4) or the
// end of the first event read the whole file. A mapped or plain file is
// entered directly; a compressed one is decompressed up to offset.
func OpenFileAt(path string, offset uint64) (*StreamSource, error) {
	s, err := OpenFile(path)
	if err != nil {
		return nil, err
	}
	return s.at(offset)
}

// NewStreamSourceAt returns a Source reading r (a binlog file's bytes,
// compressed or not) from offset, as OpenFileAt does for a file: the first
// event, then the events from the one starting at offset. The bytes before
// offset are read and dropped. name is what positions and errors call the
// input.
func NewStreamSourceAt(r io.Reader, name string, offset uint64) (*StreamSource, error) {
	s := NewStreamSource(r, name)
	if err := s.start(); err != nil {
		s.Close()
		return nil, err
	}
	return s.at(offset)
}

// at moves a new Source to offset (see OpenFileAt).
func (s *StreamSource) at(offset uint64) (*StreamSource, error) {
	if offset <= event.MagicLen {
		return s, nil
	}
	if s.my != nil {
		// A MySQL encrypted file is read from the start once its key is
		// known (SetKeys): the offset is entered then.
		s.my.at = offset
		return s, nil
	}
	if err := s.enter(offset); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// enter holds the file's first event (and a MariaDB START_ENCRYPTION after
// it) and moves to offset, for OpenFileAt.
func (s *StreamSource) enter(offset uint64) error {
	fail := func(err error) error {
		return s.fail(&Error{File: s.name, Offset: offset, PayloadOffset: -1, Err: err})
	}
	b, err := s.readRaw(context.Background())
	if err == io.EOF {
		return fail(fmt.Errorf("%w: offset %d is past the end of an empty file", ErrTruncated, offset))
	}
	if err != nil {
		return err
	}
	first, firstPos := append([]byte(nil), b...), s.last
	if offset > s.pos && s.peekType() == event.MariaStartEncryptionEvent {
		// The events of an encrypted MariaDB file need it.
		b, err := s.readRaw(context.Background())
		if err != nil && err != io.EOF {
			return err
		}
		if err == nil {
			s.second = append([]byte(nil), b...)
			s.secondPos = s.last
		}
	}
	s.first, s.firstPos = first, firstPos
	pastEnd := fmt.Errorf("%w: offset %d is past the end of the file", ErrTruncated, offset)
	switch {
	case offset == s.pos:
	case offset < s.pos:
		return fail(fmt.Errorf("%w: offset %d is inside the first event", ErrCorrupt, offset))
	case s.data != nil:
		if offset > uint64(len(s.data)) {
			// Past the mapping: the file may have grown since.
			fi, err := s.file.Stat()
			if err != nil || uint64(fi.Size()) < offset {
				return fail(pastEnd)
			}
			if _, err := s.file.Seek(int64(offset), io.SeekStart); err != nil {
				return fail(err)
			}
			s.data = nil
			s.br = bufio.NewReaderSize(s.file, readBufferSize)
		}
		s.pos = offset
	default:
		f, ok := s.closer.(*os.File)
		if !s.compressed && ok {
			fi, err := f.Stat()
			size := uint64(0)
			if err == nil {
				size = uint64(fi.Size())
				if s.my != nil {
					size -= min(size, mysqlEncHeaderLen)
				}
			}
			if err == nil && size < offset {
				return fail(pastEnd)
			}
			if err == nil {
				if s.my != nil {
					err = s.seekMySQL(f, offset)
				} else if _, err = f.Seek(int64(offset), io.SeekStart); err == nil {
					s.br.Reset(f)
				}
			}
			if err != nil {
				return fail(err)
			}
		} else if _, err := s.br.Discard(int(offset - s.pos)); err != nil {
			if errors.Is(err, io.EOF) {
				return fail(pastEnd)
			}
			return fail(err)
		}
		s.pos = offset
	}
	return nil
}

// peekType returns the type of the next event, 0 when its header is not
// there.
func (s *StreamSource) peekType() event.Type {
	if s.data != nil {
		if rest := s.data[s.pos:]; len(rest) >= event.HeaderLen {
			return event.Type(rest[4])
		}
		return 0
	}
	if h, err := s.br.Peek(event.HeaderLen); err == nil {
		return event.Type(h[4])
	}
	return 0
}

// SetMaxEventSize bounds one event; larger declared sizes are reported as
// ErrCorrupt. A Reader created with WithMaxEventSize sets it.
func (s *StreamSource) SetMaxEventSize(n int) { s.maxSize = n }

// Name returns the input's name.
func (s *StreamSource) Name() string { return s.name }

// Close releases the input, any decompressor and any memory mapping: events
// read from a mapped file are invalid afterwards.
func (s *StreamSource) Close() error {
	if s.mm != nil {
		s.drops.Wait()
		munmap(s.mm)
		s.mm, s.data, s.plain = nil, nil, false
		if s.err == nil {
			s.err = s.posErr(0, false, os.ErrClosed)
		}
	}
	if s.decomp != nil {
		s.decomp.Close()
		s.decomp = nil
	}
	if s.closer != nil {
		err := s.closer.Close()
		s.closer = nil
		return err
	}
	return nil
}

// Position returns the file name and offset of the event last returned.
func (s *StreamSource) Position() (string, uint64) { return s.name, s.last }

// Tail reports the bytes ignored at the end of the input (fewer than a header).
func (s *StreamSource) Tail() (string, uint64, int) { return s.name, s.pos, s.tail }

var (
	gzipMagic = []byte{0x1f, 0x8b}
	xzMagic   = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
	lz4Magic  = []byte{0x04, 0x22, 0x4d, 0x18}
)

// start detects compression and encryption and checks the binlog magic.
func (s *StreamSource) start() error {
	if s.started {
		return s.err
	}
	s.started = true
	head, _ := s.br.Peek(len(xzMagic))
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(s.br)
		if err != nil {
			return s.fail(s.decompErr("gzip", err))
		}
		s.decomp = zr
		s.br = bufio.NewReaderSize(zr, readBufferSize)
		s.compressed = true
	case bytes.HasPrefix(head, xzMagic):
		zr, err := xz.NewReader(s.br)
		if err != nil {
			return s.fail(s.decompErr("xz", err))
		}
		s.br = bufio.NewReaderSize(zr, readBufferSize)
		s.compressed = true
	case bytes.HasPrefix(head, zstdMagic):
		zr, err := zstd.NewReader(s.br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return s.fail(s.decompErr("zstd", err))
		}
		s.decomp = zr.IOReadCloser()
		s.br = bufio.NewReaderSize(zr, readBufferSize)
		s.compressed = true
	case bytes.HasPrefix(head, lz4Magic):
		s.br = bufio.NewReaderSize(lz4.NewReader(s.br), readBufferSize)
		s.compressed = true
	}
	if h, _ := s.br.Peek(len(mysqlEncMagic)); bytes.Equal(h, mysqlEncMagic) {
		// A MySQL encrypted binlog: its header now, the rest once the key
		// is known.
		var hdr [mysqlEncHeaderLen]byte
		if _, err := io.ReadFull(s.br, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return s.fail(&Error{File: s.name, PayloadOffset: -1, Err: fmt.Errorf("%w: the MySQL binlog encryption header is cut (%d bytes)", ErrTruncated, mysqlEncHeaderLen)})
			}
			return s.fail(&Error{File: s.name, PayloadOffset: -1, Err: err})
		}
		my, err := parseMySQLEncHeader(hdr[:])
		if err != nil {
			return s.fail(&Error{File: s.name, PayloadOffset: -1, Err: err})
		}
		s.my = my
		return nil
	}
	var magic [event.MagicLen]byte
	if _, err := io.ReadFull(s.br, magic[:]); err != nil || magic != event.Magic {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return s.fail(s.posErr(0, false, err))
		}
		if err != nil && s.compressed {
			return s.fail(s.posErr(0, false, fmt.Errorf("%w: the decompressed file ends after %d bytes, inside the binlog magic", ErrTruncated, s.br.Buffered())))
		}
		return s.fail(&Error{File: s.name, PayloadOffset: -1, Err: ErrBadMagic})
	}
	s.pos = event.MagicLen
	return nil
}

// decompErr is a positioned error for a compressed stream whose header
// cannot be read: at byte 0, the start of the stream.
func (s *StreamSource) decompErr(format string, err error) error {
	kind := ErrCorrupt
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		kind = ErrTruncated
	}
	return &Error{File: s.name, PayloadOffset: -1, Err: fmt.Errorf("%w: %s stream header: %v", kind, format, err)}
}

func (s *StreamSource) fail(err error) error {
	s.err = err
	s.plain = false
	return err
}

// setPlain sets s.plain from the state ReadEvent leaves behind.
func (s *StreamSource) setPlain() {
	s.plain = s.data != nil && s.started && s.err == nil && s.first == nil && s.second == nil &&
		s.my == nil && !s.mc.on && s.mc.pending == nil
}

// ReadEvent returns the next event. See Source.
func (s *StreamSource) ReadEvent(ctx context.Context) ([]byte, error) {
	if s.plain {
		// The common case in few steps: a plain mapped file, under way.
		b, err := s.readMapped()
		if err != nil {
			return nil, err
		}
		if b != nil {
			s.copied = false
			if t := event.Type(b[4]); t == event.FormatDescriptionEvent || t == event.MariaStartEncryptionEvent {
				b, err = s.process(b)
				s.setPlain()
			}
			return b, err
		}
		// The file grew past the mapping: buffered reads from here.
	}
	b, err := s.readEvent(ctx)
	s.setPlain()
	return b, err
}

// readEvent is ReadEvent off the common path.
func (s *StreamSource) readEvent(ctx context.Context) ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	if s.my != nil && !s.my.ready {
		if err := s.startMySQL(); err != nil {
			return nil, s.fail(err)
		}
	}
	if s.mc.pending != nil {
		// The key of the events from here on is missing: say so before
		// reading what cannot be read.
		return nil, s.fail(&Error{File: s.name, Offset: s.pos, PayloadOffset: -1, Err: s.mc.pending})
	}
	b, err := s.readRaw(ctx)
	s.copied = false
	if err != nil {
		return nil, err
	}
	// Two byte compares per event, unless a MariaDB file is encrypted.
	if s.mc.on || event.Type(b[4]) == event.FormatDescriptionEvent || event.Type(b[4]) == event.MariaStartEncryptionEvent {
		return s.process(b)
	}
	return b, nil
}

// mappedEvent reports whether the event last returned is a slice of the
// memory mapping (not a decrypted copy), valid until Close.
func (s *StreamSource) mappedEvent() bool { return s.data != nil && !s.copied }

// readRaw returns the next event as stored.
func (s *StreamSource) readRaw(ctx context.Context) ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.first != nil {
		b := s.first
		s.first = nil
		s.last = s.firstPos
		return b, nil
	}
	if s.second != nil {
		b := s.second
		s.second = nil
		s.last = s.secondPos
		return b, nil
	}
	if s.data != nil {
		b, err := s.readMapped()
		if b != nil || err != nil {
			return b, err
		}
		// The file grew past the mapping: read on through the buffer.
	}
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	hdr, err := s.br.Peek(event.HeaderLen)
	if err != nil {
		if len(hdr) == 0 && errors.Is(err, io.EOF) {
			return nil, s.fail(io.EOF)
		}
		if errors.Is(err, io.EOF) {
			// Fewer bytes than a header: a file cut while being written. End
			// cleanly and let Tail report it.
			s.tail = len(hdr)
			return nil, s.fail(io.EOF)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			// A decompressor whose stream is cut.
			err = fmt.Errorf("%w: %v", ErrTruncated, err)
		}
		return nil, s.fail(s.posErr(0, false, err))
	}
	size := int(uint32(hdr[9]) | uint32(hdr[10])<<8 | uint32(hdr[11])<<16 | uint32(hdr[12])<<24)
	typ := event.Type(hdr[4])
	if size < event.HeaderLen {
		return nil, s.fail(s.posErr(typ, true, fmt.Errorf("%w: event size %d is smaller than the header", ErrCorrupt, size)))
	}
	if size > s.maxSize {
		return nil, s.fail(s.posErr(typ, true, fmt.Errorf("%w: event size %d exceeds the limit of %d bytes", ErrCorrupt, size, s.maxSize)))
	}
	s.last = s.pos
	if size <= s.br.Size() {
		b, err := s.br.Peek(size)
		if err != nil {
			return nil, s.fail(s.truncErr(typ, size, len(b), err))
		}
		s.br.Discard(size)
		s.pos += uint64(size)
		return b[:size:size], nil
	}
	// A large event: copy it into a buffer grown as bytes actually arrive, so
	// a hostile size cannot make us allocate what is not there.
	s.big = s.big[:0]
	for len(s.big) < size {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		chunk := min(size-len(s.big), max(len(s.big), readBufferSize))
		s.big = growLen(s.big, chunk)
		n, err := io.ReadFull(s.br, s.big[len(s.big)-chunk:])
		s.big = s.big[:len(s.big)-chunk+n]
		if err != nil {
			return nil, s.fail(s.truncErr(typ, size, len(s.big), err))
		}
	}
	s.pos += uint64(size)
	return s.big[:size:size], nil
}

// openMapped returns a StreamSource reading f through a memory mapping, or
// nil when f is not an uncompressed regular binlog file that can be mapped
// (the buffered path then handles it, errors included).
func openMapped(f *os.File, path string) *StreamSource {
	if strings.HasSuffix(path, ".partial") {
		return nil
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() < event.MagicLen {
		return nil
	}
	data, err := mmapFile(f, fi.Size())
	if err != nil {
		return nil
	}
	if !bytes.Equal(data[:event.MagicLen], event.Magic[:]) || inUse(data) {
		munmap(data)
		return nil
	}
	return &StreamSource{name: path, closer: f, file: f, maxSize: DefaultMaxEventSize,
		started: true, pos: event.MagicLen, data: data, mm: data}
}

// inUse reports whether the FORMAT_DESCRIPTION at the start of a mapped file
// carries LOG_EVENT_BINLOG_IN_USE_F: the server still has the file open (or
// crashed with it open), and its crash recovery may cut the file back to the
// last whole transaction. Such a file is read through a buffer, since a
// mapped page past a new, shorter end would kill the process.
func inUse(data []byte) bool {
	const typeOff, flagsOff = event.MagicLen + 4, event.MagicLen + 17
	return len(data) >= flagsOff+2 && data[typeOff] == byte(event.FormatDescriptionEvent) &&
		data[flagsOff]&0x01 != 0
}

// readMapped returns the next event of the mapping. It returns nil, nil when
// the file has grown past the mapping, having set up br to read the rest.
func (s *StreamSource) readMapped() ([]byte, error) {
	rest := s.data[s.pos:]
	if len(rest) < event.HeaderLen {
		if s.grown() {
			return nil, nil
		}
		// Fewer bytes than a header: a file cut while being written. End
		// cleanly and let Tail report it.
		s.tail = len(rest)
		return nil, s.fail(io.EOF)
	}
	size := int(uint32(rest[9]) | uint32(rest[10])<<8 | uint32(rest[11])<<16 | uint32(rest[12])<<24)
	typ := event.Type(rest[4])
	if size < event.HeaderLen {
		return nil, s.fail(s.posErr(typ, true, fmt.Errorf("%w: event size %d is smaller than the header", ErrCorrupt, size)))
	}
	if size > s.maxSize {
		return nil, s.fail(s.posErr(typ, true, fmt.Errorf("%w: event size %d exceeds the limit of %d bytes", ErrCorrupt, size, s.maxSize)))
	}
	if size > len(rest) {
		if s.grown() {
			return nil, nil
		}
		return nil, s.fail(s.truncErr(typ, size, len(rest), io.EOF))
	}
	s.last = s.pos
	s.pos += uint64(size)
	if s.pos >= s.dropAt {
		s.dropBehind()
	}
	return rest[:size:size], nil
}

// A mapped file read front to back would stay resident as a whole, so the
// pages more than keepBehind bytes behind the reader are handed back to the
// kernel every dropEvery bytes: a process reading a binlog of any size keeps
// a bounded part of it in memory. An event kept past the next call (against
// the Source's rule, or by Parallel's workers) is still readable: its pages
// come back from the page cache.
const (
	dropEvery  = 8 << 20
	keepBehind = 4 << 20
)

// dropBehind releases the mapped pages before s.pos-keepBehind, on a
// goroutine of its own: the kernel's work of unmapping them is then off the
// reader's path (on another processor when there is one). While one runs,
// the next waits a little; a reader that gets a quarter of dropEvery
// further ahead of a goroutine not yet done (a busy machine, GOMAXPROCS 1)
// drops the pages itself, so that the resident part of the file stays
// within about 2×dropEvery+keepBehind. Close waits for the goroutine.
func (s *StreamSource) dropBehind() {
	end := (s.pos - keepBehind) &^ uint64(os.Getpagesize()-1)
	if end > s.dropped && end <= uint64(len(s.data)) {
		b := s.data[s.dropped:end]
		switch {
		case !s.dropping.Load():
			s.dropping.Store(true)
			s.drops.Add(1)
			go func() {
				defer s.drops.Done()
				dropPages(b)
				s.dropping.Store(false)
			}()
		case len(b) < dropEvery+dropEvery/4:
			s.dropAt = s.pos + dropEvery/8
			return
		default:
			dropPages(b)
		}
		s.dropped = end
	}
	s.dropAt = s.dropped + dropEvery + keepBehind
}

// retire gives back the pages of a mapped file read to its end and closes
// its descriptor; the mapping stays readable (from the page cache) until
// Close.
func (s *StreamSource) retire() {
	s.drops.Wait()
	dropPages(s.mm)
	if s.closer != nil {
		s.closer.Close()
		s.closer, s.file = nil, nil
	}
}

// grown reports whether the file now extends past the mapping, and if so
// switches to buffered reads from the current position.
func (s *StreamSource) grown() bool {
	fi, err := s.file.Stat()
	if err != nil || fi.Size() <= int64(len(s.data)) {
		return false
	}
	if _, err := s.file.Seek(int64(s.pos), io.SeekStart); err != nil {
		return false
	}
	s.data, s.plain = nil, false
	s.br = bufio.NewReaderSize(s.file, readBufferSize)
	return true
}

func (s *StreamSource) truncErr(typ event.Type, size, have int, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return s.posErr(typ, true, fmt.Errorf("%w: event of %d bytes, input ends after %d", ErrTruncated, size, have))
	}
	return s.posErr(typ, true, err)
}

func (s *StreamSource) posErr(typ event.Type, hasType bool, err error) error {
	return &Error{File: s.name, Offset: s.pos, Type: typ, HasType: hasType, PayloadOffset: -1, Err: err}
}

// growLen extends b by n bytes, reallocating with doubling.
func growLen(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b[:len(b)+n]
	}
	nb := make([]byte, len(b)+n, max(2*cap(b), len(b)+n))
	copy(nb, b)
	return nb
}

// FileList reads an ordered list of binlog files one after the other, as
// mysqlbinlog does with several file arguments. "-" names standard input.
// (An archive directory kept by binlogbackup is read by package backup.)
type FileList struct {
	paths   []string
	next    int
	cur     *StreamSource
	maxSize int
	keys    KeyProvider
	err     error

	// keepMaps is set by Parallel, whose batches refer to events in a
	// file's mapping after the list moved on: a finished file's mapping
	// (its pages given back, its descriptor closed) is kept in kept until
	// Close.
	keepMaps bool
	kept     []*StreamSource
}

// OpenFiles returns a Source over the given files in order. Each file is
// opened when the previous one ends; Close closes the current one. A
// directory among paths is an error when it is reached.
func OpenFiles(paths ...string) *FileList {
	return &FileList{paths: paths, maxSize: DefaultMaxEventSize}
}

// Range narrows the list to the files from first to last, inclusive, as
// mysqlbinlog's and binlog2sql's --start-file and --stop-file pick them, and
// returns the names of the files kept, in order (their paths, compared by
// base name). An empty first or last leaves that end open. A name the list
// does not hold, or a last file before the first, is an error naming the
// files there are. (An archive directory is narrowed by backup.Source's
// Range.) Call Range before the first ReadEvent.
func (l *FileList) Range(first, last string) ([]string, error) {
	if l.cur != nil || l.next > 0 {
		return nil, errors.New("binlog: FileList.Range after reading began")
	}
	for _, p := range l.paths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return nil, fmt.Errorf("binlog: %s is a directory (an archive kept by binlogbackup is read with package backup)", p)
		}
	}
	names := append([]string(nil), l.paths...)
	find := func(name string, def int) (int, error) {
		if name == "" {
			return def, nil
		}
		for i, n := range names {
			if sameFile(n, name) {
				return i, nil
			}
		}
		return 0, fmt.Errorf("binlog: no file %s among the inputs (%s)", name, listNames(names))
	}
	from, err := find(first, 0)
	if err != nil {
		return nil, err
	}
	to, err := find(last, len(names)-1)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, nil
	}
	if to < from {
		return nil, fmt.Errorf("binlog: the stop file %s comes before the start file %s in the inputs (%s)", last, first, listNames(names))
	}
	l.paths = l.paths[from : to+1]
	return names[from : to+1], nil
}

// listNames describes the input files for an error: all of them, or the
// first and last of a long list.
func listNames(names []string) string {
	switch n := len(names); {
	case n == 0:
		return "no file"
	case n <= 6:
		return strings.Join(names, ", ")
	default:
		return fmt.Sprintf("%s, %s … %s (%d files)", names[0], names[1], names[n-1], n)
	}
}

// SetMaxEventSize bounds one event in every file.
func (l *FileList) SetMaxEventSize(n int) {
	l.maxSize = n
	if l.cur != nil {
		l.cur.SetMaxEventSize(n)
	}
}

// SetKeys gives the keys of encrypted files to every file (see
// StreamSource.SetKeys).
func (l *FileList) SetKeys(k KeyProvider) {
	l.keys = k
	if l.cur != nil {
		l.cur.SetKeys(k)
	}
}

// ReadEvent returns the next event of the current file, moving on to the next
// file at the end of one. See Source.
func (l *FileList) ReadEvent(ctx context.Context) ([]byte, error) {
	for l.err == nil {
		if l.cur == nil {
			if l.next >= len(l.paths) {
				l.err = io.EOF
				break
			}
			p := l.paths[l.next]
			l.next++
			var err error
			if fi, serr := os.Stat(p); serr == nil && fi.IsDir() {
				l.err = fmt.Errorf("%s is a directory (an archive kept by binlogbackup is read with package backup)", p)
				break
			}
			if p == "-" {
				l.cur = NewStreamSource(os.Stdin, "-")
				l.cur.closer = nil
			} else if l.cur, err = OpenFile(p); err != nil {
				l.err = err
				break
			}
			l.cur.SetMaxEventSize(l.maxSize)
			l.cur.SetKeys(l.keys)
		}
		b, err := l.cur.ReadEvent(ctx)
		if err == io.EOF && l.next < len(l.paths) {
			if _, _, n := l.cur.Tail(); n > 0 {
				// A cut file followed by more files: the cut is an error, as
				// events would be lost between them.
				file, off, n := l.cur.Tail()
				l.err = &Error{File: file, Offset: off, PayloadOffset: -1, Err: fmt.Errorf("%w: %d bytes of an event header, then the file ends", ErrTruncated, n)}
				break
			}
			if l.keepMaps && l.cur.mm != nil {
				l.cur.retire()
				l.kept = append(l.kept, l.cur)
			} else {
				l.cur.Close()
			}
			l.cur = nil
			continue
		}
		if err != nil {
			return nil, err
		}
		return b, nil
	}
	return nil, l.err
}

// Position returns the current file and the offset of the event last
// returned.
func (l *FileList) Position() (string, uint64) {
	if l.cur == nil {
		return "", 0
	}
	return l.cur.Position()
}

// Tail reports the bytes ignored at the end of the last file: fewer than a
// header.
func (l *FileList) Tail() (string, uint64, int) {
	if l.cur == nil {
		return "", 0, 0
	}
	return l.cur.Tail()
}

// mappedEvent reports whether the event last returned stays valid until
// Close (see keepMaps).
func (l *FileList) mappedEvent() bool { return l.keepMaps && l.cur != nil && l.cur.mappedEvent() }

// Close closes the file being read (and releases the mappings of the files
// before it that Parallel kept).
func (l *FileList) Close() error {
	for _, s := range l.kept {
		s.Close()
	}
	l.kept = nil
	if l.cur != nil {
		err := l.cur.Close()
		l.cur = nil
		return err
	}
	return nil
}
