// Package addscenario is for tests only and holds no code: its test walks
// the steps of the README's "Adding a scenario" on a copy of the
// repository (every file git tracks), with a fixture scenario added to
// one product, and fails at the first step that does not go as the
// README says.
package addscenario
