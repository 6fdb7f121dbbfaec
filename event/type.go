package event

import "strconv"

// Type is an event type code, the byte at offset 4 of the common header.
type Type uint8

// Event type codes written by MySQL (0–42) and MariaDB (160–172).
const (
	UnknownEvent                Type = 0
	StartEventV3                Type = 1
	QueryEvent                  Type = 2
	StopEvent                   Type = 3
	RotateEvent                 Type = 4
	IntvarEvent                 Type = 5
	LoadEvent                   Type = 6
	SlaveEvent                  Type = 7
	CreateFileEvent             Type = 8
	AppendBlockEvent            Type = 9
	ExecLoadEvent               Type = 10
	DeleteFileEvent             Type = 11
	NewLoadEvent                Type = 12
	RandEvent                   Type = 13
	UserVarEvent                Type = 14
	FormatDescriptionEvent      Type = 15
	XIDEvent                    Type = 16
	BeginLoadQueryEvent         Type = 17
	ExecuteLoadQueryEvent       Type = 18
	TableMapEvent               Type = 19
	PreGAWriteRowsEvent         Type = 20
	PreGAUpdateRowsEvent        Type = 21
	PreGADeleteRowsEvent        Type = 22
	WriteRowsEventV1            Type = 23
	UpdateRowsEventV1           Type = 24
	DeleteRowsEventV1           Type = 25
	IncidentEvent               Type = 26
	HeartbeatEvent              Type = 27
	IgnorableEvent              Type = 28
	RowsQueryEvent              Type = 29
	WriteRowsEventV2            Type = 30
	UpdateRowsEventV2           Type = 31
	DeleteRowsEventV2           Type = 32
	GTIDEvent                   Type = 33
	AnonymousGTIDEvent          Type = 34
	PreviousGTIDsEvent          Type = 35
	TransactionContextEvent     Type = 36
	ViewChangeEvent             Type = 37
	XAPrepareEvent              Type = 38
	PartialUpdateRowsEvent      Type = 39
	TransactionPayloadEvent     Type = 40
	HeartbeatEventV2            Type = 41
	GTIDTaggedEvent             Type = 42
	MariaAnnotateRowsEvent      Type = 160
	MariaBinlogCheckpointEvent  Type = 161
	MariaGTIDEvent              Type = 162
	MariaGTIDListEvent          Type = 163
	MariaStartEncryptionEvent   Type = 164
	MariaQueryCompressedEvent   Type = 165
	MariaWriteRowsCompressedV1  Type = 166
	MariaUpdateRowsCompressedV1 Type = 167
	MariaDeleteRowsCompressedV1 Type = 168
	MariaWriteRowsCompressed    Type = 169
	MariaUpdateRowsCompressed   Type = 170
	MariaDeleteRowsCompressed   Type = 171
)

// typeNames holds the servers' own enum names, the ones mysqlbinlog and
// mariadb-binlog print.
var typeNames = map[Type]string{
	UnknownEvent:                "UNKNOWN_EVENT",
	StartEventV3:                "START_EVENT_V3",
	QueryEvent:                  "QUERY_EVENT",
	StopEvent:                   "STOP_EVENT",
	RotateEvent:                 "ROTATE_EVENT",
	IntvarEvent:                 "INTVAR_EVENT",
	LoadEvent:                   "LOAD_EVENT",
	SlaveEvent:                  "SLAVE_EVENT",
	CreateFileEvent:             "CREATE_FILE_EVENT",
	AppendBlockEvent:            "APPEND_BLOCK_EVENT",
	ExecLoadEvent:               "EXEC_LOAD_EVENT",
	DeleteFileEvent:             "DELETE_FILE_EVENT",
	NewLoadEvent:                "NEW_LOAD_EVENT",
	RandEvent:                   "RAND_EVENT",
	UserVarEvent:                "USER_VAR_EVENT",
	FormatDescriptionEvent:      "FORMAT_DESCRIPTION_EVENT",
	XIDEvent:                    "XID_EVENT",
	BeginLoadQueryEvent:         "BEGIN_LOAD_QUERY_EVENT",
	ExecuteLoadQueryEvent:       "EXECUTE_LOAD_QUERY_EVENT",
	TableMapEvent:               "TABLE_MAP_EVENT",
	PreGAWriteRowsEvent:         "PRE_GA_WRITE_ROWS_EVENT",
	PreGAUpdateRowsEvent:        "PRE_GA_UPDATE_ROWS_EVENT",
	PreGADeleteRowsEvent:        "PRE_GA_DELETE_ROWS_EVENT",
	WriteRowsEventV1:            "WRITE_ROWS_EVENT_V1",
	UpdateRowsEventV1:           "UPDATE_ROWS_EVENT_V1",
	DeleteRowsEventV1:           "DELETE_ROWS_EVENT_V1",
	IncidentEvent:               "INCIDENT_EVENT",
	HeartbeatEvent:              "HEARTBEAT_LOG_EVENT",
	IgnorableEvent:              "IGNORABLE_LOG_EVENT",
	RowsQueryEvent:              "ROWS_QUERY_LOG_EVENT",
	WriteRowsEventV2:            "WRITE_ROWS_EVENT",
	UpdateRowsEventV2:           "UPDATE_ROWS_EVENT",
	DeleteRowsEventV2:           "DELETE_ROWS_EVENT",
	GTIDEvent:                   "GTID_LOG_EVENT",
	AnonymousGTIDEvent:          "ANONYMOUS_GTID_LOG_EVENT",
	PreviousGTIDsEvent:          "PREVIOUS_GTIDS_LOG_EVENT",
	TransactionContextEvent:     "TRANSACTION_CONTEXT_EVENT",
	ViewChangeEvent:             "VIEW_CHANGE_EVENT",
	XAPrepareEvent:              "XA_PREPARE_LOG_EVENT",
	PartialUpdateRowsEvent:      "PARTIAL_UPDATE_ROWS_EVENT",
	TransactionPayloadEvent:     "TRANSACTION_PAYLOAD_EVENT",
	HeartbeatEventV2:            "HEARTBEAT_LOG_EVENT_V2",
	GTIDTaggedEvent:             "GTID_TAGGED_LOG_EVENT",
	MariaAnnotateRowsEvent:      "ANNOTATE_ROWS_EVENT",
	MariaBinlogCheckpointEvent:  "BINLOG_CHECKPOINT_EVENT",
	MariaGTIDEvent:              "GTID_EVENT",
	MariaGTIDListEvent:          "GTID_LIST_EVENT",
	MariaStartEncryptionEvent:   "START_ENCRYPTION_EVENT",
	MariaQueryCompressedEvent:   "QUERY_COMPRESSED_EVENT",
	MariaWriteRowsCompressedV1:  "WRITE_ROWS_COMPRESSED_EVENT_V1",
	MariaUpdateRowsCompressedV1: "UPDATE_ROWS_COMPRESSED_EVENT_V1",
	MariaDeleteRowsCompressedV1: "DELETE_ROWS_COMPRESSED_EVENT_V1",
	MariaWriteRowsCompressed:    "WRITE_ROWS_COMPRESSED_EVENT",
	MariaUpdateRowsCompressed:   "UPDATE_ROWS_COMPRESSED_EVENT",
	MariaDeleteRowsCompressed:   "DELETE_ROWS_COMPRESSED_EVENT",
}

