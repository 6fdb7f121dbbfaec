package mask

import (
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

const collationBinary = 63

func isCharType(t event.ColumnType) bool {
	return t == event.ColumnTypeString
}

func isVarcharType(t event.ColumnType) bool {
	return t == event.ColumnTypeVarchar || t == event.ColumnTypeVarString
}

func isBlobType(t event.ColumnType) bool {
	switch t {
	case event.ColumnTypeTinyBlob, event.ColumnTypeBlob, event.ColumnTypeMediumBlob, event.ColumnTypeLongBlob:
		return true
	}
	return false
}

// blobSize returns 1 (tiny), 2, 3 (medium) or 4 (long) for a BLOB/TEXT
// column.
func blobSize(c *rowcodec.Column) uint32 {
	switch c.Type {
	case event.ColumnTypeTinyBlob:
		return 1
	case event.ColumnTypeMediumBlob:
		return 3
	case event.ColumnTypeLongBlob:
		return 4
	}
	if c.Meta == 0 {
		return 2
	}
	return c.Meta
}

// A text column is a non-binary one; when the character set was not logged
// (collation 0) a column counts as both text and binary.
func isText(c *rowcodec.Column) bool   { return c.Collation != collationBinary }
func isBinary(c *rowcodec.Column) bool { return c.Collation == collationBinary || c.Collation == 0 }

func typeIs(types ...event.ColumnType) func(c *rowcodec.Column) bool {
	return func(c *rowcodec.Column) bool {
		for _, t := range types {
			if c.Type == t {
				return true
			}
		}
		return false
	}
}

func blobOf(size uint32, text bool) func(c *rowcodec.Column) bool {
	return func(c *rowcodec.Column) bool {
		if !isBlobType(c.Type) || size != 0 && blobSize(c) != size {
			return false
		}
		if text {
			return isText(c)
		}
		return isBinary(c)
	}
}

func anyOf(fs ...func(c *rowcodec.Column) bool) func(c *rowcodec.Column) bool {
	return func(c *rowcodec.Column) bool {
		for _, f := range fs {
			if f(c) {
				return true
			}
		}
		return false
	}
}

var (
	matchChar      = func(c *rowcodec.Column) bool { return isCharType(c.Type) && isText(c) }
	matchVarchar   = func(c *rowcodec.Column) bool { return isVarcharType(c.Type) && isText(c) }
	matchBinary    = func(c *rowcodec.Column) bool { return isCharType(c.Type) && c.Collation == collationBinary }
	matchVarbinary = func(c *rowcodec.Column) bool { return isVarcharType(c.Type) && c.Collation == collationBinary }
	matchInteger   = typeIs(event.ColumnTypeTiny, event.ColumnTypeShort, event.ColumnTypeInt24, event.ColumnTypeLong, event.ColumnTypeLongLong)
	matchDecimal   = typeIs(event.ColumnTypeNewDecimal, event.ColumnTypeDecimal)
	matchTemporal  = typeIs(event.ColumnTypeDate, event.ColumnTypeNewDate, event.ColumnTypeTime, event.ColumnTypeTime2,
		event.ColumnTypeDatetime, event.ColumnTypeDatetime2, event.ColumnTypeTimestamp, event.ColumnTypeTimestamp2, event.ColumnTypeYear)
)

// typeMatchers maps the type names a rule may give to column tests. The
// names are MySQL's; groups: string (CHAR, VARCHAR and TEXT types), bytes
// (BINARY, VARBINARY and BLOB types), integer, number (integers, DECIMAL,
// FLOAT, DOUBLE) and temporal.
var typeMatchers = map[string]func(c *rowcodec.Column) bool{
	"tinyint":    typeIs(event.ColumnTypeTiny),
	"smallint":   typeIs(event.ColumnTypeShort),
	"mediumint":  typeIs(event.ColumnTypeInt24),
	"int":        typeIs(event.ColumnTypeLong),
	"bigint":     typeIs(event.ColumnTypeLongLong),
	"integer":    matchInteger,
	"decimal":    matchDecimal,
	"numeric":    matchDecimal,
	"float":      typeIs(event.ColumnTypeFloat),
	"double":     typeIs(event.ColumnTypeDouble),
	"number":     anyOf(matchInteger, matchDecimal, typeIs(event.ColumnTypeFloat, event.ColumnTypeDouble)),
	"date":       typeIs(event.ColumnTypeDate, event.ColumnTypeNewDate),
	"time":       typeIs(event.ColumnTypeTime, event.ColumnTypeTime2),
	"datetime":   typeIs(event.ColumnTypeDatetime, event.ColumnTypeDatetime2),
	"timestamp":  typeIs(event.ColumnTypeTimestamp, event.ColumnTypeTimestamp2),
	"year":       typeIs(event.ColumnTypeYear),
	"temporal":   matchTemporal,
	"char":       matchChar,
	"varchar":    matchVarchar,
	"binary":     matchBinary,
	"varbinary":  matchVarbinary,
	"tinytext":   blobOf(1, true),
	"text":       blobOf(0, true),
	"mediumtext": blobOf(3, true),
	"longtext":   blobOf(4, true),
	"tinyblob":   blobOf(1, false),
	"blob":       blobOf(0, false),
	"mediumblob": blobOf(3, false),
	"longblob":   blobOf(4, false),
	"string":     anyOf(matchChar, matchVarchar, blobOf(0, true)),
	"bytes":      anyOf(matchBinary, matchVarbinary, blobOf(0, false)),
	"json":       typeIs(event.ColumnTypeJSON),
	"enum":       typeIs(event.ColumnTypeEnum),
	"set":        typeIs(event.ColumnTypeSet),
	"bit":        typeIs(event.ColumnTypeBit),
	"geometry":   typeIs(event.ColumnTypeGeometry),
	"vector":     typeIs(event.ColumnTypeVector),
}
