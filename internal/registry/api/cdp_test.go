package api_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// cdp drives one page of headless Chromium through the DevTools protocol
// over --remote-debugging-pipe: JSON messages, each ended by a NUL byte,
// that the browser reads on its file descriptor 3 and writes on 4. No
// websocket is involved, so the test needs no library. For tests only.
type cdp struct {
	t       testing.TB
	cmd     *exec.Cmd
	toB     *os.File // the browser's fd 3
	session string   // the page's session, from Target.attachToTarget
	timeout time.Duration

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan cdpMessage
	events  chan cdpMessage
	stderr  strings.Builder
	done    chan struct{} // closed when the browser's output ends
	readErr error
}

// cdpMessage is a message of the protocol: a command's answer (ID) or an
// event (Method).
type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// startCDP starts Chromium at path with a blank page in a profile of its
// own and attaches to that page; the browser stops when t ends.
func startCDP(t testing.TB, path string) *cdp {
	t.Helper()
	// Pipe A: the test writes, the browser reads (its fd 3). Pipe B: the
	// browser writes (its fd 4), the test reads.
	aR, aW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	bR, bW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &cdp{t: t, toB: aW, timeout: 30 * time.Second, waiting: map[int]chan cdpMessage{},
		events: make(chan cdpMessage, 256), done: make(chan struct{})}
	c.cmd = exec.Command(path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "about:blank")
	c.cmd.ExtraFiles = []*os.File{aR, bW} // fd 3, fd 4
	c.cmd.Stderr = &lockedWriter{mu: &c.mu, w: &c.stderr}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The browser holds its ends now; closing ours lets EOF through when
	// it exits.
	aR.Close()
	bW.Close()
	go c.read(bR)
	t.Cleanup(c.close)

	var created struct {
		TargetID string `json:"targetId"`
	}
	c.browserCall("Target.createTarget", map[string]any{"url": "about:blank"}, &created)
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	c.browserCall("Target.attachToTarget", map[string]any{"targetId": created.TargetID, "flatten": true}, &attached)
	c.session = attached.SessionID
	c.call("Page.enable", nil, nil)
	c.call("Runtime.enable", nil, nil)
	return c
}

// lockedWriter writes to w under mu.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// read splits the browser's output at NUL bytes and hands each message to
// the command waiting for it, or to events.
func (c *cdp) read(r io.Reader) {
	defer close(c.done)
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			c.mu.Lock()
			c.readErr = err
			c.mu.Unlock()
			return
		}
		var m cdpMessage
		if err := json.Unmarshal(raw[:len(raw)-1], &m); err != nil {
			c.mu.Lock()
			c.readErr = fmt.Errorf("decode %q: %w", raw, err)
			c.mu.Unlock()
			return
		}
		if m.ID != 0 {
			c.mu.Lock()
			ch := c.waiting[m.ID]
			delete(c.waiting, m.ID)
			c.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		select {
		case c.events <- m:
		default: // nobody waits for so many events: drop the oldest
			<-c.events
			c.events <- m
		}
	}
}

// close stops the browser.
func (c *cdp) close() {
	c.toB.Close()
	if c.cmd.Process != nil {
		c.cmd.Process.Kill()
	}
	c.cmd.Wait()
}

// send sends a command (to the page's session if session is set) and
// returns its answer's result into out, failing the test on an error.
func (c *cdp) send(session, method string, params, out any) {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan cdpMessage, 1)
	c.waiting[id] = ch
	c.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, err := json.Marshal(msg)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.toB.Write(append(data, 0)); err != nil {
		c.t.Fatalf("%s: write to the browser: %v\n%s", method, err, c.log())
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			c.t.Fatalf("%s: %d %s", method, m.Error.Code, m.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(m.Result, out); err != nil {
				c.t.Fatalf("%s: %v", method, err)
			}
		}
	case <-c.done:
		c.t.Fatalf("%s: the browser stopped: %v\n%s", method, c.readErr, c.log())
	case <-time.After(c.timeout):
		c.t.Fatalf("%s: no answer in %v\n%s", method, c.timeout, c.log())
	}
}

// log is what the browser wrote to stderr, for a failure.
func (c *cdp) log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stderr.String()
}

