package event

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/binlogkit/binlogkit/internal/bin"
)

// ChecksumAlg is the checksum algorithm a FORMAT_DESCRIPTION announces.
type ChecksumAlg uint8

// Checksum algorithms.
const (
	ChecksumOff       ChecksumAlg = 0
	ChecksumCRC32     ChecksumAlg = 1
	ChecksumUndefined ChecksumAlg = 255 // servers before 5.6.1 / MariaDB 5.3: no checksum byte
)

// String returns "NONE", "CRC32", "UNDEFINED" or the number.
func (a ChecksumAlg) String() string {
	switch a {
	case ChecksumOff:
		return "NONE"
	case ChecksumCRC32:
		return "CRC32"
	case ChecksumUndefined:
		return "UNDEFINED"
	}
	return strconv.Itoa(int(a))
}

// Flavor tells MySQL and MariaDB binlogs apart. The zero value,
// FlavorUnknown, stands for "not known yet" (DialConfig detects it from the
// server).
type Flavor uint8

// Flavors.
const (
	FlavorUnknown Flavor = iota
	MySQL
	MariaDB
)

// String returns "mysql", "mariadb" or "" for FlavorUnknown.
func (f Flavor) String() string {
	switch f {
	case MySQL:
		return "mysql"
	case MariaDB:
		return "mariadb"
	case FlavorUnknown:
		return ""
	}
	return "Flavor(" + itoa(uint64(f)) + ")"
}

// ParseFlavor returns the flavor named s ("mysql" or "mariadb", in any
// case; "" is FlavorUnknown).
func ParseFlavor(s string) (Flavor, error) {
	switch {
	case s == "":
		return FlavorUnknown, nil
	case equalFold([]byte(s), "MYSQL"):
		return MySQL, nil
	case equalFold([]byte(s), "MARIADB"):
		return MariaDB, nil
	}
	return FlavorUnknown, errors.New("event: unknown flavor " + strconv.Quote(s) + " (want mysql or mariadb)")
}

const serverVersionLen = 50

// FormatDescription is the FORMAT_DESCRIPTION_EVENT (type 15) body, and the
// decoding context for every later event in the file: header length,
// post-header lengths per type and the checksum algorithm. A decoded value
// aliases its input; a *FormatDescription handed out as Event.Format is an
// owned copy that is never mutated.
type FormatDescription struct {
	BinlogVersion   uint16
	ServerVersion   []byte // 50 bytes as written, NUL padded; see Version
	CreateTimestamp uint32
	HeaderLength    uint8
	// PostHeaderLengths[t-1] is the post-header length of type t.
	PostHeaderLengths []byte
	// ChecksumAlg is the checksum algorithm of the file's events;
	// ChecksumUndefined when the FDE has no algorithm byte (5.0–5.6.0).
	ChecksumAlg ChecksumAlg
}

func init() {
	register(func() Body { return new(FormatDescription) }, FormatDescriptionEvent)
	register(func() Body { return new(StartV3) }, StartEventV3)
}

// EventType returns FormatDescriptionEvent.
func (*FormatDescription) EventType() Type { return FormatDescriptionEvent }

// Version returns the server version string without its NUL padding.
func (f *FormatDescription) Version() string {
	v := f.ServerVersion
	if i := bytes.IndexByte(v, 0); i >= 0 {
		v = v[:i]
	}
	return string(v)
}

// Flavor reports MariaDB when the server version says so.
func (f *FormatDescription) Flavor() Flavor {
	if bytes.Contains(f.ServerVersion, []byte("MariaDB")) {
		return MariaDB
	}
	return MySQL
}

// HasChecksumAlg reports whether the event carries the checksum algorithm byte
// (and a checksum after it): servers from MySQL 5.6.1 and MariaDB 5.3 on.
func (f *FormatDescription) HasChecksumAlg() bool { return f.ChecksumAlg != ChecksumUndefined }

// PostHeaderLen returns the post-header length of type t, or def when the FDE
// does not list t.
func (f *FormatDescription) PostHeaderLen(t Type, def int) int {
	if t == 0 || int(t) > len(f.PostHeaderLengths) {
		return def
	}
	return int(f.PostHeaderLengths[t-1])
}