// typeNameOf is typeNames by code, for String's every call.
var typeNameOf = func() (a [256]string) {
	for t, s := range typeNames {
		a[t] = s
	}
	return a
}()

// String returns the server's enum name (e.g. "WRITE_ROWS_EVENT"), or
// "UNKNOWN_EVENT_<code>" for a code no server version defines.
func (t Type) String() string {
	if s := typeNameOf[t]; s != "" {
		return s
	}
	return "UNKNOWN_EVENT_" + strconv.Itoa(int(t))
}

// GoString returns the Go constant name's value form, e.g. "event.Type(30)".
func (t Type) GoString() string { return "event.Type(" + strconv.Itoa(int(t)) + ")" }

// Known reports whether t is a type code some MySQL or MariaDB version defines.
func (t Type) Known() bool { return typeNameOf[t] != "" }

// TypeByName returns the type whose String is name.
func TypeByName(name string) (Type, bool) {
	for t, s := range typeNames {
		if s == name {
			return t, true
		}
	}
	return 0, false
}

// IsRows reports whether t is a rows event of any version, MySQL or MariaDB,
// compressed or not, including PARTIAL_UPDATE_ROWS.
func (t Type) IsRows() bool {
	switch {
	case t >= PreGAWriteRowsEvent && t <= DeleteRowsEventV1,
		t >= WriteRowsEventV2 && t <= DeleteRowsEventV2,
		t == PartialUpdateRowsEvent,
		t >= MariaWriteRowsCompressedV1 && t <= MariaDeleteRowsCompressed:
		return true
	}
	return false
}

// RowsKind is the operation a rows event records.
type RowsKind uint8

// Row operations.
const (
	RowsNone   RowsKind = iota // not a rows event
	RowsWrite                  // INSERT: after images
	RowsUpdate                 // UPDATE: before and after image pairs
	RowsDelete                 // DELETE: before images
)

// String returns "WRITE", "UPDATE", "DELETE" or "".
func (k RowsKind) String() string {
	switch k {
	case RowsWrite:
		return "WRITE"
	case RowsUpdate:
		return "UPDATE"
	case RowsDelete:
		return "DELETE"
	}
	return ""
}

// RowsKind returns the operation of a rows event type, RowsNone for others.
func (t Type) RowsKind() RowsKind {
	switch t {
	case PreGAWriteRowsEvent, WriteRowsEventV1, WriteRowsEventV2, MariaWriteRowsCompressedV1, MariaWriteRowsCompressed:
		return RowsWrite
	case PreGAUpdateRowsEvent, UpdateRowsEventV1, UpdateRowsEventV2, PartialUpdateRowsEvent, MariaUpdateRowsCompressedV1, MariaUpdateRowsCompressed:
		return RowsUpdate
	case PreGADeleteRowsEvent, DeleteRowsEventV1, DeleteRowsEventV2, MariaDeleteRowsCompressedV1, MariaDeleteRowsCompressed:
		return RowsDelete
	}
	return RowsNone
}
