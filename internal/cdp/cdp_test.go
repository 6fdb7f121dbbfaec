package cdp

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestBrowser(t *testing.T) {
	path, err := Find()
	if err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/file.txt" {
			w.Header().Set("Content-Disposition", `attachment; filename="file.txt"`)
			w.Write([]byte("downloaded bytes\n"))
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><title>t</title><p id="p">hello</p><a id="a" href="/file.txt">get</a><script>setTimeout(() => document.body.dataset.late = "yes", 100)</script>`))
	}))
	defer ts.Close()

	b, err := Launch(ctx, Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, ts.URL+"/"); err != nil {
		t.Fatal(err)
	}
	var text string
	if err := p.Eval(ctx, `document.getElementById("p").textContent`, &text); err != nil || text != "hello" {
		t.Fatalf("text %q, %v", text, err)
	}
	var sum int
	if err := p.Eval(ctx, `new Promise(r => setTimeout(() => r(20 + 22), 10))`, &sum); err != nil || sum != 42 {
		t.Fatalf("promise %d, %v", sum, err)
	}
	if err := p.Eval(ctx, `nosuchfunction()`, nil); err == nil {
		t.Error("a thrown exception is not an error")
	}
	if err := p.WaitFor(ctx, `document.body.dataset.late === "yes"`); err != nil {
		t.Fatal(err)
	}
	short, cancelShort := context.WithTimeout(ctx, 300*time.Millisecond)
	if err := p.WaitFor(short, `false`); err == nil {
		t.Error("WaitFor(false) returned nil")
	}
	cancelShort()
	png, err := p.Screenshot(ctx, false)
	if err != nil || len(png) < 100 {
		t.Fatalf("screenshot: %d bytes, %v", len(png), err)
	}

	dir := t.TempDir()
	if err := b.AllowDownloads(ctx, dir); err != nil {
		t.Fatal(err)
	}
	mark := b.EventCount()
	if err := p.Eval(ctx, `document.getElementById("a").click()`, nil); err != nil {
		t.Fatal(err)
	}
	d, err := b.WaitDownload(ctx, mark, dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(d.Path)
	if err != nil || string(got) != "downloaded bytes\n" || d.SuggestedFilename != "file.txt" || filepath.Dir(d.Path) != dir {
		t.Fatalf("download %+v: %q, %v", d, got, err)
	}
}
