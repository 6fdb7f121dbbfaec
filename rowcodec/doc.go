// Package rowcodec decodes and encodes the column values inside row events,
// exactly as the server stored them, for every MySQL and MariaDB column type.
//
// A Table is built once per Table_map (NewTable, or Table.Reset to reuse one)
// and describes each column: its type and metadata, and, when the server
// logged them (binlog_row_metadata=FULL), name, signedness, charset,
// ENUM/SET members, primary key and visibility. Table.DecodeRow turns one
// row image of a rows event into a caller-provided []Value without
// allocating; AppendRow is the exact inverse.
//
// A Value's zero value is SQL NULL. A Value holds a kind and either a number
// or a view into the event's bytes: views are valid as long as the event is
// (for a binlog.Reader, until its next call); Clone detaches one.
package rowcodec
