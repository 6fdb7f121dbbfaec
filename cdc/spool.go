package cdc

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// spool holds a sequence of records (a transaction's events, the rows of a
// snapshot read) in memory up to a budget and in a temporary file beyond
// it, so that memory does not grow with a transaction's size. Records are
// read back in order once, after which the spool is reset for reuse.
type spool struct {
	budget int64
	dir    string

	mem   []byte // records while in memory: uvarint length, then the record
	file  *os.File
	w     *bufio.Writer
	r     *bufio.Reader
	n     int   // records held
	size  int64 // bytes held (memory or file)
	off   int   // read offset in mem
	rbuf  []byte
	files int // temporary files created (for tests)
}

func newSpool(budget int64, dir string) *spool {
	return &spool{budget: budget, dir: dir}
}

// append adds one record. The bytes are copied.
func (s *spool) append(rec []byte) error { return s.append2(rec, nil) }

// append2 adds one record made of a and b. The bytes are copied.
func (s *spool) append2(a, b []byte) error {
	n := len(a) + len(b)
	if s.file == nil && int64(len(s.mem)+n+binary.MaxVarintLen64) > s.budget && s.n > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	if s.file != nil {
		var hdr [binary.MaxVarintLen64]byte
		k := binary.PutUvarint(hdr[:], uint64(n))
		if _, err := s.w.Write(hdr[:k]); err != nil {
			return s.fileErr(err)
		}
		if _, err := s.w.Write(a); err != nil {
			return s.fileErr(err)
		}
		if _, err := s.w.Write(b); err != nil {
			return s.fileErr(err)
		}
	} else {
		if need := len(s.mem) + n + binary.MaxVarintLen64; need > cap(s.mem) {
			// Grow by doubling, but never past the budget (plus this
			// record): the budget bounds the memory, not the length.
			c := min(max(2*cap(s.mem), 64<<10), int(s.budget)+n+binary.MaxVarintLen64)
			c = max(c, need)
			m := make([]byte, len(s.mem), c)
			copy(m, s.mem)
			s.mem = m
		}
		s.mem = binary.AppendUvarint(s.mem, uint64(n))
		s.mem = append(s.mem, a...)
		s.mem = append(s.mem, b...)
	}
	s.n++
	s.size += int64(n)
	return nil
}

func (s *spool) fileErr(err error) error {
	return fmt.Errorf("cdc: spilling a large transaction to %s: %w", s.file.Name(), err)
}

// spill moves the records held in memory to a new temporary file.
func (s *spool) spill() error {
	f, err := os.CreateTemp(s.dir, "binlogkit-cdc-*.spool")
	if err != nil {
		return fmt.Errorf("cdc: a transaction over the memory budget (%d bytes) needs a temporary file: %w", s.budget, err)
	}
	os.Remove(f.Name()) // unlinked: gone with the process, whatever happens
	s.file, s.files = f, s.files+1
	if s.w == nil {
		s.w = bufio.NewWriterSize(f, 256<<10)
	} else {
		s.w.Reset(f)
	}
	if _, err := s.w.Write(s.mem); err != nil {
		return s.fileErr(err)
	}
	s.mem = nil // a transaction this large is rare: give the memory back
	return nil
}

// spilled reports whether the records are in a file.
func (s *spool) spilled() bool { return s.file != nil }

// rewind prepares reading the records from the first.
func (s *spool) rewind() error {
	s.off = 0
	if s.file == nil {
		return nil
	}
	if err := s.w.Flush(); err != nil {
		return s.fileErr(err)
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return s.fileErr(err)
	}
	if s.r == nil {
		s.r = bufio.NewReaderSize(s.file, 256<<10)
	} else {
		s.r.Reset(s.file)
	}
	return nil
}

// next returns the next record, valid until the next call; io.EOF after
// the last.
func (s *spool) next() ([]byte, error) {
	if s.file == nil {
		if s.off >= len(s.mem) {
			return nil, io.EOF
		}
		n, k := binary.Uvarint(s.mem[s.off:])
		s.off += k
		rec := s.mem[s.off : s.off+int(n) : s.off+int(n)]
		s.off += int(n)
		return rec, nil
	}
	n, err := binary.ReadUvarint(s.r)
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, s.fileErr(err)
	}
	if uint64(cap(s.rbuf)) < n {
		s.rbuf = make([]byte, n)
	}
	s.rbuf = s.rbuf[:n]
	if _, err := io.ReadFull(s.r, s.rbuf); err != nil {
		return nil, s.fileErr(err)
	}
	return s.rbuf, nil
}

// reset empties the spool, closing any file. Memory up to the budget is
// kept for the next use.
func (s *spool) reset() {
	if s.file != nil {
		s.file.Close()
		s.file = nil
	}
	if int64(cap(s.mem)) > s.budget+64<<10 {
		s.mem = nil
	}
	s.mem = s.mem[:0]
	s.n, s.size, s.off = 0, 0, 0
	if cap(s.rbuf) > 4<<20 {
		s.rbuf = nil
	}
}

func (s *spool) close() { s.reset() }
