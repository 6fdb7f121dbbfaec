// Package cdp is a small client of the Chrome DevTools Protocol for tests
// that drive a headless Chromium: it starts the browser with
// --remote-debugging-pipe (CDP messages as JSON, each ended by a NUL byte, read
// from the browser's fd 3 and written to its fd 4), sends commands and waits
// for their replies, and keeps the events the browser sends so that a test can
// wait for one. It uses the standard library only.
//
// A typical test:
//
//	b, err := cdp.Launch(ctx, cdp.Options{})
//	defer b.Close()
//	p, err := b.NewPage(ctx)
//	err = p.Navigate(ctx, url)
//	err = p.WaitFor(ctx, `document.body.dataset.ready === "1"`)
//	var n int
//	err = p.Eval(ctx, `document.querySelectorAll("tr").length`, &n)
package cdp

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// DefaultPath is where Debian's chromium package puts the browser.
const DefaultPath = "/usr/bin/chromium"

// Find returns the browser to use: $CHROMIUM when set, else DefaultPath. It
// returns an error saying why when there is none, for a test to skip with.
func Find() (string, error) {
	p := os.Getenv("CHROMIUM")
	if p == "" {
		p = DefaultPath
	}
	st, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("no Chromium at %s (install Debian's chromium package or set $CHROMIUM): %v", p, err)
	}
	if st.IsDir() || st.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%s is not an executable", p)
	}
	return p, nil
}

// Options configure Launch.
type Options struct {
	// Path is the browser executable (default: Find's answer).
	Path string
	// Args are added to the flags Launch passes.
	Args []string
	// Stderr receives the browser's standard error (default: discarded).
	Stderr io.Writer
	// WindowWidth and WindowHeight size the window (default 1400×1000).
	WindowWidth, WindowHeight int
}

