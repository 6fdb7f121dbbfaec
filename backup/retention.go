package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Retention says which completed files an archive keeps. The zero value
// keeps everything. A completed file is removed only when every limit that
// is set allows it: older than MaxAge (by the time of its last event) and
// not among the newest Files completed files. The file the archive
// continues from (the one being written, or the last completed one) is never
// removed, and files are removed oldest first, so the archive stays one
// unbroken chain. Each removal is logged and recorded in the index (the
// entry stays, with Deleted set).
type Retention struct {
	// MaxAge, when positive, allows removing a completed file whose last
	// event is older than this.
	MaxAge time.Duration
	// Files, when positive, keeps this many newest completed files.
	Files int
}

// IsZero reports whether r keeps everything.
func (r Retention) IsZero() bool { return r.MaxAge <= 0 && r.Files <= 0 }

// String describes the limits, as the index records a deletion's reason.
func (r Retention) String() string {
	var parts []string
	if r.MaxAge > 0 {
		if r.MaxAge%(24*time.Hour) == 0 {
			parts = append(parts, fmt.Sprintf("retain-days %d", r.MaxAge/(24*time.Hour)))
		} else {
			parts = append(parts, "retain "+r.MaxAge.String())
		}
	}
	if r.Files > 0 {
		parts = append(parts, fmt.Sprintf("retain-files %d", r.Files))
	}
	return strings.Join(parts, ", ")
}

// applyRetention removes the completed files the retention allows to
// remove.
func (m *Mirror) applyRetention() error {
	r := m.opts.Retention
	if r.IsZero() {
		return nil
	}
	now := m.now()
	// The present completed files, oldest first.
	var idx []int
	for i := range m.entries {
		if e := &m.entries[i]; e.Deleted == nil && e.Complete && e != m.cur {
			idx = append(idx, i)
		}
	}
	completed := len(idx)
	if m.cur != nil && m.cur.Complete {
		completed++
	}
	var errs []error
	removed := 0
	for k, i := range idx {
		e := &m.entries[i]
		var why []string
		if r.MaxAge > 0 {
			if e.LastTime.IsZero() || now.Sub(e.LastTime) <= r.MaxAge {
				break
			}
			why = append(why, fmt.Sprintf("last event %s, older than %s", e.LastTime.Format(time.RFC3339), r.MaxAge))
		}
		if r.Files > 0 {
			if completed-k <= r.Files {
				break
			}
			why = append(why, fmt.Sprintf("%d newer completed files kept", r.Files))
		}
		path := filepath.Join(m.dir, e.Stored)
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			break
		}
		reason := r.String() + ": " + strings.Join(why, "; ")
		e.Deleted = &Deletion{Time: now.UTC(), Reason: reason}
		m.stats.FilesDeleted++
		removed++
		m.log.Info("backup: retention removed a file", "file", e.Stored, "last_event", e.LastTime, "reason", reason)
	}
	if removed == 0 {
		return errors.Join(errs...)
	}
	if m.opts.Fsync {
		if err := syncDir(m.dir); err != nil {
			errs = append(errs, err)
		}
	}
	if err := m.writeIndex(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
