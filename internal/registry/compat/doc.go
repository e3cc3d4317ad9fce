// Package compat checks a candidate protobuf schema against the previous
// versions of its subject with Confluent Schema Registry's compatibility
// semantics for protobuf, at its levels (NONE, BACKWARD, FORWARD, FULL and
// their _TRANSITIVE forms), plus an opt-in rule of ours that removed
// numbers be reserved. The rules, with an example each, and where they
// differ from buf breaking are documented below.
package compat
