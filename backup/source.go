package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/binlog"
)

// ErrGap reports a place where the archive's chain of files is broken: a
// file missing (neither in the directory nor recorded as deleted) or a
// recorded purge gap.
var ErrGap = errors.New("backup: the archive's chain of files is broken")

// Source reads the binlog files of an archive one after the other, as if it
// were the server: compressed files are decompressed, age-encrypted ones
// decrypted (see SetIdentities), and a last .partial file is read up to its
// last whole event (an event cut by a write in progress ends the stream
// cleanly; Tail reports the cut). It implements binlog.Source and
// binlog.Positioner; positions name the server's files ("binlog.000042"),
// so that events read from an archive show where they sit on the server.
// Errors name the stored file's path.
//
// Reading stops with an error wrapping ErrGap at a file that does not
// follow the previous one (a file missing, or a recorded purge gap): events
// on both sides of it never read as one stream.
type Source struct {
	dir     string
	entries []Entry
	ids     []age.Identity
	keys    binlog.KeyProvider
	maxSize int

	next     int
	cur      *binlog.StreamSource
	curClose io.Closer
	curEntry *Entry
	err      error
	torn     struct {
		file string
		off  uint64
		n    int
	}
}

// Open returns a Source over the files of the archive directory dir (see
// Files), decrypting encrypted ones with ids. The caller should Close it.
func Open(dir string, ids ...age.Identity) (*Source, error) {
	entries, err := Files(dir)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("backup: %s: no binlog files in the directory", dir)
	}
	return &Source{dir: dir, entries: entries, ids: ids, maxSize: binlog.DefaultMaxEventSize}, nil
}

// Entries returns the files the Source reads, in order.
func (s *Source) Entries() []Entry { return append([]Entry(nil), s.entries...) }

// SetIdentities gives the age identities that decrypt encrypted files. Call
// it before the first ReadEvent.
func (s *Source) SetIdentities(ids ...age.Identity) { s.ids = ids }

// SetKeys gives the keys of encrypted binlogs (MariaDB encrypt_binlog, MySQL
// binlog_encryption) to every file; see binlog.StreamSource.SetKeys. An
// archive made from a replication stream holds plaintext binlogs, so this
// is only needed for files copied into it from a server's disk.
func (s *Source) SetKeys(k binlog.KeyProvider) {
	s.keys = k
	if s.cur != nil {
		s.cur.SetKeys(k)
	}
}

// SetMaxEventSize bounds one event in every file.
func (s *Source) SetMaxEventSize(n int) {
	s.maxSize = n
	if s.cur != nil {
		s.cur.SetMaxEventSize(n)
	}
}

// ReadEvent returns the next event, moving on to the next file at the end of
// one. See binlog.Source.
func (s *Source) ReadEvent(ctx context.Context) ([]byte, error) {
	for s.err == nil {
		if s.cur == nil {
			if s.next >= len(s.entries) {
				s.err = io.EOF
				break
			}
			if err := s.openNext(); err != nil {
				s.err = err
				break
			}
		}
		b, err := s.cur.ReadEvent(ctx)
		last := s.next == len(s.entries)
		partial := !s.curEntry.Complete
		if err != nil && err != io.EOF && last && partial && errors.Is(err, binlog.ErrTruncated) {
			// The last event of a .partial file is being written: end at
			// the last whole event.
			if e, ok := binlog.AsError(err); ok {
				s.torn.file, s.torn.off, s.torn.n = s.curEntry.Name, e.Offset, 1
			}
			s.err = io.EOF
			break
		}
		if err == io.EOF && !last {
			if file, off, n := s.cur.Tail(); n > 0 {
				// A cut file followed by more files: events would be lost
				// between them.
				s.err = &binlog.Error{File: file, Offset: off, PayloadOffset: -1, Err: fmt.Errorf("%w: %d bytes of an event header, then the file ends", binlog.ErrTruncated, n)}
				break
			}
			s.closeCur()
			continue
		}
		if err != nil {
			if err != io.EOF {
				s.err = err
			}
			return nil, err
		}
		return b, nil
	}
	return nil, s.err
}

// openNext opens the next file, checking it continues the previous one.
func (s *Source) openNext() error {
	e := &s.entries[s.next]
	if s.next > 0 {
		prev := &s.entries[s.next-1]
		if err := follows(prev, e); err != nil {
			return err
		}
	}
	s.next++
	path := filepath.Join(s.dir, e.Stored)
	st, _ := parseStored(e.Stored)
	var src *binlog.StreamSource
	if st.comp == None && !st.encrypted {
		var err error
		if src, err = binlog.OpenFile(path); err != nil {
			return err
		}
		s.curClose = nil
	} else {
		plain, closer, err := openPlain(path, s.ids)
		if err != nil {
			return err
		}
		src = binlog.NewStreamSource(plain, path)
		s.curClose = closer
	}
	src.SetMaxEventSize(s.maxSize)
	if s.keys != nil {
		src.SetKeys(s.keys)
	}
	s.cur, s.curEntry = src, e
	return nil
}

