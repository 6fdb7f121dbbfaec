package cli

import (
	"context"
	"flag"
	"os"
	"strings"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/binlog"
)

// Identity is the --identity flag: age identity files (age-keygen's
// AGE-SECRET-KEY-1… lines) that decrypt the files of an archive kept by
// binlogbackup --encrypt-to. Keys registers it, so every tool that reads
// binlog files takes it.
type Identity struct {
	files []string
	ids   []age.Identity
}

// Register declares --identity on fs.
func (i *Identity) Register(fs *flag.FlagSet) {
	fs.Func("identity", "decrypt an archive's age-encrypted files (binlogbackup --encrypt-to) with the identities in this `file` (age-keygen's key file; repeatable)", func(s string) error {
		i.files = append(i.files, s)
		return nil
	})
}

// Load reads the identity files.
func (i *Identity) Load() error {
	if len(i.files) == 0 {
		return nil
	}
	ids, err := backup.ReadIdentities(i.files...)
	if err != nil {
		return err
	}
	i.ids = ids
	return nil
}

// Identities returns the identities Load read (nil when none).
func (i *Identity) Identities() []age.Identity { return i.ids }

// openArchive returns a Source over the archive directory path (as
// binlogbackup keeps one), or ok false when path is no directory. An archive
// that cannot be opened yields its error from the first ReadEvent, as a
// FileList does with a missing file.
func openArchive(path string) (src binlog.Source, closeSrc func(), ok bool) {
	fi, err := os.Stat(path)
	if err != nil || !fi.IsDir() {
		return nil, nil, false
	}
	s, err := backup.Open(path)
	if err != nil {
		return errSource{err}, func() {}, true
	}
	return s, func() { s.Close() }, true
}

// errSource is a Source that fails.
type errSource struct{ err error }

func (e errSource) ReadEvent(context.Context) ([]byte, error) { return nil, e.err }

// openArchiveRange opens a lone archive directory argument narrowed to the
// files from first to last (server names; empty: open end) and returns the
// names kept. ok is false when files is not one directory.
func openArchiveRange(files []string, first, last string) (src binlog.Source, names []string, closeSrc func(), ok bool, err error) {
	if len(files) != 1 {
		return nil, nil, nil, false, nil
	}
	if fi, err := os.Stat(files[0]); err != nil || !fi.IsDir() {
		return nil, nil, nil, false, nil
	}
	s, err := backup.Open(files[0])
	if err != nil {
		return nil, nil, nil, true, err
	}
	if names, err = s.Range(first, last); err != nil {
		s.Close()
		return nil, nil, nil, true, &UsageError{Msg: strings.TrimPrefix(err.Error(), "backup: ")}
	}
	return s, names, func() { s.Close() }, true, nil
}
