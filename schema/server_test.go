package schema

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// fakeInfoSchema is a database/sql driver that answers the two
// information_schema queries of Server from canned rows, so that the
// unit tests need no server (the integration test uses a real MariaDB).
type fakeInfoSchema struct {
	mu      sync.Mutex
	columns map[string][][]driver.Value // "db.table" → COLUMNS rows
	keys    map[string][][]driver.Value // "db.table" → STATISTICS rows
	queries int
	fail    bool
}

var (
	fakeInfoOnce sync.Once
	fakeInfoDrv  = &fakeInfoSchema{}
)

func (d *fakeInfoSchema) Open(string) (driver.Conn, error) { return fakeInfoConn{d}, nil }

type fakeInfoConn struct{ d *fakeInfoSchema }

func (fakeInfoConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("fake: no prepare") }
func (fakeInfoConn) Close() error                        { return nil }
func (fakeInfoConn) Begin() (driver.Tx, error)           { return nil, errors.New("fake: no tx") }

func (c fakeInfoConn) QueryContext(_ context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	d := c.d
	d.mu.Lock()
	defer d.mu.Unlock()
	d.queries++
	if d.fail {
		return nil, errors.New("fake: server gone")
	}
	k := args[0].Value.(string) + "." + args[1].Value.(string)
	switch {
	case strings.Contains(q, "information_schema.TABLES"):
		if d.columns[k] == nil {
			return &fakeInfoRows{cols: []string{"TABLE_TYPE"}}, nil
		}
		return &fakeInfoRows{cols: []string{"TABLE_TYPE"}, rows: [][]driver.Value{{"BASE TABLE"}}}, nil
	case strings.Contains(q, "information_schema.COLUMNS"):
		return &fakeInfoRows{cols: []string{"COLUMN_NAME", "COLUMN_TYPE", "EXTRA", "CHARACTER_SET_NAME", "IS_NULLABLE"}, rows: d.columns[k]}, nil
	case strings.Contains(q, "information_schema.STATISTICS"):
		return &fakeInfoRows{cols: []string{"INDEX_NAME", "COLUMN_NAME"}, rows: d.keys[k]}, nil
	}
	return nil, errors.New("fake: unexpected query " + q)
}

type fakeInfoRows struct {
	cols []string
	rows [][]driver.Value
	i    int
}

func (r *fakeInfoRows) Columns() []string { return r.cols }
func (r *fakeInfoRows) Close() error      { return nil }
func (r *fakeInfoRows) Next(dst []driver.Value) error {
	if r.i >= len(r.rows) {
		return io.EOF
	}
	copy(dst, r.rows[r.i])
	r.i++
	return nil
}