// follows reports whether e continues the chain after prev.
func follows(prev, e *Entry) error {
	if e.Gap != nil {
		return fmt.Errorf("%w: %s starts a new chain after a purge gap (missing: %s); read the files on either side of it separately", ErrGap, e.Name, e.Gap.Missing)
	}
	if want := nextBinlogName(prev.Name); want != "" && e.Name != want {
		return fmt.Errorf("%w: %s follows %s in the archive; %s is missing", ErrGap, e.Name, prev.Name, want)
	}
	return nil
}

func (s *Source) closeCur() {
	if s.cur != nil {
		s.cur.Close()
		s.cur = nil
	}
	if s.curClose != nil {
		s.curClose.Close()
		s.curClose = nil
	}
}

// Position returns the server's name of the current file and the offset of
// the event last returned.
func (s *Source) Position() (string, uint64) {
	if s.cur == nil {
		return "", 0
	}
	_, off := s.cur.Position()
	return s.curEntry.Name, off
}

// Tail reports the bytes ignored at the end of the last file: fewer than a
// header, or the cut last event of a .partial file.
func (s *Source) Tail() (string, uint64, int) {
	if s.torn.n > 0 {
		return s.torn.file, s.torn.off, s.torn.n
	}
	if s.cur == nil {
		return "", 0, 0
	}
	_, off, n := s.cur.Tail()
	return s.curEntry.Name, off, n
}

// Close closes the current file.
func (s *Source) Close() error {
	s.closeCur()
	if s.err == nil {
		s.err = errors.New("backup: Source is closed")
	}
	return nil
}

// OpenFile opens one stored file of an archive (plain, compressed or
// age-encrypted, decrypted with ids) as a binlog.StreamSource named path,
// positioned at offset as binlog.OpenFileAt does (0 or 4: the start). A
// file that is not age-encrypted is opened by binlog.OpenFileAt itself.
func OpenFile(path string, offset uint64, ids ...age.Identity) (*binlog.StreamSource, error) {
	head, err := readHead(path, len(ageMagic))
	if err != nil {
		return nil, err
	}
	if string(head) != string(ageMagic) {
		return binlog.OpenFileAt(path, offset)
	}
	plain, closer, err := openPlain(path, ids)
	if err != nil {
		return nil, err
	}
	src, err := binlog.NewStreamSourceAt(readCloser{plain, closer}, path, offset)
	if err != nil {
		closer.Close()
		return nil, err
	}
	return src, nil
}

// readCloser joins a reader and the closer of what it reads.
type readCloser struct {
	io.Reader
	io.Closer
}

// readHead returns the first n bytes of the file at path (fewer if shorter).
func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	k, err := io.ReadFull(f, b)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return b[:k], err
}

// Range narrows the Source to the files from first to last, inclusive (the
// server's names, as --start-file and --stop-file give them; an empty name
// leaves that end open), and returns the names kept. A name the archive does
// not hold, or a last file before the first, is an error naming the files
// there are. Call Range before the first ReadEvent.
func (s *Source) Range(first, last string) ([]string, error) {
	if s.cur != nil || s.next > 0 {
		return nil, errors.New("backup: Source.Range after reading began")
	}
	find := func(name string, def int) (int, error) {
		if name == "" {
			return def, nil
		}
		for i, e := range s.entries {
			if e.Name == name || e.Name == filepath.Base(name) {
				return i, nil
			}
		}
		return 0, fmt.Errorf("backup: no file %s in the archive %s (%s)", name, s.dir, s.describe())
	}
	from, err := find(first, 0)
	if err != nil {
		return nil, err
	}
	to, err := find(last, len(s.entries)-1)
	if err != nil {
		return nil, err
	}
	if to < from {
		return nil, fmt.Errorf("backup: the stop file %s comes before the start file %s in the archive %s (%s)", last, first, s.dir, s.describe())
	}
	s.entries = s.entries[from : to+1]
	names := make([]string, len(s.entries))
	for i, e := range s.entries {
		names[i] = e.Name
	}
	return names, nil
}

// describe names the archive's files for an error.
func (s *Source) describe() string {
	switch n := len(s.entries); {
	case n == 0:
		return "no file"
	case n <= 6:
		var names []string
		for _, e := range s.entries {
			names = append(names, e.Name)
		}
		return strings.Join(names, ", ")
	default:
		return fmt.Sprintf("%s, %s … %s (%d files)", s.entries[0].Name, s.entries[1].Name, s.entries[n-1].Name, n)
	}
}