// Clone returns a copy sharing no memory with f.
func (f *FormatDescription) Clone() *FormatDescription {
	c := *f
	c.ServerVersion = bytes.Clone(f.ServerVersion)
	c.PostHeaderLengths = bytes.Clone(f.PostHeaderLengths)
	return &c
}

// VersionChecksumAware reports whether a server of version v (the text of a
// FORMAT_DESCRIPTION, e.g. "8.0.32-log" or "10.5.15-MariaDB-log") writes the
// checksum algorithm byte: MySQL from 5.6.1 on, MariaDB from 5.3 on.
func VersionChecksumAware(v []byte) bool {
	maj, min, patch := splitVersion(v)
	if bytes.Contains(v, []byte("MariaDB")) {
		return maj > 5 || maj == 5 && min >= 3
	}
	switch {
	case maj != 5:
		return maj > 5
	case min != 6:
		return min > 6
	}
	return patch >= 1
}

func splitVersion(v []byte) (maj, min, patch int) {
	var parts [3]int
	i := 0
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			if parts[i] < 1e6 {
				parts[i] = parts[i]*10 + int(c-'0')
			}
		case c == '.' && i < 2:
			i++
		default:
			return parts[0], parts[1], parts[2]
		}
	}
	return parts[0], parts[1], parts[2]
}

// FormatDescriptionBodyLen returns the length of a FORMAT_DESCRIPTION body
// within rest (the event bytes after the common header): everything but the
// trailing checksum when the server version in it writes one. A reader of
// raw events needs it because the FORMAT_DESCRIPTION is what says whether
// events carry checksums: its own checksum is known only from its server
// version (a binlog mirror uses it to verify the CRC32 of each file's first
// event).
func FormatDescriptionBodyLen(rest []byte) int {
	if len(rest) >= 2+serverVersionLen && VersionChecksumAware(rest[2:2+serverVersionLen]) && len(rest) >= 2+serverVersionLen+4+1+1+ChecksumLen {
		return len(rest) - ChecksumLen
	}
	return len(rest)
}

// DecodeBody decodes a FORMAT_DESCRIPTION body (without the trailing checksum).
func (f *FormatDescription) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*f = FormatDescription{}
	r := bin.NewReader(b)
	f.BinlogVersion = r.U16()
	f.ServerVersion = r.Bytes(serverVersionLen)
	f.CreateTimestamp = r.U32()
	f.HeaderLength = r.U8()
	if r.Err() != nil {
		return short("format description")
	}
	if f.HeaderLength < HeaderLen {
		return corruptf("format description: header length %d", f.HeaderLength)
	}
	rest := r.Rest()
	f.ChecksumAlg = ChecksumUndefined
	if VersionChecksumAware(f.ServerVersion) {
		if len(rest) == 0 {
			return short("format description")
		}
		f.ChecksumAlg = ChecksumAlg(rest[len(rest)-1])
		if f.ChecksumAlg == ChecksumUndefined {
			// 255 means "no algorithm byte": a server that writes one never
			// writes that value.
			return corruptf("format description: checksum algorithm byte 255")
		}
		rest = rest[: len(rest)-1 : len(rest)-1]
	}
	f.PostHeaderLengths = rest
	return nil
}

// AppendBody appends the encoded body.
func (f *FormatDescription) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	dst = bin.AppendU16(dst, f.BinlogVersion)
	dst = appendFixed(dst, f.ServerVersion, serverVersionLen)
	dst = bin.AppendU32(dst, f.CreateTimestamp)
	dst = append(dst, f.HeaderLength)
	dst = append(dst, f.PostHeaderLengths...)
	if f.ChecksumAlg != ChecksumUndefined {
		dst = append(dst, byte(f.ChecksumAlg))
	}
	return dst, nil
}

// appendFixed appends b cut or NUL-padded to n bytes.
func appendFixed(dst, b []byte, n int) []byte {
	if len(b) > n {
		b = b[:n]
	}
	dst = append(dst, b...)
	for i := len(b); i < n; i++ {
		dst = append(dst, 0)
	}
	return dst
}

