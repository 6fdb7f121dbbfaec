package main

import (
	"bufio"
	"fmt"
	"os"
	"unsafe"
)

// store keeps an array of fixed-size records without pointers (the
// index's txEntry or tableOps) out of the Go heap: appended through a
// buffer to a temporary file while the input is indexed, then mapped
// read-only (where mapping is not available, read back into memory). A
// scan gives back the pages it has passed (dropBefore): the kernel keeps
// them in its page cache, and the process's memory does not follow the
// number of transactions.
type store[T any] struct {
	f     *os.File
	w     *bufio.Writer
	n     int
	mem   []byte // the mapping (nil: items is in the heap)
	items []T
}

// newStore creates a store's file in dir ("" for os.TempDir()); the file
// is removed at once and lives as long as the process holds it.
func newStore[T any](dir string) (*store[T], error) {
	f, err := os.CreateTemp(dir, "binlogview-index-*")
	if err != nil {
		return nil, fmt.Errorf("index file (in $TMPDIR): %w", err)
	}
	os.Remove(f.Name())
	return &store[T]{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// add appends records.
func (s *store[T]) add(v ...T) error {
	var zero T
	size := int(unsafe.Sizeof(zero))
	for i := range v {
		if _, err := s.w.Write(unsafe.Slice((*byte)(unsafe.Pointer(&v[i])), size)); err != nil {
			return fmt.Errorf("index file: %w", err)
		}
	}
	s.n += len(v)
	return nil
}

// len returns the number of records added.
func (s *store[T]) len() int { return s.n }

// finish ends the appending and returns the records, valid until close.
func (s *store[T]) finish() ([]T, error) {
	if err := s.w.Flush(); err != nil {
		return nil, fmt.Errorf("index file: %w", err)
	}
	s.w = nil
	if s.n == 0 {
		return nil, nil
	}
	var zero T
	size := int64(s.n) * int64(unsafe.Sizeof(zero))
	mem, err := mapFile(s.f, size)
	if err != nil {
		// No mapping: the records in the heap, as they were before.
		buf := make([]T, s.n)
		if _, err := s.f.ReadAt(unsafe.Slice((*byte)(unsafe.Pointer(&buf[0])), size), 0); err != nil {
			return nil, fmt.Errorf("index file: %w", err)
		}
		s.items = buf
		return buf, nil
	}
	s.mem = mem
	s.items = unsafe.Slice((*T)(unsafe.Pointer(&mem[0])), s.n)
	return s.items, nil
}

// dropBefore gives back the pages holding only records before i.
func (s *store[T]) dropBefore(i int) {
	if s.mem == nil || i <= 0 {
		return
	}
	var zero T
	end := min(i, s.n) * int(unsafe.Sizeof(zero))
	dropPages(s.mem[:end&^(os.Getpagesize()-1)])
}

// resident reports the bytes of the records that are in the heap (0 when
// they are mapped).
func (s *store[T]) resident() int64 {
	if s.mem != nil {
		return 0
	}
	var zero T
	return int64(len(s.items)) * int64(unsafe.Sizeof(zero))
}

// close releases the mapping and the file: the records are invalid
// afterwards.
func (s *store[T]) close() {
	if s.mem != nil {
		unmapFile(s.mem)
		s.mem = nil
	}
	s.items = nil
	s.f.Close()
}
