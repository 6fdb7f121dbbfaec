package event

import "strconv"

// ColumnType is a column type code as logged in a TABLE_MAP event (MySQL's
// enum_field_types). The code decides the size and meaning of the column's
// metadata and of its values in row images; the real type of a STRING column
// (ENUM, SET or CHAR) is in its metadata, see TableMap.ColumnType.
type ColumnType uint8

// The column type codes.
const (
	ColumnTypeDecimal    ColumnType = 0 // DECIMAL before MySQL 5.0.3 (MariaDB 10.1 still logs it for old tables)
	ColumnTypeTiny       ColumnType = 1
	ColumnTypeShort      ColumnType = 2
	ColumnTypeLong       ColumnType = 3
	ColumnTypeFloat      ColumnType = 4
	ColumnTypeDouble     ColumnType = 5
	ColumnTypeNull       ColumnType = 6
	ColumnTypeTimestamp  ColumnType = 7
	ColumnTypeLongLong   ColumnType = 8
	ColumnTypeInt24      ColumnType = 9
	ColumnTypeDate       ColumnType = 10
	ColumnTypeTime       ColumnType = 11
	ColumnTypeDatetime   ColumnType = 12
	ColumnTypeYear       ColumnType = 13
	ColumnTypeNewDate    ColumnType = 14
	ColumnTypeVarchar    ColumnType = 15
	ColumnTypeBit        ColumnType = 16
	ColumnTypeTimestamp2 ColumnType = 17
	ColumnTypeDatetime2  ColumnType = 18
	ColumnTypeTime2      ColumnType = 19
	ColumnTypeTypedArray ColumnType = 20 // MySQL 8.0.17+ multi-valued index; metadata starts with the element type
	ColumnTypeVector     ColumnType = 242
	ColumnTypeInvalid    ColumnType = 243
	ColumnTypeBool       ColumnType = 244 // never logged; listed for completeness
	ColumnTypeJSON       ColumnType = 245
	ColumnTypeNewDecimal ColumnType = 246
	ColumnTypeEnum       ColumnType = 247
	ColumnTypeSet        ColumnType = 248
	ColumnTypeTinyBlob   ColumnType = 249
	ColumnTypeMediumBlob ColumnType = 250
	ColumnTypeLongBlob   ColumnType = 251
	ColumnTypeBlob       ColumnType = 252
	ColumnTypeVarString  ColumnType = 253
	ColumnTypeString     ColumnType = 254
	ColumnTypeGeometry   ColumnType = 255
)

// columnTypeNames are the names of the codes as MySQL's enum_field_types
// spells them without the MYSQL_TYPE_ prefix, and the constants' Go names.
var columnTypeNames = [256]struct{ sql, gostr string }{
	ColumnTypeDecimal: {"DECIMAL", "Decimal"}, ColumnTypeTiny: {"TINY", "Tiny"}, ColumnTypeShort: {"SHORT", "Short"},
	ColumnTypeLong: {"LONG", "Long"}, ColumnTypeFloat: {"FLOAT", "Float"}, ColumnTypeDouble: {"DOUBLE", "Double"},
	ColumnTypeNull: {"NULL", "Null"}, ColumnTypeTimestamp: {"TIMESTAMP", "Timestamp"}, ColumnTypeLongLong: {"LONGLONG", "LongLong"},
	ColumnTypeInt24: {"INT24", "Int24"}, ColumnTypeDate: {"DATE", "Date"}, ColumnTypeTime: {"TIME", "Time"},
	ColumnTypeDatetime: {"DATETIME", "Datetime"}, ColumnTypeYear: {"YEAR", "Year"}, ColumnTypeNewDate: {"NEWDATE", "NewDate"},
	ColumnTypeVarchar: {"VARCHAR", "Varchar"}, ColumnTypeBit: {"BIT", "Bit"}, ColumnTypeTimestamp2: {"TIMESTAMP2", "Timestamp2"},
	ColumnTypeDatetime2: {"DATETIME2", "Datetime2"}, ColumnTypeTime2: {"TIME2", "Time2"}, ColumnTypeTypedArray: {"TYPED_ARRAY", "TypedArray"},
	ColumnTypeVector: {"VECTOR", "Vector"}, ColumnTypeInvalid: {"INVALID", "Invalid"}, ColumnTypeBool: {"BOOL", "Bool"},
	ColumnTypeJSON: {"JSON", "JSON"}, ColumnTypeNewDecimal: {"NEWDECIMAL", "NewDecimal"}, ColumnTypeEnum: {"ENUM", "Enum"},
	ColumnTypeSet: {"SET", "Set"}, ColumnTypeTinyBlob: {"TINY_BLOB", "TinyBlob"}, ColumnTypeMediumBlob: {"MEDIUM_BLOB", "MediumBlob"},
	ColumnTypeLongBlob: {"LONG_BLOB", "LongBlob"}, ColumnTypeBlob: {"BLOB", "Blob"}, ColumnTypeVarString: {"VAR_STRING", "VarString"},
	ColumnTypeString: {"STRING", "String"}, ColumnTypeGeometry: {"GEOMETRY", "Geometry"},
}

// String returns the type's name as MySQL's enum_field_types spells it
// without the MYSQL_TYPE_ prefix ("LONG", "VARCHAR", "NEWDECIMAL",
// "TIMESTAMP2", …), or the number for an unknown code.
func (t ColumnType) String() string {
	if n := columnTypeNames[t].sql; n != "" {
		return n
	}
	return strconv.Itoa(int(t))
}

// GoString returns the constant's Go name ("event.ColumnTypeLong"), or
// "event.ColumnType(N)" for an unknown code.
func (t ColumnType) GoString() string {
	if n := columnTypeNames[t].gostr; n != "" {
		return "event.ColumnType" + n
	}
	return "event.ColumnType(" + strconv.Itoa(int(t)) + ")"
}
