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
// One thing a Table_map does not say: MariaDB logs the TIME(n), DATETIME(n)
// and TIMESTAMP(n) columns of tables in its older ("hires") formats with the
// old type codes and without n, and their values take more bytes than the
// old types'. Give n from the table's definition with Table.SetPrecision
// (package schema's SetPrecisions does it from a definition); without it,
// rows are read as values without fractions only when their bytes fit them
// (Table.CheckPrecision), and otherwise refused with a *PrecisionError
// naming the table and the columns.
//
// A Value's zero value is SQL NULL. A Value holds a kind and either a number
// or a view into the event's bytes: views are valid as long as the event is
// (for a binlog.Reader, until its next call); Clone detaches one.
package rowcodec
