package event

import (
	"encoding/binary"

	"github.com/binlogkit/binlogkit/internal/bin"
)

// HeaderLen is the size of the v4 common header.
const HeaderLen = 19

// ChecksumLen is the size of a CRC32 event checksum.
const ChecksumLen = 4

// MagicLen is the size of the "\xfebin" magic that starts every binlog file.
const MagicLen = 4

// Magic is the 4-byte signature at the start of a binlog file.
var Magic = [MagicLen]byte{0xfe, 'b', 'i', 'n'}

// Header flags (the 2-byte flags field of the common header).
const (
	FlagBinlogInUse     uint16 = 0x0001 // LOG_EVENT_BINLOG_IN_USE_F: only on a FORMAT_DESCRIPTION
	FlagForcedRotate    uint16 = 0x0002 // LOG_EVENT_FORCED_ROTATE_F
	FlagThreadSpecific  uint16 = 0x0004 // LOG_EVENT_THREAD_SPECIFIC_F
	FlagSuppressUse     uint16 = 0x0008 // LOG_EVENT_SUPPRESS_USE_F
	FlagUpdateTableMap  uint16 = 0x0010 // LOG_EVENT_UPDATE_TABLE_MAP_VERSION_F
	FlagArtificial      uint16 = 0x0020 // LOG_EVENT_ARTIFICIAL_F
	FlagRelayLog        uint16 = 0x0040 // LOG_EVENT_RELAY_LOG_F
	FlagIgnorable       uint16 = 0x0080 // LOG_EVENT_IGNORABLE_F: unknown types may be skipped
	FlagNoFilter        uint16 = 0x0100 // LOG_EVENT_NO_FILTER_F
	FlagMTSIsolate      uint16 = 0x0200 // LOG_EVENT_MTS_ISOLATE_F
	FlagSkipReplication uint16 = 0x8000 // MariaDB LOG_EVENT_SKIP_REPLICATION_F
)

// Header is the 19-byte common header every v4 event starts with.
type Header struct {
	Timestamp uint32 // seconds since the Unix epoch, UTC
	Type      Type
	ServerID  uint32
	EventSize uint32 // header + body + checksum
	LogPos    uint32 // end_log_pos: the position of the next event (0 in some relay and MariaDB events)
	Flags     uint16
}

// ParseHeader decodes the common header at the start of b.
func ParseHeader(b []byte) (Header, error) {
	if len(b) < HeaderLen {
		return Header{}, ErrTruncated
	}
	b = b[:HeaderLen]
	return Header{
		Timestamp: binary.LittleEndian.Uint32(b[0:4]),
		Type:      Type(b[4]),
		ServerID:  binary.LittleEndian.Uint32(b[5:9]),
		EventSize: binary.LittleEndian.Uint32(b[9:13]),
		LogPos:    binary.LittleEndian.Uint32(b[13:17]),
		Flags:     binary.LittleEndian.Uint16(b[17:19]),
	}, nil
}

// Append appends the 19-byte encoding of h to dst.
func (h Header) Append(dst []byte) []byte {
	dst = bin.AppendU32(dst, h.Timestamp)
	dst = append(dst, byte(h.Type))
	dst = bin.AppendU32(dst, h.ServerID)
	dst = bin.AppendU32(dst, h.EventSize)
	dst = bin.AppendU32(dst, h.LogPos)
	return bin.AppendU16(dst, h.Flags)
}

// Checksum returns the CRC32 (IEEE) a server writes after the event bytes
// ev (header and body, without the checksum). For a FORMAT_DESCRIPTION event
// the in-use flag is taken as cleared, as servers compute it: the flag is
// cleared in place when the file is closed without rewriting the checksum.
func Checksum(ev []byte) uint32 {
	if len(ev) >= HeaderLen && Type(ev[4]) == FormatDescriptionEvent && ev[17]&byte(FlagBinlogInUse) != 0 {
		c := crcIEEE(0, ev[:17])
		c = crcIEEE(c, []byte{ev[17] &^ byte(FlagBinlogInUse)})
		return crcIEEE(c, ev[18:])
	}
	return crcIEEE(0, ev)
}