func openFakeInfoSchema(t *testing.T) (*sql.DB, *fakeInfoSchema) {
	fakeInfoOnce.Do(func() { sql.Register("schema-fake-infoschema", fakeInfoDrv) })
	fakeInfoDrv.mu.Lock()
	fakeInfoDrv.columns = map[string][][]driver.Value{
		"shop.orders": {
			{"id", "bigint(20) unsigned", "auto_increment", nil, "NO"},
			{"code", "varchar(10)", "", "utf8mb4", "NO"},
			{"note", "varchar(10)", "", "latin1", "YES"},
			{"twice", "bigint(21)", "VIRTUAL GENERATED", nil, "YES"},
			{"kept", "int(11)", "STORED GENERATED", nil, "YES"},
			{"hidden", "int(11)", "INVISIBLE", nil, "YES"},
			{"ts", "timestamp", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP", nil, "NO"},
		},
		// A MariaDB table of the older temporal formats.
		"shop.hires": {
			{"id", "int(11)", "", nil, "NO"},
			{"t3", "time(3) /* mariadb-5.3 */", "", nil, "YES"},
			{"d6", "datetime(6) /* mariadb-5.3 */", "", nil, "YES"},
			{"s1", "timestamp(1) /* mariadb-5.3 */", "", nil, "YES"},
			{"d0", "datetime /* mariadb-5.3 */", "", nil, "YES"},
		},
	}
	fakeInfoDrv.keys = map[string][][]driver.Value{
		"shop.orders": {
			{"PRIMARY", "id"},
			{"code", "code"},
			{"func", nil},        // a functional key part
			{"nullable", "note"}, // unique on a nullable column
		},
	}
	fakeInfoDrv.queries = 0
	fakeInfoDrv.fail = false
	fakeInfoDrv.mu.Unlock()
	db, err := sql.Open("schema-fake-infoschema", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, fakeInfoDrv
}

func TestServer(t *testing.T) {
	db, fake := openFakeInfoSchema(t)
	s := NewServer(context.Background(), db)
	var _ Provider = s
	if fake.queries != 0 {
		t.Fatal("NewServer queried the server")
	}
	tab, err := s.Table("shop", "orders")
	if err != nil || tab == nil {
		t.Fatalf("Table: %v %v", tab, err)
	}
	want := []Column{
		{Name: "id", Type: "bigint(20) unsigned", Unsigned: true},
		{Name: "code", Type: "varchar(10)", Charset: "utf8mb4"},
		{Name: "note", Type: "varchar(10)", Charset: "latin1"},
		{Name: "twice", Type: "bigint(21)", Generated: true},
		{Name: "kept", Type: "int(11)", Generated: true},
		{Name: "hidden", Type: "int(11)", Invisible: true},
		{Name: "ts", Type: "timestamp"},
	}
	if !reflect.DeepEqual(tab.Columns, want) {
		t.Errorf("columns\n got %+v\nwant %+v", tab.Columns, want)
	}
	if !reflect.DeepEqual(tab.PrimaryKey, []int{0}) || !reflect.DeepEqual(tab.UniqueKeys, [][]int{{1}}) {
		t.Errorf("keys %v %v", tab.PrimaryKey, tab.UniqueKeys)
	}
	// Cached: no more queries.
	n := fake.queries
	s.Table("shop", "orders")
	s.Table("SHOP", "Orders")
	if fake.queries != n {
		t.Errorf("cached table queried again (%d queries, was %d)", fake.queries, n)
	}
	// Unknown table: nil, asked once.
	if tab, err := s.Table("shop", "none"); tab != nil || err != nil {
		t.Errorf("unknown table: %v %v", tab, err)
	}
	n = fake.queries
	s.Table("shop", "none")
	if fake.queries != n {
		t.Error("missing table asked for again")
	}

	// DDL applies to the cached copy.
	if err := s.ApplyDDL("shop", "ALTER TABLE orders ADD COLUMN z INT FIRST, DROP INDEX code"); err != nil {
		t.Fatal(err)
	}
	tab, _ = s.Table("shop", "orders")
	if ddlColNames(tab) != "z id code note twice kept hidden ts" || tab.UniqueKeys != nil || !reflect.DeepEqual(tab.PrimaryKey, []int{1}) {
		t.Errorf("after ALTER: %s pk %v uk %v", ddlColNames(tab), tab.PrimaryKey, tab.UniqueKeys)
	}
	// A table created by the stream is the stream's, never the server's.
	if err := s.ApplyDDL("shop", "CREATE TABLE fresh (a INT)"); err != nil {
		t.Fatal(err)
	}
	n = fake.queries
	if tab, _ := s.Table("shop", "fresh"); ddlColNames(tab) != "a" || fake.queries != n {
		t.Errorf("fresh: %s, %d queries", ddlColNames(tab), fake.queries-n)
	}
	// Dropped by the stream: gone, not read again.
	s.ApplyDDL("shop", "DROP TABLE orders")
	if tab, _ := s.Table("shop", "orders"); tab != nil || fake.queries != n {
		t.Errorf("dropped table: %v, %d queries", tab, fake.queries-n)
	}
	if err := s.ApplyDDL("shop", "ALTER TABLE x ADD ((("); !errors.Is(err, ErrDDL) {
		t.Errorf("bad DDL: %v", err)
	}
}

func TestServerQueryError(t *testing.T) {
	db, fake := openFakeInfoSchema(t)
	s := NewServer(context.Background(), db)
	fake.mu.Lock()
	fake.fail = true
	fake.mu.Unlock()
	if _, err := s.Table("shop", "orders"); err == nil || !strings.Contains(err.Error(), "shop.orders") {
		t.Fatalf("error = %v", err)
	}
	fake.mu.Lock()
	fake.fail = false
	fake.mu.Unlock()
	// Not cached: asked again.
	if tab, err := s.Table("shop", "orders"); err != nil || tab == nil {
		t.Fatalf("after recovery: %v %v", tab, err)
	}
}

// TestServerPrecision: the precision of TIME, DATETIME and TIMESTAMP
// columns from COLUMN_TYPE, as MariaDB spells the older formats.
func TestServerPrecision(t *testing.T) {
	db, _ := openFakeInfoSchema(t)
	s := NewServer(context.Background(), db)
	tab, err := s.Table("shop", "hires")
	if err != nil || tab == nil {
		t.Fatalf("Table: %v %v", tab, err)
	}
	if got, want := precisions(tab), []int{0, 3, 6, 1, 0}; !equalInts(got, want) {
		t.Fatalf("precisions %v, want %v", got, want)
	}
}
