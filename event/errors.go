package event

import (
	"errors"
	"fmt"
)

// Sentinel errors. Decode errors wrap one of them, so callers can test with
// errors.Is; the binlog package adds the file, offset and event type.
var (
	// ErrChecksum reports an event whose CRC32 does not match its bytes.
	ErrChecksum = errors.New("binlog: checksum mismatch")
	// ErrTruncated reports an event cut short: its declared size runs past the
	// bytes present.
	ErrTruncated = errors.New("binlog: truncated event")
	// ErrCorrupt reports bytes that cannot be what the event type says.
	ErrCorrupt = errors.New("binlog: corrupt event")
	// ErrUnsupported reports a valid construct this version cannot decode
	// (for example an unknown compression algorithm).
	ErrUnsupported = errors.New("binlog: unsupported")
)

// corruptf returns an error wrapping ErrCorrupt.
func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

// unsupportedf returns an error wrapping ErrUnsupported.
func unsupportedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)
}

// truncatedf returns an error for a length inside the event that runs past
// its end: it wraps both ErrTruncated and ErrCorrupt (a cut event is one kind
// of corrupt event).
func truncatedf(format string, args ...any) error {
	return &truncError{msg: fmt.Sprintf(format, args...)}
}

type truncError struct{ msg string }

func (e *truncError) Error() string   { return ErrTruncated.Error() + ": " + e.msg }
func (e *truncError) Unwrap() []error { return []error{ErrTruncated, ErrCorrupt} }

// short returns a truncatedf error for a body shorter than its layout needs.
func short(what string) error { return truncatedf("%s: body too short", what) }
