package provision

// EnforceVersion is used by generated code to refuse, at compile time, a
// runtime older than the generator: the generated file contains
//
//	const _ = provision.EnforceVersion(provision.GeneratedCodeVersion - N)
//
// which overflows, and does not compile, when GeneratedCodeVersion < N.
type EnforceVersion uint

// GeneratedCodeVersion is the newest version of generated code this
// runtime supports.
const GeneratedCodeVersion = 1
