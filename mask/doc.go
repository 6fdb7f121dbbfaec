// Package mask hides sensitive values in binlog events before they reach any
// output: it rewrites the events themselves, so SQL from sqlgen and
// flashback, binlogdump's text and JSON, a viewer, or a binlog.Writer
// producing a masked binlog all see the masked values without knowing about
// masking.
//
// Rules come from a small YAML file (ParseRules, LoadFile):
//
//	key_env: BINLOG_MASK_KEY        # HMAC key of hash rules (or key: "...")
//	rules:
//	  - column: "shop.users.password" # db.table.column, table.column or column; * wildcards
//	    action: redact                # redact | fixed | hash | keep_last | keep
//	  - column: "*.phone"
//	    action: keep_last
//	    keep: 4
//	  - type: json                    # a column type or group
//	    action: fixed
//	    replacement: "{}"
//	  - value: email                  # built-in value patterns: phone, email, cn_id, card
//	    action: hash
//	  - regex: "ORD-[0-9]{6}"         # a custom value pattern
//	    action: redact
//
// New compiles a Config into a Masker; Masker.Apply masks one event,
// Masker.Sink wraps a binlog.Sink and Masker.Source wraps a binlog.Source
// (for consumers that read a *binlog.Reader, such as flashback).
//
// # Which rule applies
//
// Column and type rules mask whole values. For each column the first column
// or type rule that matches wins; action keep leaves the column as it is (no
// value rule applies to it either), an exception placed before broader
// rules. Column patterns match case-insensitively
// against the database, table and column names; column names come from the
// Table_map (binlog_row_metadata=FULL) or from WithColumnNames. When a rule
// names a table whose column names are unknown, Apply fails with
// ErrNoColumnNames rather than let values through.
//
// Value rules (value:, regex:) then apply, in order, to the columns no
// column or type rule took: every match inside a string (CHAR, VARCHAR,
// TEXT, BINARY, BLOB) is replaced, earlier rules winning where matches
// overlap; inside JSON (MySQL's JSON type, and text that is a JSON object
// or array, as MariaDB's JSON columns are) only string contents and member
// names are edited, so the document stays valid JSON; an integer or DECIMAL
// that a pattern matches whole (a phone number kept in a BIGINT) is masked
// as a number. The built-in patterns are:
//
//   - phone: Chinese mobile numbers (1[3-9] and 9 more digits, optionally
//     with +86/86 and 3-4-4 separators) and international numbers written
//     with a leading + (8–15 digits in groups);
//   - email: addresses with a dotted domain and a letter TLD;
//   - cn_id: 18-character resident identity numbers whose check character
//     (ISO 7064 MOD 11-2) is right, so that other 18-digit numbers are left;
//   - card: 13–19 digits, optionally grouped with spaces or dashes, passing
//     the Luhn check.
//
// Patterns do not match inside longer runs of digits (or, for e-mail
// addresses, of address characters).
//
// # What each action writes
//
// Masked values stay valid for their column, so the SQL replays:
//
//   - Text (CHAR, VARCHAR, TEXT, BINARY, BLOB): redact writes "***", fixed
//     its replacement, hash 16 hex digits of HMAC-SHA256(key, value), and
//     keep_last replaces every character but the last N with '*' (UTF-8
//     aware; spaces, '-', '.', '@', '+' and parentheses are kept in place).
//     The result is cut to the column's length in characters and bytes. In
//     ucs2/utf16/utf32 columns the result is written in that character set;
//     in other multi-byte sets (gbk, sjis, …) non-ASCII characters of the
//     result become '*'.
//   - Integers: redact writes 0, fixed its replacement (an integer in the
//     column's range, else an error), hash a number from the HMAC within the
//     column's range (non-negative), keep_last the last N decimal digits
//     (the value modulo 10^N, sign kept).
//   - DECIMAL: redact 0, fixed its replacement, hash a number of the
//     column's integer digits, keep_last the last N digits with every other
//     digit zeroed. FLOAT and DOUBLE: redact 0, hash a fraction from 0 to 0.999 (the
//     binlog does not give a FLOAT(M,D)'s range, and every column holds it),
//     keep_last the last N digits of the integer part.
//   - DATE, DATETIME, TIMESTAMP, TIME, YEAR: redact and keep_last write the
//     zero value (0000-00-00, 00:00:00, TIMESTAMP 0, YEAR 0); hash a value
//     derived from the HMAC (dates from 1970 to 2069); fixed parses
//     "YYYY-MM-DD[ HH:MM:SS]", "HH:MM:SS" or a year.
//   - JSON columns (MySQL's JSON type; MariaDB logs its JSON columns as
//     LONGTEXT, so "type: json" does not match them — name them, or use
//     "type: longtext"): redact writes null; fixed writes the replacement as JSON
//     when it is a JSON object, array, string or null, else as a JSON
//     string; hash and keep_last write a JSON string of the masked document
//     text.
//   - ENUM: the first member (hash: a member chosen by the HMAC; fixed: the
//     member named). SET: the empty set (hash: members chosen by the HMAC).
//     BIT: 0 (hash: bits from the HMAC). GEOMETRY: a small geometry of the
//     value's type (POINT(0 0), LINESTRING(0 0,1 1), POLYGON((0 0,1 0,1 1,0
//     0)), their MULTI forms, an empty GEOMETRYCOLLECTION) in the same SRID. VECTOR: zeros.
//
// A JSON partial update (MySQL PARTIAL_UPDATE_ROWS) stays a partial
// update: the new value of each REPLACE and INSERT is masked as a document
// would be (column rules) or inside its strings (value rules); paths and
// REMOVE operations are kept.
//
// Hashes are keyed (HMAC-SHA256): equal values give equal masks in every
// row and event, so masked columns stay joinable, and without the key the
// masks cannot be reversed by trying candidate values. Text hashes are
// computed over the UTF-8 form, numbers over their decimal text.
//
// # Statements
//
// QUERY events (statement-format DML and DDL), MariaDB ANNOTATE_ROWS and
// MySQL ROWS_QUERY events carry statement text with literals, and USER_VAR
// events the values of @variables. Value rules apply inside every string
// literal and comment of them, and to the number and hexadecimal literals
// of DML they match. A literal cannot be tied to its column without the
// schema, so every literal of a DML statement (and of an ANNOTATE_ROWS or
// ROWS_QUERY text) that may write a masked column is replaced: strings by
// '***', numbers by 0, hexadecimal and bit literals by an empty X literal.
// A statement may write a masked column when a type rule exists, or a
// column rule without a table part, or a column rule whose table pattern
// matches a name in the statement. With column or type rules, USER_VAR
// values become "***" or 0. DDL keeps its literals (defaults, comments)
// except for value-rule matches. The file blocks of a statement-format LOAD
// DATA (BEGIN_LOAD_QUERY, APPEND_BLOCK) get the value rules too, and, when
// column or type rules exist, every letter and digit of them becomes '*'.
//
// # Events
//
// Apply returns an event that no rule changes as it is, without a copy;
// tables no rule can touch cost a map lookup per rows event. A masked event
// keeps the original header (timestamp, server id, log_pos, flags) and
// positions (File, Pos, NextPos), so output still names the source file's
// positions, but its size and checksum are those of the new bytes. MariaDB
// compressed events are written back compressed. Apply leaves a
// TRANSACTION_PAYLOAD event (MySQL binlog_transaction_compression) as it is:
// a Reader expands it by default and its inner events are masked one by
// one, but its own bytes hold the unmasked rows, so an output that copies
// raw events must not copy it — Masker.Source yields the masked inner
// events in its place.
//
// A redacted column looks unchanged to an UPDATE whose before and after
// values mask alike: sqlgen leaves it out of the SET list.
package mask
