package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Exit codes of provision.
const (
	exitOK     = 0 // success
	exitFailed = 1 // a check found problems, or the command failed
	exitUsage  = 2 // the command line is wrong
)

// command is one subcommand of provision.
type command struct {
	name string
	// summary is one line for the list of commands.
	summary string
	// run parses the command's own flags from args (the words after its
	// name) and runs it, returning the exit code.
	run func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is the table of subcommands, by name: a new command is one
// entry here and a run function in a file of its own. help is handled by
// run itself, as it lists this table.
var commands = map[string]command{
	"diff": {
		name:    "diff",
		summary: "say in plain words what changed in data provision between two versions",
		run:     runDiff,
	},
	"expiring": {name: "expiring", summary: "list, per owner, the scenarios and items that expire soon", run: runExpiring},
	"generate": {
		name:    "generate",
		summary: "regenerate every generated file, or with -check report drift",
		run:     runGenerate,
	},
	"registry": {
		name:    "registry",
		summary: "serve the schema registry, push the catalog to it, create API keys, verify its audit log",
		run:     runRegistry,
	},
	"i18n": {
		name:    "i18n",
		summary: "add and refresh the translation files of the pages (i18n/<language>.json), or with -check report what is left",
		run:     runI18n,
	},
	"init": {name: "init", summary: "create a new catalog repository that uses provision", run: runInit},
	"inspect": {
		name:    "inspect",
		summary: "check the schemas and list every data item of the catalog",
		run:     runInspect,
	},
	"version": {
		name:    "version",
		summary: "print the version of provision",
		run:     runVersion,
	},
	"review": {
		name:    "review",
		summary: "write the data-protection review request for the changes since a base version",
		run:     runReview,
	},
	"live-check": {
		name:    "live-check",
		summary: "check captured payloads against the catalog and the consent they were sent under",
		run:     runLiveCheck,
	},
}

// run runs provision with the command-line arguments args (without the
// program name) and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		return runHelp(ctx, rest, stdout, stderr)
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "provision: unknown command %q; run 'provision help' for the list\n", name)
		return exitUsage
	}
	return cmd.run(ctx, rest, stdout, stderr)
}

// helpUsage is the usage of `provision help` itself.
const helpUsage = `Usage:

	provision help [command]

Help prints the list of commands, or the usage and flags of one command.
`

// runHelp prints the usage of provision, or of the command args names.
func runHelp(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		usage(stdout)
		return exitOK
	case 1:
		if args[0] == "help" {
			fmt.Fprint(stdout, helpUsage)
			return exitOK
		}
		cmd, ok := commands[args[0]]
		if !ok {
			fmt.Fprintf(stderr, "provision: help: unknown command %q; run 'provision help' for the list\n", args[0])
			return exitUsage
		}
		return cmd.run(ctx, []string{"-h"}, stdout, stderr)
	}
	fmt.Fprintln(stderr, "provision: help: takes at most one command name")
	return exitUsage
}

// usage prints the usage of provision and its list of commands to w.
func usage(w io.Writer) {
	fmt.Fprint(w, `provision turns the annotated protobuf schemas under proto/ into Go code,
JSON Schema and disclosure pages, and checks that nothing has drifted.

Usage:

	provision <command> [flags]

Commands:

`)
	names := make([]string, 0, len(commands)+1)
	for name := range commands {
		names = append(names, name)
	}
	names = append(names, "help")
	slices.Sort(names)
	width := len(slices.MaxFunc(names, func(a, b string) int { return len(a) - len(b) }))
	for _, name := range names {
		summary := "show this help, or a command's with 'provision help <command>'"
		if cmd, ok := commands[name]; ok {
			summary = cmd.summary
		}
		fmt.Fprintf(w, "\t%-*s  %s\n", width, name, summary)
	}
	fmt.Fprint(w, "\nRun 'provision help <command>' for a command's flags.\n")
}

// newFlagSet returns the flag set of the command name, whose usage message
// shows synopsis (the words after the name) and doc.
func newFlagSet(name, synopsis, doc string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage:\n\n\tprovision %s %s\n\n%s\n", name, synopsis, strings.TrimSpace(doc))
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(w, "\nFlags:\n\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args into fs. When parsing ends the command, because of
// -h or a usage error, it prints what it must and returns the exit code and
// true. An explicit -h prints the usage to stdout and succeeds; an error
// prints itself to stderr.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, done bool) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK, true
	case err != nil:
		return usageError(fs, stderr, err.Error()), true
	}
	return exitOK, false
}

// usageError prints msg about the command of fs, and where to find its
// usage, to stderr and returns exitUsage.
func usageError(fs *flag.FlagSet, stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "provision: %s: %s\nRun 'provision help %s' for usage.\n", fs.Name(), msg, fs.Name())
	return exitUsage
}
