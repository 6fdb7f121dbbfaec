package binlog

import (
	"errors"
	"strconv"

	"github.com/binlogkit/binlogkit/event"
)

// Sentinel errors, the same values as package event's, so errors.Is works
// whichever package a caller imports.
var (
	ErrChecksum    = event.ErrChecksum    // an event's CRC32 does not match its bytes
	ErrTruncated   = event.ErrTruncated   // an event runs past the end of its input
	ErrCorrupt     = event.ErrCorrupt     // bytes that cannot be what they claim
	ErrUnsupported = event.ErrUnsupported // a valid construct this version cannot handle
)

// ErrBadMagic reports an input that does not start with the binlog magic
// "\xfebin" (nor with a supported compression signature). It wraps ErrCorrupt.
var ErrBadMagic = &wrapped{msg: "binlog: not a binlog file (bad magic)", err: ErrCorrupt}

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }

// Error is a decoding error with its position: the file, the byte offset of
// the event's first byte and the event type. It unwraps to the cause, which
// wraps one of the sentinels.
type Error struct {
	File   string     // the file name as given ("" when unknown)
	Offset uint64     // byte offset of the event's start in File
	Type   event.Type // the event type, when the header could be read
	// HasType reports whether Type is known (the header was read).
	HasType bool
	// PayloadOffset is the offset within the uncompressed TRANSACTION_PAYLOAD
	// at Offset when the error is in an inner event, else -1.
	PayloadOffset int64
	Err           error
}

// Error returns "FILE: at byte N (TYPE): cause".
func (e *Error) Error() string {
	b := make([]byte, 0, 96)
	if e.File != "" {
		b = append(b, e.File...)
		b = append(b, ": "...)
	}
	b = append(b, "at byte "...)
	b = strconv.AppendUint(b, e.Offset, 10)
	if e.PayloadOffset >= 0 {
		b = append(b, " (inside its transaction payload at "...)
		b = strconv.AppendInt(b, e.PayloadOffset, 10)
		b = append(b, ')')
	}
	if e.HasType {
		b = append(b, " ("...)
		b = append(b, e.Type.String()...)
		b = append(b, ')')
	}
	b = append(b, ": "...)
	if e.Err != nil {
		b = append(b, e.Err.Error()...)
	}
	return string(b)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// AsError returns err as an *Error when it is one (or wraps one).
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
