// Package gocmd runs the go command, the one way provision reaches its tools
// (go mod download for vendored files, go tool for buf and the plugins).
package gocmd

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// waitDelay bounds how long Run waits for the output pipes to close once the
// go command has exited or been killed: a tool it started (buf, a plugin)
// may outlive it and hold them open.
const waitDelay = 5 * time.Second

// Run runs `go args...` in dir with no standard input and returns its
// standard output. When the command fails, the error names the command and
// carries its standard error; the output read so far is returned too, since
// some go commands (go mod download -json) explain failures there.
func Run(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.WaitDelay = waitDelay
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		name := "go " + strings.Join(args, " ")
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return stdout.Bytes(), fmt.Errorf("%s: %w\n%s", name, err, msg)
		}
		return stdout.Bytes(), fmt.Errorf("%s: %w", name, err)
	}
	return stdout.Bytes(), nil
}
