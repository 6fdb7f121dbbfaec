package cdc

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// snapTable is a table as a snapshot reads it: its columns described as a
// Table_map with FULL metadata would describe them, so that rows read with
// SELECT render as the binlog's rows do.
type snapTable struct {
	db, name string
	cols     []rowcodec.Column
	key      []int
	names    []string // quoted column names
	qname    string   // `db`.`name`
	fsp      []int
}

var (
	collationOnce sync.Once
	collationIDs  map[string]uint16
)

func collationID(name string) uint16 {
	collationOnce.Do(func() {
		collationIDs = map[string]uint16{}
		for id := 1; id < 4096; id++ {
			if n := rowcodec.CollationName(uint16(id)); n != "" {
				if _, dup := collationIDs[n]; !dup {
					collationIDs[n] = uint16(id)
				}
			}
		}
	})
	return collationIDs[strings.ToLower(name)]
}

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

// loadSnapTable reads a table's columns and key from information_schema.
func loadSnapTable(ctx context.Context, q querier, db, name string) (*snapTable, error) {
	rows, err := q.QueryContext(ctx, `SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_KEY,
		COALESCE(COLLATION_NAME, ''), COALESCE(NUMERIC_PRECISION, 0), COALESCE(NUMERIC_SCALE, 0),
		COALESCE(DATETIME_PRECISION, 0), COALESCE(CHARACTER_OCTET_LENGTH, 0)
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, db, name)
	if err != nil {
		return nil, fmt.Errorf("cdc: snapshot: columns of %s.%s: %w", db, name, err)
	}
	defer rows.Close()
	t := &snapTable{db: db, name: name, qname: quoteIdent(db) + "." + quoteIdent(name)}
	for rows.Next() {
		var cname, dtype, ctype, nullable, ckey, coll string
		var prec, scale, dtprec, octets uint64
		if err := rows.Scan(&cname, &dtype, &ctype, &nullable, &ckey, &coll, &prec, &scale, &dtprec, &octets); err != nil {
			return nil, err
		}
		c := rowcodec.Column{Index: len(t.cols), Name: []byte(cname), Nullable: nullable == "YES", Visible: true}
		dtype = strings.ToLower(dtype)
		ctype = strings.ToLower(ctype)
		if strings.Contains(ctype, "unsigned") {
			c.Unsigned = true
		}
		c.HasSign = true
		switch dtype {
		case "tinyint", "bool", "boolean":
			c.Type = event.ColumnTypeTiny
		case "smallint":
			c.Type = event.ColumnTypeShort
		case "mediumint":
			c.Type = event.ColumnTypeInt24
		case "int", "integer":
			c.Type = event.ColumnTypeLong
		case "bigint":
			c.Type = event.ColumnTypeLongLong
		case "decimal", "numeric":
			c.Type, c.Meta = event.ColumnTypeNewDecimal, uint32(prec)<<8|uint32(scale)
		case "float":
			c.Type = event.ColumnTypeFloat
		case "double", "real", "double precision":
			c.Type = event.ColumnTypeDouble
		case "year":
			c.Type = event.ColumnTypeYear
		case "date":
			c.Type = event.ColumnTypeDate
		case "time":
			c.Type, c.Meta = event.ColumnTypeTime2, uint32(dtprec)
		case "datetime":
			c.Type, c.Meta = event.ColumnTypeDatetime2, uint32(dtprec)
		case "timestamp":
			c.Type, c.Meta = event.ColumnTypeTimestamp2, uint32(dtprec)
		case "bit":
			c.Type, c.Meta = event.ColumnTypeBit, uint32(prec)
		case "json":
			c.Type = event.ColumnTypeJSON
		case "enum":
			c.Type, c.EnumValues = event.ColumnTypeEnum, parseMembers(ctype)
		case "set":
			c.Type, c.SetValues = event.ColumnTypeSet, parseMembers(ctype)
		case "char", "binary":
			c.Type, c.Meta = event.ColumnTypeString, uint32(octets)
		case "varchar", "varbinary":
			c.Type, c.Meta = event.ColumnTypeVarchar, uint32(octets)
		case "tinytext", "tinyblob", "text", "blob", "mediumtext", "mediumblob", "longtext", "longblob":
			c.Type = event.ColumnTypeBlob
		case "vector":
			c.Type = event.ColumnTypeVector
		case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection", "geomcollection":
			c.Type = event.ColumnTypeGeometry
		default:
			// INET4/INET6/UUID (MariaDB) and other types: their text.
			c.Type = event.ColumnTypeVarchar
			if coll == "" {
				coll = "utf8mb4_general_ci"
			}
		}
		c.WireType = c.Type
		if coll != "" {
			c.Collation = collationID(coll)
		} else if isBinaryType(dtype) {
			c.Collation = 63
		}
		if ckey == "PRI" {
			c.PrimaryKey = true
		}
		t.cols = append(t.cols, c)
		t.names = append(t.names, quoteIdent(cname))
		t.fsp = append(t.fsp, int(dtprec))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(t.cols) == 0 {
		return nil, fmt.Errorf("cdc: snapshot: table %s.%s not found", db, name)
	}
	// The key in its index order.
	krows, err := q.QueryContext(ctx, `SELECT COLUMN_NAME FROM information_schema.STATISTICS
		WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX`, db, name)
	if err != nil {
		return nil, fmt.Errorf("cdc: snapshot: key of %s.%s: %w", db, name, err)
	}
	defer krows.Close()
	for krows.Next() {
		var cn string
		if err := krows.Scan(&cn); err != nil {
			return nil, err
		}
		for i := range t.cols {
			if string(t.cols[i].Name) == cn {
				t.key = append(t.key, i)
			}
		}
	}
	return t, krows.Err()
}

func isBinaryType(dtype string) bool {
	switch dtype {
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return true
	}
	return false
}

// parseMembers reads the members of "enum('a','b”c')".
func parseMembers(ctype string) [][]byte {
	i := strings.IndexByte(ctype, '(')
	if i < 0 {
		return nil
	}
	s := ctype[i+1:]
	var out [][]byte
	for len(s) > 0 && s[0] == '\'' {
		var m []byte
		j := 1
		for j < len(s) {
			if s[j] == '\'' {
				if j+1 < len(s) && s[j+1] == '\'' {
					m = append(m, '\'')
					j += 2
					continue
				}
				break
			}
			if s[j] == '\\' && j+1 < len(s) {
				j++
			}
			m = append(m, s[j])
			j++
		}
		out = append(out, m)
		s = s[min(j+1, len(s)):]
		if len(s) > 0 && s[0] == ',' {
			s = s[1:]
		}
	}
	return out
}

// sqlValue converts a value as the server prints it (text protocol,
// character_set_results utf8mb4, time_zone +00:00) into the Value the
// binlog would carry for column c. raw == nil is NULL. The Value owns its
// bytes.
func sqlValue(c *rowcodec.Column, fsp int, raw []byte) (rowcodec.Value, error) {
	if raw == nil {
		return rowcodec.Value{}, nil
	}
	s := string(raw)
	bad := func(err error) (rowcodec.Value, error) {
		return rowcodec.Value{}, fmt.Errorf("column %s (%s): value %q: %v", c.Name, c.Type, s, err)
	}
	switch c.Type {
	case event.ColumnTypeTiny, event.ColumnTypeShort, event.ColumnTypeInt24, event.ColumnTypeLong, event.ColumnTypeLongLong:
		if c.Unsigned {
			u, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				return bad(err)
			}
			return rowcodec.UintValue(u), nil
		}
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return bad(err)
		}
		return rowcodec.IntValue(i), nil
	case event.ColumnTypeNewDecimal:
		v, err := rowcodec.DecimalValue(s, int(c.Meta>>8), int(c.Meta&0xff))
		if err != nil {
			return bad(err)
		}
		return v, nil
	case event.ColumnTypeFloat:
		f, err := strconv.ParseFloat(s, 32)
		if err != nil {
			return bad(err)
		}
		return rowcodec.Float32Value(float32(f)), nil
	case event.ColumnTypeDouble:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return bad(err)
		}
		return rowcodec.Float64Value(f), nil
	case event.ColumnTypeYear:
		y, err := strconv.ParseUint(s, 10, 16)
		if err != nil {
			return bad(err)
		}
		return rowcodec.YearValue(uint16(y)), nil
	case event.ColumnTypeDate:
		y, m, d, ok := parseDate(s)
		if !ok {
			return bad(fmt.Errorf("not a date"))
		}
		return rowcodec.DateValue(y, m, d), nil
	case event.ColumnTypeDatetime2, event.ColumnTypeTimestamp2:
		if len(s) < 19 {
			return bad(fmt.Errorf("not a datetime"))
		}
		y, mo, d, ok := parseDate(s[:10])
		h, mi, sec, us, ok2 := parseClock(s[11:])
		if !ok || !ok2 {
			return bad(fmt.Errorf("not a datetime"))
		}
		if c.Type == event.ColumnTypeDatetime2 {
			return rowcodec.DatetimeValue(y, mo, d, h, mi, sec, us, fsp), nil
		}
		if y == 0 {
			return rowcodec.TimestampValue(0, 0, fsp), nil
		}
		t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
		return rowcodec.TimestampValue(t.Unix(), us, fsp), nil
	case event.ColumnTypeTime2:
		neg := strings.HasPrefix(s, "-")
		h, mi, sec, us, ok := parseClock(strings.TrimPrefix(s, "-"))
		if !ok {
			return bad(fmt.Errorf("not a time"))
		}
		return rowcodec.TimeValue(neg, h, mi, sec, us, fsp), nil
	case event.ColumnTypeBit:
		var bits uint64
		for _, b := range raw {
			bits = bits<<8 | uint64(b)
		}
		return rowcodec.BitValue(bits, int(c.Meta)), nil
	case event.ColumnTypeJSON:
		return rowcodec.JSONTextValue(bytes.Clone(raw)), nil
	case event.ColumnTypeEnum:
		w := 1
		if len(c.EnumValues) > 255 {
			w = 2
		}
		if len(raw) == 0 {
			return rowcodec.EnumValue(0, w), nil
		}
		for i, m := range c.EnumValues {
			if bytes.EqualFold(m, raw) {
				return rowcodec.EnumValue(uint16(i+1), w), nil
			}
		}
		return bad(fmt.Errorf("not a member"))
	case event.ColumnTypeSet:
		w := (len(c.SetValues) + 7) / 8
		if w == 3 || w > 4 && w < 8 {
			w = map[int]int{3: 3, 5: 8, 6: 8, 7: 8}[w]
		}
		var mask uint64
		if len(raw) > 0 {
			for _, part := range bytes.Split(raw, []byte{','}) {
				found := false
				for i, m := range c.SetValues {
					if bytes.EqualFold(m, part) {
						mask |= 1 << i
						found = true
						break
					}
				}
				if !found {
					return bad(fmt.Errorf("not a member"))
				}
			}
		}
		return rowcodec.SetValue(mask, max(w, 1)), nil
	case event.ColumnTypeGeometry:
		return rowcodec.GeometryValue(bytes.Clone(raw)), nil
	case event.ColumnTypeVector:
		return rowcodec.VectorValue(bytes.Clone(raw)), nil
	}
	if c.Collation == 63 || c.Collation == 0 && c.Type == event.ColumnTypeBlob {
		return rowcodec.BytesValue(bytes.Clone(raw)), nil
	}
	// Text arrives in character_set_results, utf8mb4.
	return rowcodec.StringValue(bytes.Clone(raw), 45), nil
}

func parseDate(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	y, e1 := strconv.Atoi(s[:4])
	m, e2 := strconv.Atoi(s[5:7])
	d, e3 := strconv.Atoi(s[8:])
	return y, m, d, e1 == nil && e2 == nil && e3 == nil
}

// parseClock reads "H+:MM:SS[.ffffff]".
func parseClock(s string) (h, mi, sec, us int, ok bool) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) != 3 {
		return 0, 0, 0, 0, false
	}
	frac := ""
	if i := strings.IndexByte(parts[2], '.'); i >= 0 {
		parts[2], frac = parts[2][:i], parts[2][i+1:]
	}
	var e [3]error
	h, e[0] = strconv.Atoi(parts[0])
	mi, e[1] = strconv.Atoi(parts[1])
	sec, e[2] = strconv.Atoi(parts[2])
	for _, err := range e {
		if err != nil {
			return 0, 0, 0, 0, false
		}
	}
	if frac != "" {
		if len(frac) > 6 {
			return 0, 0, 0, 0, false
		}
		f, err := strconv.Atoi(frac)
		if err != nil {
			return 0, 0, 0, 0, false
		}
		for i := len(frac); i < 6; i++ {
			f *= 10
		}
		us = f
	}
	return h, mi, sec, us, true
}

// querier is what a snapshot needs of a connection: *sql.DB and *sql.Conn
// have it.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}
