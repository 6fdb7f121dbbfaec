package schema

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// FileSchema is a Schema read from a file of SQL statements, typically the
// output of mysqldump --no-data or mariadb-dump --no-data: the file gives
// the tables as they were when it was made, and ApplyDDL follows the DDL
// of the stream from there. When the file was dumped at the start of the
// binlogs being read, every row is decoded against the exact schema in
// force at its position.
//
// The Catalog's methods (Table, ApplyDDL, Tables, Clone) are promoted.
type FileSchema struct {
	*Catalog
}

// FileOption changes how a schema file is read.
type FileOption func(*fileConfig)

type fileConfig struct {
	defaultDB string
}

// WithDefaultDB sets the database that the file's statements apply to
// until its first USE statement: mysqldump output of a single database
// dumped without --databases has no USE.
func WithDefaultDB(db string) FileOption {
	return func(c *fileConfig) { c.defaultDB = db }
}

// LoadSchemaFile reads the schema file at path; see NewFileSchema.
func LoadSchemaFile(path string, opts ...FileOption) (*FileSchema, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := NewFileSchema(f, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// NewFileSchema reads SQL statements from r and applies each one to a new
// Catalog, as the mariadb and mysql clients would run them: statements end
// with the current delimiter (";", changed by DELIMITER lines as dumps do
// around triggers and routines), USE db changes the default database, and
// comments and version comments are understood. Statements that change no
// table (SET, LOCK, INSERT, views, triggers, routines) are skipped. The
// first statement that cannot be parsed is an error naming its line.
func NewFileSchema(r io.Reader, opts ...FileOption) (*FileSchema, error) {
	var cfg fileConfig
	for _, o := range opts {
		o(&cfg)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	c := NewCatalog()
	db := cfg.defaultDB
	err = ddlSplitStatements(string(data), func(line int, stmt string) error {
		if w := ddlFirstWords(stmt, 1); len(w) == 1 && w[0] == "USE" {
			db = ddlUseTarget(stmt)
			return nil
		}
		if err := c.ApplyDDL(db, stmt); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &FileSchema{c}, nil
}

// ddlUseTarget returns the database of a USE statement.
func ddlUseTarget(stmt string) string {
	ts := ddlTokens(stmt)
	for _, t := range ts[1:] {
		switch t.kind {
		case ddlTokWord:
			return stmt[t.start:t.end]
		case ddlTokQuoted:
			return ddlUnquoteIdent(stmt[t.start:t.end])
		}
	}
	return ""
}

// ddlUnquoteIdent removes the backticks of `name`, undoubling inner ones.
func ddlUnquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		s = s[1 : len(s)-1]
	}
	return strings.ReplaceAll(s, "``", "`")
}

// ddlSplitStatements calls fn with each statement of a SQL script and the
// line it starts on. It knows quotes, comments, version comments and the
// client's DELIMITER command (a line of its own); a statement runs up to
// the current delimiter or the end of the script.
func ddlSplitStatements(s string, fn func(line int, stmt string) error) error {
	delim := ";"
	line := 1
	start, startLine := 0, 1
	atLineStart := true
	flush := func(end int) error {
		// The statement starts at its first token, after comments.
		l := ddlLexer{s: s[start:end]}
		t, ok := l.next()
		if !ok {
			return nil
		}
		stmt := strings.TrimSpace(s[start+t.start : end])
		if stmt != "" {
			if err := fn(startLine+strings.Count(s[start:start+t.start], "\n"), stmt); err != nil {
				return err
			}
		}
		return nil
	}
	i := 0
	for i < len(s) {
		c := s[i]
		if atLineStart {
			// DELIMITER is a client command on a line of its own; it ends
			// the statement before it.
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			if len(s)-j >= 10 && strings.EqualFold(s[j:j+9], "DELIMITER") && (s[j+9] == ' ' || s[j+9] == '\t') {
				end := strings.IndexByte(s[j:], '\n')
				if end < 0 {
					end = len(s) - j
				}
				if err := flush(i); err != nil {
					return err
				}
				if d := strings.TrimSpace(s[j+10 : j+end]); d != "" {
					delim = d
				}
				i = j + end
				start, startLine = i, line
				continue
			}
			atLineStart = false
		}
		switch {
		case c == '\n':
			line++
			atLineStart = true
			i++
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(s) {
				if s[j] == '\\' && c != '`' {
					j += 2
					continue
				}
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			j = min(j+1, len(s))
			line += strings.Count(s[i:j], "\n")
			i = j
		case c == '#' || c == '-' && strings.HasPrefix(s[i:], "--") && (i+2 == len(s) || s[i+2] <= ' '):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				j = len(s) - i
			}
			i += j // the newline is counted by the loop
		case c == '/' && strings.HasPrefix(s[i:], "/*") && !ddlIsVersionComment(s[i:]):
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				j = len(s)
			} else {
				j = i + 2 + j + 2
			}
			line += strings.Count(s[i:j], "\n")
			i = j
		case strings.HasPrefix(s[i:], delim):
			if err := flush(i); err != nil {
				return err
			}
			i += len(delim)
			start, startLine = i, line
		default:
			i++
		}
	}
	return flush(len(s))
}

// ddlIsVersionComment reports whether s starts with /*!NNNNN or /*M!NNNNN
// holding SQL (not "/*M!999999\- …", a client command).
func ddlIsVersionComment(s string) bool {
	j := 2
	if strings.HasPrefix(s[j:], "M!") {
		j++
	}
	if j >= len(s) || s[j] != '!' {
		return false
	}
	j++
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j >= len(s) || s[j] != '\\'
}
