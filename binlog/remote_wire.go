package binlog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"

	"github.com/binlogkit/binlogkit/internal/mysqlproto"
)

// frameReader reads the packets of a binlog dump. Packets that fit its
// buffer are returned without copying; larger ones (and payloads split over
// several packets) are reassembled in a buffer grown as bytes arrive.
// Sequence ids are not checked: a semi-sync ACK restarts the replica's
// numbering while the server's goes on.
type frameReader struct {
	br    *bufio.Reader
	limit int
	big   []byte
}

func (f *frameReader) reset(c net.Conn, limit int) {
	if f.br == nil {
		f.br = bufio.NewReaderSize(c, readBufferSize)
	} else {
		f.br.Reset(c)
	}
	f.limit = limit
}

var errFrameTooLarge = errors.New("binlog: packet larger than the event size limit")

func (f *frameReader) next() ([]byte, error) {
	hdr, err := f.br.Peek(4)
	if err != nil {
		if len(hdr) > 0 && errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	n := int(hdr[0]) | int(hdr[1])<<8 | int(hdr[2])<<16
	if n < mysqlproto.MaxPayload && 4+n <= f.br.Size() {
		b, err := f.br.Peek(4 + n)
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		f.br.Discard(4 + n)
		return b[4:], nil
	}
	f.big = f.big[:0]
	for {
		var h [4]byte
		if _, err := io.ReadFull(f.br, h[:]); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		n := int(h[0]) | int(h[1])<<8 | int(h[2])<<16
		if len(f.big)+n > f.limit {
			return nil, fmt.Errorf("%w (%d bytes)", errFrameTooLarge, f.limit)
		}
		for got := 0; got < n; {
			chunk := min(n-got, max(len(f.big), readBufferSize))
			f.big = growLen(f.big, chunk)
			m, err := io.ReadFull(f.br, f.big[len(f.big)-chunk:])
			f.big = f.big[:len(f.big)-chunk+m]
			got += m
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				return nil, err
			}
		}
		if n < mysqlproto.MaxPayload {
			return f.big, nil
		}
	}
}

func firstByteOf(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

func gtidString(s *GTIDSet) string {
	if s == nil {
		return ""
	}
	return s.String()
}

func isServerError(err error, codes ...uint16) bool {
	var se *mysqlproto.ServerError
	if !errors.As(err, &se) {
		return false
	}
	for _, c := range codes {
		if se.Code == c {
			return true
		}
	}
	return false
}

// versionAtLeast reports whether a version string such as "8.4.3-log"
// is at least major.minor.
func versionAtLeast(v string, major, minor int) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(strings.TrimLeftFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
	if err1 != nil || err2 != nil {
		return false
	}
	return ma > major || ma == major && mi >= minor
}

// Server errors after which a new connection may succeed: the server going
// down or too busy, the dump thread killed or timed out.
var retryableCodes = []uint16{
	1040,                   // ER_CON_COUNT_ERROR: too many connections
	1053,                   // ER_SERVER_SHUTDOWN
	1152,                   // ER_ABORTING_CONNECTION
	1158, 1159, 1160, 1161, // ER_NET_READ_ERROR, …_READ_INTERRUPTED, …_ERROR_ON_WRITE, …_WRITE_INTERRUPTED
	1184, // ER_NEW_ABORTING_CONNECTION
	1317, // ER_QUERY_INTERRUPTED
	1927, // ER_CONNECTION_KILLED (MariaDB)
	4031, // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
}

// retryable reports whether err is a dropped or refused connection, a
// silent one, or a server going away: worth a reconnect, unlike bad
// credentials, a missing binlog or a corrupt event.
func retryable(err error) bool {
	if err == nil {
		return false
	}
	var se *mysqlproto.ServerError
	if errors.As(err, &se) {
		return isServerError(err, retryableCodes...)
	}
	if errors.Is(err, errFrameTooLarge) || errors.Is(err, ErrChecksum) || errors.Is(err, ErrCorrupt) {
		return false
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.ETIMEDOUT) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe)
}
