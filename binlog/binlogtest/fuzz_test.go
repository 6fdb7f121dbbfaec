package binlogtest

import (
	"encoding/binary"
	"testing"
)

// FuzzParseDump decodes arbitrary COM_BINLOG_DUMP and COM_BINLOG_DUMP_GTID
// arguments, and the query texts the server splits.
func FuzzParseDump(f *testing.F) {
	dump := binary.LittleEndian.AppendUint32(nil, 4)
	dump = binary.LittleEndian.AppendUint16(dump, 1)
	dump = binary.LittleEndian.AppendUint32(dump, 99)
	dump = append(dump, "binlog.000001"...)
	f.Add(dump, "@master_binlog_checksum = @@global.binlog_checksum, @x='a,b'")
	gtid := binary.LittleEndian.AppendUint16(nil, 4)
	gtid = binary.LittleEndian.AppendUint32(gtid, 99)
	gtid = binary.LittleEndian.AppendUint32(gtid, 0)
	gtid = binary.LittleEndian.AppendUint64(gtid, 4)
	set := binary.LittleEndian.AppendUint64(nil, 1)
	set = append(set, make([]byte, 16)...)
	set = binary.LittleEndian.AppendUint64(set, 1)
	set = binary.LittleEndian.AppendUint64(set, 1)
	set = binary.LittleEndian.AppendUint64(set, 5)
	gtid = binary.LittleEndian.AppendUint32(gtid, uint32(len(set)))
	f.Add(append(gtid, set...), "(a, b), 'c")
	f.Fuzz(func(t *testing.T, arg []byte, q string) {
		parseDump(arg, false)
		parseDump(arg, true)
		splitTop(q)
		fileFormat(arg)
	})
}
