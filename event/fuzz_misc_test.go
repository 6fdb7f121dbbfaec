package event

import (
	"testing"
)

// The fuzz targets of query.go, misc.go and load.go. Invariants are those
// of fuzzBodies: no panic; a decodable body re-encodes to bytes that decode
// again and encode identically.

func FuzzQuery(f *testing.F) {
	fuzzBodies(f, [][]byte{
		queryBody([]byte{0, 0, 0, 0, 0, 12, 254, 13, 1, 0, 0}, "db", "BEGIN"),
		queryBody([]byte{12, 2, 'a', 0, 'b', 0, 130, 4, 1, 0, 0, 0, 0, 0, 0, 0, 131, 1, 1, 0, 2, 0, 99, 1}, "", "COMMIT"),
		append(queryBody(nil, "t", ""), 0x81, 1, 0x78, 0x9c, 0x4b, 0x04, 0x00, 0x00, 0x62, 0x00, 0x62),
	}, QueryEvent, MariaQueryCompressedEvent, ExecuteLoadQueryEvent)
}

func FuzzMisc(f *testing.F) {
	fuzzBodies(f, [][]byte{
		{1, 0, 0, 0, 'x', 0, 2, 63, 0, 0, 0, 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 1},
		{1, 13, 'b', 'i', 'n', 'l', 'o', 'g', '.', '0', '0', '0', '0', '4', '1', 2, 9, 0xfe, 0, 0, 0, 0x40, 1, 0, 0, 0, 0},
		{0, 1, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 'a', 'b', 'c', 'x', 'y'},
		{1, 0, 11, 'L', 'O', 'S', 'T', '_', 'E', 'V', 'E', 'N', 'T', 'S'},
		{2, 1, 0, 0, 0, 0, 0, 0, 0},
	}, RotateEvent, XIDEvent, IntvarEvent, RandEvent, UserVarEvent, StopEvent, IncidentEvent,
		HeartbeatEvent, HeartbeatEventV2, IgnorableEvent, RowsQueryEvent, XAPrepareEvent,
		TransactionContextEvent, ViewChangeEvent)
}

func FuzzLoad(f *testing.F) {
	newEx := []byte{2, ',', ';', 1, '"', 1, '\n', 0, 1, '\\', LoadOptReplace}
	fuzzBodies(f, [][]byte{
		loadBody(LoadEvent, []byte{',', '"', '\n', 0, '\\', 2, 8}),
		loadBody(NewLoadEvent, newEx),
		loadBody(CreateFileEvent, newEx),
		{2, 0, 0, 0, 'x', 'y'},
	}, LoadEvent, NewLoadEvent, CreateFileEvent, AppendBlockEvent, ExecLoadEvent, DeleteFileEvent, BeginLoadQueryEvent)
}
