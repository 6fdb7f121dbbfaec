package backup

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrLocked reports an archive directory another process is writing.
var ErrLocked = errors.New("backup: the archive is locked by another process")

// LockedError says which process holds an archive's lock.
type LockedError struct {
	Dir string
	// PID is the holder's process id (0 when it could not be read) and
	// Holder what it wrote of itself (its command line).
	PID    int
	Holder string
}

// Error names the directory and the holder.
func (e *LockedError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("backup: %s is in use by another process (%s is locked)", e.Dir, LockName)
	}
	s := fmt.Sprintf("backup: %s is in use by process %d", e.Dir, e.PID)
	if e.Holder != "" {
		s += " (" + e.Holder + ")"
	}
	return s
}

// Unwrap returns ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }

// Lock is the exclusive lock of an archive directory: one writer at a time.
// The lock is the kernel's (flock on DIR/binlogbackup.lock), so a writer that
// dies leaves no stale lock behind; the file holds the holder's PID and
// command line for the message a second writer gets.
type Lock struct {
	f *os.File
}

// LockDir takes the lock of the archive directory dir without waiting. When
// another process (or another Lock in this process) holds it, the error is
// a *LockedError naming the holder's PID.
func LockDir(dir string) (*Lock, error) {
	path := filepath.Join(dir, LockName)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	locked, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("backup: locking %s: %w", path, err)
	}
	if !locked {
		le := &LockedError{Dir: dir}
		if b, err := os.ReadFile(path); err == nil {
			line, _, _ := bytes.Cut(b, []byte("\n"))
			pid, holder, _ := strings.Cut(string(line), " ")
			le.PID, _ = strconv.Atoi(pid)
			le.Holder = holder
		}
		f.Close()
		return nil, le
	}
	me := strconv.Itoa(os.Getpid()) + " " + strings.Join(os.Args, " ") + "\n"
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(me), 0)
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	unlock(l.f)
	err := l.f.Close()
	l.f = nil
	return err
}