// Message is one CDP message: a command's reply (ID set) or an event
// (Method set). SessionID names the target session it belongs to.
type Message struct {
	ID        int64           `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *Error          `json:"error,omitempty"`
}

// Error is a CDP error reply.
type Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    string `json:"data,omitempty"`
}

func (e *Error) Error() string {
	if e.Data != "" {
		return fmt.Sprintf("cdp: %s (%d): %s", e.Message, e.Code, e.Data)
	}
	return fmt.Sprintf("cdp: %s (%d)", e.Message, e.Code)
}

// Browser is a running browser and the pipe to it.
type Browser struct {
	cmd     *exec.Cmd
	w       *os.File // the browser reads it as fd 3
	r       *os.File // the browser writes it as fd 4
	dataDir string

	wmu     sync.Mutex
	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan *Message
	events  []*Message
	changed chan struct{} // closed and replaced when an event arrives
	err     error         // set when the pipe broke
	done    chan struct{}
}

// maxEvents bounds the events kept.
const maxEvents = 10000

// Launch starts a headless browser with a fresh profile in a temporary
// directory.
func Launch(ctx context.Context, opts Options) (*Browser, error) {
	path := opts.Path
	if path == "" {
		var err error
		if path, err = Find(); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "cdp-profile-")
	if err != nil {
		return nil, err
	}
	w, h := opts.WindowWidth, opts.WindowHeight
	if w == 0 {
		w, h = 1400, 1000
	}
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-extensions", "--disable-sync",
		"--disable-default-apps", "--no-first-run", "--no-default-browser-check",
		"--mute-audio", "--hide-scrollbars", "--password-store=basic", "--use-mock-keychain",
		fmt.Sprintf("--window-size=%d,%d", w, h),
		"--user-data-dir=" + dir, "--remote-debugging-pipe",
	}
	args = append(args, opts.Args...)
	args = append(args, "about:blank")
	// The child reads commands on fd 3 and writes replies on fd 4.
	childIn, ourOut, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	ourIn, childOut, err := os.Pipe()
	if err != nil {
		childIn.Close()
		ourOut.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	cmd := exec.Command(path, args...)
	cmd.ExtraFiles = []*os.File{childIn, childOut}
	cmd.Stderr = opts.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		childIn.Close()
		childOut.Close()
		ourIn.Close()
		ourOut.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	childIn.Close()
	childOut.Close()
	b := &Browser{cmd: cmd, w: ourOut, r: ourIn, dataDir: dir, pending: map[int64]chan *Message{},
		changed: make(chan struct{}), done: make(chan struct{})}
	go b.readLoop()
	// The browser answers once it is up.
	vctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := b.Call(vctx, "", "Browser.getVersion", nil, nil); err != nil {
		b.Close()
		return nil, fmt.Errorf("cdp: the browser did not answer: %w", err)
	}
	return b, nil
}

func (b *Browser) readLoop() {
	defer close(b.done)
	br := bufio.NewReaderSize(b.r, 1<<20)
	for {
		line, err := br.ReadBytes(0)
		if err != nil {
			b.fail(fmt.Errorf("cdp: reading from the browser: %w", err))
			return
		}
		var m Message
		if err := json.Unmarshal(line[:len(line)-1], &m); err != nil {
			b.fail(fmt.Errorf("cdp: bad message from the browser: %w", err))
			return
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch := b.pending[m.ID]; ch != nil {
				delete(b.pending, m.ID)
				ch <- &m
			}
		} else if m.Method != "" {
			if len(b.events) >= maxEvents {
				b.events = b.events[maxEvents/2:]
			}
			b.events = append(b.events, &m)
			close(b.changed)
			b.changed = make(chan struct{})
		}
		b.mu.Unlock()
	}
}

func (b *Browser) fail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = err
	}
	for id, ch := range b.pending {
		delete(b.pending, id)
		close(ch)
	}
	close(b.changed)
	b.changed = make(chan struct{})
}

// Call sends a command (to the browser when sessionID is "", else to that
// target session) and waits for its reply, which it decodes into result
// (may be nil).
func (b *Browser) Call(ctx context.Context, sessionID, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
	p, err := json.Marshal(params)
	if err != nil {
		return err
	}
	ch := make(chan *Message, 1)
	b.mu.Lock()
	if b.err != nil {
		b.mu.Unlock()
		return b.err
	}
	b.nextID++
	id := b.nextID
	b.pending[id] = ch
	b.mu.Unlock()
	msg, _ := json.Marshal(Message{ID: id, Method: method, Params: p, SessionID: sessionID})
	b.wmu.Lock()
	_, err = b.w.Write(append(msg, 0))
	b.wmu.Unlock()
	if err != nil {
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return fmt.Errorf("cdp: %s: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			b.mu.Lock()
			defer b.mu.Unlock()
			return fmt.Errorf("cdp: %s: %w", method, b.err)
		}
		if m.Error != nil {
			return fmt.Errorf("%s: %w", method, m.Error)
		}
		if result != nil {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return fmt.Errorf("cdp: %s: %w", method, ctx.Err())
	}
}

// EventCount returns how many events have been kept so far: a mark to pass
// to WaitEvent to see only later events.
func (b *Browser) EventCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.events)
}

// WaitEvent waits for an event named method, from index from of the kept
// events on (0: any kept), for which match (may be nil) returns true.
func (b *Browser) WaitEvent(ctx context.Context, from int, method string, match func(*Message) bool) (*Message, error) {
	for {
		b.mu.Lock()
		for i := min(from, len(b.events)); i < len(b.events); i++ {
			if m := b.events[i]; m.Method == method && (match == nil || match(m)) {
				b.mu.Unlock()
				return m, nil
			}
		}
		from = len(b.events)
		changed, err := b.changed, b.err
		b.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, fmt.Errorf("cdp: waiting for %s: %w", method, ctx.Err())
		}
	}
}

// Close asks the browser to close, kills its process group if it has not
// gone within a few seconds, and removes the profile directory.
func (b *Browser) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	b.Call(ctx, "", "Browser.close", nil, nil)
	cancel()
	exited := make(chan error, 1)
	go func() { exited <- b.cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		if b.cmd.Process != nil {
			syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
			b.cmd.Process.Kill()
		}
		<-exited
	}
	// Helpers (renderers, the crash handler) share the process group.
	if b.cmd.Process != nil {
		syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
	}
	b.w.Close()
	b.r.Close()
	<-b.done
	return os.RemoveAll(b.dataDir)
}

// Page is a browser tab, attached with a flat session.
type Page struct {
	b         *Browser
	TargetID  string
	SessionID string
}

// NewPage opens a tab and enables its Page and Runtime domains.
func (b *Browser) NewPage(ctx context.Context) (*Page, error) {
	var t struct {
		TargetID string `json:"targetId"`
	}
	if err := b.Call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &t); err != nil {
		return nil, err
	}
	var s struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.Call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": t.TargetID, "flatten": true}, &s); err != nil {
		return nil, err
	}
	p := &Page{b: b, TargetID: t.TargetID, SessionID: s.SessionID}
	for _, m := range []string{"Page.enable", "Runtime.enable"} {
		if err := p.Call(ctx, m, nil, nil); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Call sends a command to the page's session.
func (p *Page) Call(ctx context.Context, method string, params, result any) error {
	return p.b.Call(ctx, p.SessionID, method, params, result)
}

// Navigate loads url and waits for its load event.
func (p *Page) Navigate(ctx context.Context, url string) error {
	mark := p.b.EventCount()
	var r struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.Call(ctx, "Page.navigate", map[string]any{"url": url}, &r); err != nil {
		return err
	}
	if r.ErrorText != "" {
		return fmt.Errorf("cdp: navigating to %s: %s", url, r.ErrorText)
	}
	_, err := p.b.WaitEvent(ctx, mark, "Page.loadEventFired", func(m *Message) bool { return m.SessionID == p.SessionID })
	return err
}

// Eval evaluates a JavaScript expression in the page, awaiting a promise,
// and decodes its value (as JSON) into out (may be nil). A thrown exception
// is an error.
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	var r struct {
		Result struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := p.Call(ctx, "Runtime.evaluate", map[string]any{"expression": expr, "awaitPromise": true, "returnByValue": true}, &r)
	if err != nil {
		return err
	}
	if e := r.ExceptionDetails; e != nil {
		return fmt.Errorf("cdp: %s: %s %s", expr, e.Text, e.Exception.Description)
	}
	if out == nil || len(r.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(r.Result.Value, out)
}

// WaitFor evaluates expr every 50 ms until it is true (JavaScript
// truthiness), or ctx ends.
func (p *Page) WaitFor(ctx context.Context, expr string) error {
	var last error
	for {
		var ok bool
		err := p.Eval(ctx, "!!("+expr+")", &ok)
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("cdp: waiting for %s: %w (last error: %v)", expr, ctx.Err(), last)
			}
			return fmt.Errorf("cdp: waiting for %s: %w", expr, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Screenshot captures the page as PNG; full captures beyond the viewport,
// the whole scrollable page.
func (p *Page) Screenshot(ctx context.Context, full bool) ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	params := map[string]any{"format": "png", "captureBeyondViewport": full}
	if err := p.Call(ctx, "Page.captureScreenshot", params, &r); err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		return nil, err
	}
	if len(b) < 8 || string(b[1:4]) != "PNG" {
		return nil, errors.New("cdp: the screenshot is not a PNG")
	}
	return b, nil
}

// Download is a finished download.
type Download struct {
	GUID              string
	SuggestedFilename string
	URL               string
	Path              string // where the file is: the download directory and the GUID
}

// AllowDownloads makes downloads land in dir, each named by its GUID, with
// progress events.
func (b *Browser) AllowDownloads(ctx context.Context, dir string) error {
	return b.Call(ctx, "", "Browser.setDownloadBehavior", map[string]any{"behavior": "allowAndName", "downloadPath": dir, "eventsEnabled": true}, nil)
}

// WaitDownload waits for the first download that begins after event mark
// from and completes.
func (b *Browser) WaitDownload(ctx context.Context, from int, dir string) (*Download, error) {
	begin, err := b.WaitEvent(ctx, from, "Browser.downloadWillBegin", nil)
	if err != nil {
		return nil, err
	}
	var d struct {
		GUID              string `json:"guid"`
		URL               string `json:"url"`
		SuggestedFilename string `json:"suggestedFilename"`
	}
	if err := json.Unmarshal(begin.Params, &d); err != nil {
		return nil, err
	}
	var state string
	_, err = b.WaitEvent(ctx, from, "Browser.downloadProgress", func(m *Message) bool {
		var p struct {
			GUID  string `json:"guid"`
			State string `json:"state"`
		}
		if json.Unmarshal(m.Params, &p) != nil || p.GUID != d.GUID {
			return false
		}
		state = p.State
		return p.State == "completed" || p.State == "canceled"
	})
	if err != nil {
		return nil, err
	}
	if state != "completed" {
		return nil, fmt.Errorf("cdp: download of %s %s", d.URL, state)
	}
	return &Download{GUID: d.GUID, SuggestedFilename: d.SuggestedFilename, URL: d.URL, Path: dir + string(os.PathSeparator) + d.GUID}, nil
}