// mysql80PostHeader lists the post-header lengths MySQL 8.0 announces, types 1–42.
var mysql80PostHeader = []byte{
	56, 13, 0, 8, 0, 18, 0, 4, 4, 4, 4, 18, 0, 0, 98, 0, 4, 26, 8, 0, 0, 0, 8, 8, 8, 2, 0, 0, 0,
	10, 10, 10, 42, 42, 0, 18, 52, 0, 10, 40, 0, 42,
}

var defaultFormat = &FormatDescription{
	BinlogVersion:     4,
	ServerVersion:     append([]byte("8.0.0"), make([]byte, serverVersionLen-5)...),
	HeaderLength:      HeaderLen,
	PostHeaderLengths: mysql80PostHeader,
	ChecksumAlg:       ChecksumOff,
}

// DefaultFormat returns the context used before any FORMAT_DESCRIPTION is
// seen: binlog v4, MySQL 8.0 post-header lengths, no checksums. It must not be
// modified.
func DefaultFormat() *FormatDescription { return defaultFormat }

// NewFormatDescription returns a FORMAT_DESCRIPTION for fabricating a stream as
// a server of the given version and flavor would, with MySQL 8.0 or MariaDB
// 10.x post-header lengths and the given checksum algorithm.
func NewFormatDescription(version string, alg ChecksumAlg) *FormatDescription {
	f := &FormatDescription{
		BinlogVersion:     4,
		ServerVersion:     appendFixed(nil, []byte(version), serverVersionLen),
		HeaderLength:      HeaderLen,
		PostHeaderLengths: bytes.Clone(mysql80PostHeader),
		ChecksumAlg:       alg,
	}
	if f.Flavor() == MariaDB {
		ph := make([]byte, 171)
		copy(ph, mysql80PostHeader[:35])
		ph[MariaAnnotateRowsEvent-1] = 0
		ph[MariaBinlogCheckpointEvent-1] = 4
		ph[MariaGTIDEvent-1] = 19
		ph[MariaGTIDListEvent-1] = 4
		ph[MariaStartEncryptionEvent-1] = 0
		ph[MariaQueryCompressedEvent-1] = 13
		for t := MariaWriteRowsCompressedV1; t <= MariaDeleteRowsCompressedV1; t++ {
			ph[t-1] = 8
		}
		for t := MariaWriteRowsCompressed; t <= MariaDeleteRowsCompressed; t++ {
			ph[t-1] = 10
		}
		f.PostHeaderLengths = ph
	}
	return f
}

// StartV3 is the START_EVENT_V3 (type 1) body written by servers before 5.0.
type StartV3 struct {
	BinlogVersion   uint16
	ServerVersion   []byte // 50 bytes, NUL padded
	CreateTimestamp uint32
}

// EventType returns StartEventV3.
func (*StartV3) EventType() Type { return StartEventV3 }

// DecodeBody decodes the body.
func (s *StartV3) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	r := bin.NewReader(b)
	s.BinlogVersion = r.U16()
	s.ServerVersion = r.Bytes(serverVersionLen)
	s.CreateTimestamp = r.U32()
	if r.Err() != nil || r.Len() != 0 {
		return corruptf("start v3: body of %d bytes, want 56", len(b))
	}
	return nil
}

// AppendBody appends the encoded body.
func (s *StartV3) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	dst = bin.AppendU16(dst, s.BinlogVersion)
	dst = appendFixed(dst, s.ServerVersion, serverVersionLen)
	return bin.AppendU32(dst, s.CreateTimestamp), nil
}

// Unknown is the body of an event type this package does not decode. It is
// never an error: Data keeps the raw body.
type Unknown struct {
	Type Type
	Data []byte
}

// EventType returns the type the event was read with.
func (u *Unknown) EventType() Type { return u.Type }

// DecodeBody keeps b as Data.
func (u *Unknown) DecodeBody(_ *FormatDescription, t Type, b []byte) error {
	u.Type, u.Data = t, b
	return nil
}

// AppendBody appends Data.
func (u *Unknown) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	return append(dst, u.Data...), nil
}