func (c *cdp) browserCall(method string, params, out any) {
	c.t.Helper()
	c.send("", method, params, out)
}

func (c *cdp) call(method string, params, out any) {
	c.t.Helper()
	c.send(c.session, method, params, out)
}

// waitEvent waits for the page's event method.
func (c *cdp) waitEvent(method string) {
	c.t.Helper()
	deadline := time.After(c.timeout)
	for {
		select {
		case m := <-c.events:
			if m.Method == method && m.SessionID == c.session {
				return
			}
		case <-c.done:
			c.t.Fatalf("waiting for %s: the browser stopped\n%s", method, c.log())
		case <-deadline:
			c.t.Fatalf("no %s in %v", method, c.timeout)
		}
	}
}

// drainEvents forgets the events received so far.
func (c *cdp) drainEvents() {
	for {
		select {
		case <-c.events:
		default:
			return
		}
	}
}

// navigate loads u and waits until it has loaded.
func (c *cdp) navigate(u string) {
	c.t.Helper()
	c.drainEvents()
	var res struct {
		ErrorText string `json:"errorText"`
	}
	c.call("Page.navigate", map[string]any{"url": u}, &res)
	if res.ErrorText != "" {
		c.t.Fatalf("navigate to %s: %s", u, res.ErrorText)
	}
	c.waitEvent("Page.loadEventFired")
}

// eval evaluates the JavaScript expression in the page (the test's
// probe: the pages themselves have no script) and decodes its value into
// out.
func (c *cdp) eval(expr string, out any) {
	c.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	c.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &res)
	if res.ExceptionDetails != nil {
		c.t.Fatalf("evaluate %s: %s", expr, res.ExceptionDetails.Text)
	}
	if err := json.Unmarshal(res.Result.Value, out); err != nil {
		c.t.Fatalf("evaluate %s: %s: %v", expr, res.Result.Value, err)
	}
}

// str evaluates expr to a string.
func (c *cdp) str(expr string) string {
	c.t.Helper()
	var s string
	c.eval(expr, &s)
	return s
}

// key presses and releases a key that types no text (Tab), or types text
// (Enter is "\r").
func (c *cdp) key(key, code string, keyCode int, text string) {
	c.t.Helper()
	down := map[string]any{"type": "rawKeyDown", "key": key, "code": code, "windowsVirtualKeyCode": keyCode}
	if text != "" {
		down = map[string]any{"type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": keyCode, "text": text, "unmodifiedText": text}
	}
	c.call("Input.dispatchKeyEvent", down, nil)
	c.call("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": keyCode}, nil)
}

// tab presses Tab.
func (c *cdp) tab() { c.t.Helper(); c.key("Tab", "Tab", 9, "") }

// typeText types s a character at a time, as a keyboard does.
func (c *cdp) typeText(s string) {
	c.t.Helper()
	for _, r := range s {
		c.call("Input.dispatchKeyEvent", map[string]any{"type": "keyDown", "key": string(r), "text": string(r), "unmodifiedText": string(r)}, nil)
		c.call("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": string(r)}, nil)
	}
}

// enter presses Enter and waits for the page it submits or follows to
// load.
func (c *cdp) enter() {
	c.t.Helper()
	c.drainEvents()
	c.key("Enter", "Enter", 13, "\r")
	c.waitEvent("Page.loadEventFired")
}

// viewport sets the window's size in CSS pixels (mobile for a phone's
// width).
func (c *cdp) viewport(width, height int) {
	c.t.Helper()
	c.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height,
		"deviceScaleFactor": 1, "mobile": width < 600}, nil)
}

// screenshot writes a PNG of the page as the window shows it to file.
func (c *cdp) screenshot(file string) {
	c.t.Helper()
	var res struct {
		Data string `json:"data"`
	}
	c.call("Page.captureScreenshot", map[string]any{"format": "png"}, &res)
	png, err := base64.StdEncoding.DecodeString(res.Data)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// setHeaders sends headers with every request of the page (the API key as
// HTTP Basic, as a browser does after its prompt).
func (c *cdp) setHeaders(headers map[string]string) {
	c.t.Helper()
	c.call("Network.enable", nil, nil)
	c.call("Network.setExtraHTTPHeaders", map[string]any{"headers": headers}, nil)
}
