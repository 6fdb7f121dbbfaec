package rowcodec

import (
	"errors"
	"fmt"

	"github.com/binlogkit/binlogkit/event"
)

// Errors wrap the event package's sentinels, so errors.Is works across
// packages: a value that runs past its image is ErrTruncated (and
// ErrCorrupt), impossible bytes are ErrCorrupt, a type this version cannot
// decode is ErrUnsupported.
var (
	ErrCorrupt     = event.ErrCorrupt
	ErrTruncated   = event.ErrTruncated
	ErrUnsupported = event.ErrUnsupported
)

// ErrNoTableMap is wrapped by Tables.ForRows for a rows event whose table
// id has no Table_map: a stream read from a position after the Table_map,
// for example.
var ErrNoTableMap = errors.New("rowcodec: no Table_map")

// ColumnError says which column of which table a value error is about.
type ColumnError struct {
	Table  string // "db.table"
	Column int    // 0-based
	Name   string // when logged
	Type   event.ColumnType
	Err    error
}

// Error returns "rowcodec: db.t column 3 (name, type 246): cause".
func (e *ColumnError) Error() string {
	name := ""
	if e.Name != "" {
		name = e.Name + ", "
	}
	return fmt.Sprintf("rowcodec: %s column %d (%stype %d): %v", e.Table, e.Column+1, name, e.Type, e.Err)
}

// Unwrap returns the cause.
func (e *ColumnError) Unwrap() error { return e.Err }

func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

func unsupportedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)
}

// truncated reports a value running past the end of its image; it wraps
// both ErrTruncated and ErrCorrupt.
func truncated(what string, need, have int) error {
	return &truncError{what: what, need: need, have: have}
}

type truncError struct {
	what       string
	need, have int
}

func (e *truncError) Error() string {
	return fmt.Sprintf("%v: %s needs %d bytes, %d left", ErrTruncated, e.what, e.need, e.have)
}

func (e *truncError) Unwrap() []error { return []error{ErrTruncated, ErrCorrupt} }
