package main

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []cliCase{
		{name: "no command", args: nil, wantCode: exitUsage, wantStderr: []string{"Usage:", "provision <command>", "generate"}},
		{name: "help", args: []string{"help"}, wantCode: exitOK, wantStdout: []string{"Usage:", "generate ", "help "}},
		{name: "-h", args: []string{"-h"}, wantCode: exitOK, wantStdout: []string{"Commands:"}},
		{name: "--help", args: []string{"--help"}, wantCode: exitOK, wantStdout: []string{"Commands:"}},
		{name: "help generate", args: []string{"help", "generate"}, wantCode: exitOK, wantStdout: []string{"provision generate [-check]", "-check", "Flags:"}},
		{name: "help unknown", args: []string{"help", "nope"}, wantCode: exitUsage, wantStderr: []string{`provision: help: unknown command "nope"`}},
		{name: "help help", args: []string{"help", "help"}, wantCode: exitOK, wantStdout: []string{"provision help [command]"}},
		{name: "help lists version", args: []string{"help"}, wantCode: exitOK, wantStdout: []string{"version "}},
		{name: "generate -h says -q and the first run", args: []string{"generate", "-h"}, wantCode: exitOK, wantStdout: []string{"provision generate [-check] [-q]", "takes minutes", "-q"}},
		{name: "help two names", args: []string{"help", "generate", "help"}, wantCode: exitUsage, wantStderr: []string{"provision: help: takes at most one"}},
		{name: "unknown command", args: []string{"nope"}, wantCode: exitUsage, wantStderr: []string{`provision: unknown command "nope"`, "provision help"}},
		{name: "generate -h", args: []string{"generate", "-h"}, wantCode: exitOK, wantStdout: []string{"provision generate [-check]", "exits 1"}},
		{name: "generate --help", args: []string{"generate", "--help"}, wantCode: exitOK, wantStdout: []string{"provision generate [-check]"}},
		{name: "generate unknown flag", args: []string{"generate", "-bogus"}, wantCode: exitUsage, wantStderr: []string{"provision: generate: flag provided but not defined: -bogus", "provision help generate"}},
		{name: "generate bad -check value", args: []string{"generate", "-check=maybe"}, wantCode: exitUsage, wantStderr: []string{"provision: generate: invalid boolean value"}},
		{name: "generate extra argument", args: []string{"generate", "-check", "gen/"}, wantCode: exitUsage, wantStderr: []string{`provision: generate: unexpected argument "gen/"`}},
	}
	runCLICases(t, tests)
}

// TestCommands checks every entry of the command table, so that a new
// command is listed, documented and reachable through help.
func TestCommands(t *testing.T) {
	t.Parallel()
	for key, cmd := range commands {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			if cmd.name != key || cmd.summary == "" || cmd.run == nil {
				t.Fatalf("commands[%q] = {name: %q, summary: %q, run set: %v}, want name %q, a summary and a run func", key, cmd.name, cmd.summary, cmd.run != nil, key)
			}
			var list, stdout, stderr bytes.Buffer
			usage(&list)
			if !strings.Contains(list.String(), key+" ") || !strings.Contains(list.String(), cmd.summary) {
				t.Errorf("usage does not list %q with its summary:\n%s", key, &list)
			}
			if code := run(t.Context(), []string{"help", key}, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "provision "+key) {
				t.Errorf("provision help %s = %d, stdout %q, stderr %q; want 0 and its usage", key, code, &stdout, &stderr)
			}
		})
	}
}

// TestGenerateOutsideRepository changes the working directory, so it does
// not run in parallel.
func TestGenerateOutsideRepository(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, args := range [][]string{{"generate"}, {"generate", "-check"}} {
		var stdout, stderr bytes.Buffer
		if code := run(t.Context(), args, &stdout, &stderr); code != exitFailed {
			t.Errorf("run(%q) = %d, want %d", args, code, exitFailed)
		}
		if got := stderr.String(); !strings.HasPrefix(got, "provision: ") || !strings.Contains(got, "no buf.yaml") {
			t.Errorf("run(%q) stderr = %q, want a 'provision: ' error about buf.yaml", args, got)
		}
	}
}

// TestFailPrefixOnce checks that fail writes the prefix "provision: "
// once, whatever the error already starts with: the runtime's errors carry
// it.
func TestFailPrefixOnce(t *testing.T) {
	t.Parallel()
	tests := []struct{ err, want string }{
		{"read image: no such file", "provision: read image: no such file\n"},
		{"provision: invalid consent", "provision: invalid consent\n"},
		{"provision: provision: provision: key file", "provision: key file\n"},
		{"provisional: kept", "provision: provisional: kept\n"},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if code := fail(&stderr, errors.New(tt.err)); code != exitFailed {
			t.Errorf("fail = %d, want %d", code, exitFailed)
		}
		if got := stderr.String(); got != tt.want {
			t.Errorf("fail(%q) printed %q, want %q", tt.err, got, tt.want)
		}
	}
}

// cliCase is one run of the command line and what it must print.
type cliCase struct {
	name       string
	args       []string
	wantCode   int
	wantStdout []string // substrings
	wantStderr []string // substrings; stderr must be empty when nil
	// forbid, when set, must match nothing the run prints.
	forbid *regexp.Regexp
}

// runCLICases runs each case in parallel and checks its exit code and what
// it printed.
func runCLICases(t *testing.T, tests []cliCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("run(%q) = %d, want %d\nstdout:\n%s\nstderr:\n%s", tt.args, code, tt.wantCode, &stdout, &stderr)
			}
			for _, s := range tt.wantStdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("run(%q) stdout = %q, want it to contain %q", tt.args, &stdout, s)
				}
			}
			if tt.wantStderr == nil && stderr.Len() > 0 {
				t.Errorf("run(%q) stderr = %q, want none", tt.args, &stderr)
			}
			for _, s := range tt.wantStderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("run(%q) stderr = %q, want it to contain %q", tt.args, &stderr, s)
				}
			}
			if tt.forbid == nil {
				return
			}
			for name, out := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
				if m := tt.forbid.FindString(out); m != "" {
					t.Errorf("run(%q) %s has %q, which it must not:\n%s", tt.args, name, m, out)
				}
			}
		})
	}
}

// TestUsageLinesComplete checks that the usage line of every command
// names each of its flags, and the registry's each of its subcommands
// (whose flags their own usage lines under it name).
func TestUsageLinesComplete(t *testing.T) {
	t.Parallel()
	flagLine := regexp.MustCompile(`^  -([a-z][a-z0-9-]*)`)
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			if code := run(t.Context(), []string{"help", name}, &stdout, &stderr); code != exitOK {
				t.Fatalf("help %s = %d: %s", name, code, &stderr)
			}
			lines := strings.Split(stdout.String(), "\n")
			if len(lines) < 3 || !strings.HasPrefix(lines[2], "\tprovision "+name) {
				t.Fatalf("help %s starts %q, want a usage line", name, lines[:min(3, len(lines))])
			}
			usageLine := lines[2]
			var want []string
			for _, l := range lines {
				if m := flagLine.FindStringSubmatch(l); m != nil {
					want = append(want, "-"+m[1])
				}
			}
			if name == "registry" {
				// Its flags are each subcommand's, listed under the
				// subcommand's own usage line.
				want = []string{"serve", "push", "token create", "token list", "token delete", "audit verify"}
			}
			for _, w := range want {
				if !strings.Contains(usageLine, w) {
					t.Errorf("usage line %q lacks %s", usageLine, w)
				}
			}
		})
	}
}
