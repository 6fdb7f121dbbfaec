package event

import "strconv"

// Column type codes (enum_field_types) without metadata of their own; the
// others are declared beside TableMap.
const (
	ColumnTypeTiny      byte = 1
	ColumnTypeShort     byte = 2
	ColumnTypeLong      byte = 3
	ColumnTypeNull      byte = 6
	ColumnTypeTimestamp byte = 7
	ColumnTypeLongLong  byte = 8
	ColumnTypeInt24     byte = 9
	ColumnTypeDate      byte = 10
	ColumnTypeTime      byte = 11
	ColumnTypeDatetime  byte = 12
	ColumnTypeYear      byte = 13
	ColumnTypeNewDate   byte = 14
	ColumnTypeBool      byte = 244 // never logged; listed for completeness
	ColumnTypeInvalid   byte = 243
)

var columnTypeNames = map[byte]string{
	ColumnTypeDecimal: "DECIMAL", ColumnTypeTiny: "TINY", ColumnTypeShort: "SHORT",
	ColumnTypeLong: "LONG", ColumnTypeFloat: "FLOAT", ColumnTypeDouble: "DOUBLE",
	ColumnTypeNull: "NULL", ColumnTypeTimestamp: "TIMESTAMP", ColumnTypeLongLong: "LONGLONG",
	ColumnTypeInt24: "INT24", ColumnTypeDate: "DATE", ColumnTypeTime: "TIME",
	ColumnTypeDatetime: "DATETIME", ColumnTypeYear: "YEAR", ColumnTypeNewDate: "NEWDATE",
	ColumnTypeVarchar: "VARCHAR", ColumnTypeBit: "BIT", ColumnTypeTimestamp2: "TIMESTAMP2",
	ColumnTypeDatetime2: "DATETIME2", ColumnTypeTime2: "TIME2", ColumnTypeTypedArray: "TYPED_ARRAY",
	ColumnTypeVector: "VECTOR", ColumnTypeInvalid: "INVALID", ColumnTypeBool: "BOOL",
	ColumnTypeJSON: "JSON", ColumnTypeNewDecimal: "NEWDECIMAL", ColumnTypeEnum: "ENUM",
	ColumnTypeSet: "SET", ColumnTypeTinyBlob: "TINY_BLOB", ColumnTypeMediumBlob: "MEDIUM_BLOB",
	ColumnTypeLongBlob: "LONG_BLOB", ColumnTypeBlob: "BLOB", ColumnTypeVarString: "VAR_STRING",
	ColumnTypeString: "STRING", ColumnTypeGeometry: "GEOMETRY",
}

// ColumnTypeName returns the name of a column type code as MySQL's
// enum_field_types spells it without the MYSQL_TYPE_ prefix ("LONG",
// "VARCHAR", "NEWDECIMAL", "TIMESTAMP2", …), or the number for an unknown
// code. The real type of a STRING column (ENUM, SET, or CHAR) is in its
// metadata; see TableMap.ColumnType.
func ColumnTypeName(t byte) string {
	if s, ok := columnTypeNames[t]; ok {
		return s
	}
	return strconv.Itoa(int(t))
}
